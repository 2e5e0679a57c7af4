import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  rouge,
  rougeFromTokens,
  rougeTokens,
  type RougeScore,
  type RougeScores,
} from "../src/summarize/rouge.js";

// fixtures made by scripts/fixtures/make_rouge_fixtures.py with nltk's PorterStemmer and an
// independent Python implementation of rouge-score's arithmetic
interface RougeCase {
  name: string;
  candidate: string;
  references: string[];
  candidateTokens: string[];
  scores: RougeScores;
  perReference: RougeScores[];
}

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/rouge/${name}`, import.meta.url), "utf8"));
}

const { cases } = fixture<{ cases: RougeCase[] }>("rouge.json");
const { vocabulary, probes } = fixture<{
  vocabulary: Record<string, string>;
  probes: Record<string, string>;
}>("stems.json");

const KINDS = ["rouge1", "rouge2", "rougeL"] as const;
const FIELDS = ["precision", "recall", "f1"] as const;
const TOLERANCE = 1e-9;

/** Every field where actual and expected differ by more than the tolerance. */
function differences(label: string, actual: RougeScores, expected: RougeScores): string[] {
  const out: string[] = [];
  for (const kind of KINDS) {
    for (const field of FIELDS) {
      const a = actual[kind][field];
      const e = expected[kind][field];
      if (!(Math.abs(a - e) <= TOLERANCE)) out.push(`${label} ${kind}.${field}: ${a} vs ${e}`);
    }
  }
  return out;
}

/** Words whose stem, as rougeTokens gives it, is not nltk's. */
function stemDisagreements(stems: Record<string, string>): string[] {
  return Object.entries(stems)
    .filter(([word, stem]) => {
      const tokens = rougeTokens(word);
      return tokens.length !== 1 || tokens[0] !== stem;
    })
    .map(([word, stem]) => `${word}: nltk ${stem}, ours ${rougeTokens(word).join(" ")}`);
}

function prf(precision: number, recall: number, f1: number): RougeScore {
  return { precision, recall, f1 };
}

function expectScores(actual: RougeScores, expected: RougeScores): void {
  for (const kind of KINDS) {
    for (const field of FIELDS) {
      expect(actual[kind][field], `${kind}.${field}`).toBeCloseTo(expected[kind][field], 12);
    }
  }
}

/** mulberry32: a small seeded generator, so random cases are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The definition written plainly: n-gram strings in Maps, the full LCS table. */
function naiveRouge(candidate: string[], reference: string[]): RougeScores {
  const grams = (tokens: string[], n: number) => {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const gram = tokens.slice(i, i + n).join(" ");
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
    return counts;
  };
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  const make = (overlap: number, c: number, r: number) => {
    const p = ratio(overlap, c);
    const q = ratio(overlap, r);
    return prf(p, q, p + q > 0 ? (2 * p * q) / (p + q) : 0);
  };
  const rougeN = (n: number) => {
    const c = grams(candidate, n);
    const r = grams(reference, n);
    let overlap = 0;
    for (const [gram, count] of c) overlap += Math.min(count, r.get(gram) ?? 0);
    const total = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
    return make(overlap, total(c), total(r));
  };
  const table = Array.from({ length: candidate.length + 1 }, () =>
    new Array<number>(reference.length + 1).fill(0),
  );
  for (let i = 1; i <= candidate.length; i++) {
    for (let j = 1; j <= reference.length; j++) {
      table[i][j] =
        candidate[i - 1] === reference[j - 1]
          ? table[i - 1][j - 1] + 1
          : Math.max(table[i - 1][j], table[i][j - 1]);
    }
  }
  const lcs = table[candidate.length][reference.length];
  return {
    rouge1: rougeN(1),
    rouge2: rougeN(2),
    rougeL: make(lcs, candidate.length, reference.length),
  };
}

describe("rouge fixtures from nltk and an independent Python rouge", () => {
  it("rouge(candidate, refs) does agree with every fixture case to 1e-9", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const mismatches: string[] = [];
    for (const c of cases) {
      mismatches.push(...differences(c.name, rouge(c.candidate, c.references), c.scores));
    }
    expect(mismatches).toEqual([]);
  });

  it("rougeFromTokens(candidate, reference) does agree with every per-reference value", () => {
    const mismatches: string[] = [];
    for (const c of cases) {
      const candidate = rougeTokens(c.candidate);
      if (candidate.join(" ") !== c.candidateTokens.join(" ")) {
        mismatches.push(`${c.name} tokens: ${candidate.join(" ")}`);
      }
      c.references.forEach((reference, i) => {
        const actual = rougeFromTokens(candidate, rougeTokens(reference));
        mismatches.push(...differences(`${c.name} reference ${i}`, actual, c.perReference[i]));
      });
    }
    expect(mismatches).toEqual([]);
  });

  it("rougeTokens(word) does stem every data word as nltk's PorterStemmer does", () => {
    // 3459 words; the bare `stemmer` package disagrees with nltk on 63 of them
    expect(Object.keys(vocabulary).length).toBeGreaterThan(3000);
    expect(stemDisagreements(vocabulary)).toEqual([]);
  });

  it("rougeTokens(word) does follow each NLTK_EXTENSIONS rule on the probe words", () => {
    expect(stemDisagreements(probes)).toEqual([]);
  });
});

describe("rouge by hand", () => {
  it('rouge(candidate, refs) does score "the cat sat" against "the cat sat on the mat"', () => {
    // no token is longer than 3 characters, so nothing is stemmed
    // rouge1: overlap the, cat, sat = 3; P = 3/3, R = 3/6, F = 2 * 1 * 0.5 / 1.5 = 2/3
    // rouge2: candidate bigrams "the cat", "cat sat" both in the 5 reference bigrams;
    //         P = 2/2, R = 2/5, F = 2 * 1 * 0.4 / 1.4 = 4/7
    // rougeL: LCS "the cat sat" = 3, as rouge1
    expectScores(rouge("the cat sat", ["the cat sat on the mat"]), {
      rouge1: prf(1, 0.5, 2 / 3),
      rouge2: prf(1, 0.4, 4 / 7),
      rougeL: prf(1, 0.5, 2 / 3),
    });
  });

  it("rouge(candidate, refs) does clip repeated n-grams to their count in the reference", () => {
    // rouge1: "the" x4 counts min(4, 2) = 2, plus "cat": 3; P = 3/5, R = 3/6, F = 6/11
    // rouge2: "the the" x3 not in the reference, "the cat" x1 is; P = 1/4, R = 1/5, F = 2/9
    // rougeL: longest common subsequence "the cat" (or "the the") = 2;
    //         P = 2/5, R = 2/6, F = 2 * (2/5) * (1/3) / (11/15) = 4/11
    expectScores(rouge("the the the the cat", ["the cat sat on the mat"]), {
      rouge1: prf(3 / 5, 1 / 2, 6 / 11),
      rouge2: prf(1 / 4, 1 / 5, 2 / 9),
      rougeL: prf(2 / 5, 1 / 3, 4 / 11),
    });
  });

  it("rouge(candidate, refs) does average over references, an empty one scoring 0", () => {
    // against the first reference as in the first hand case, against "" all 0; the mean halves it
    expectScores(rouge("the cat sat", ["the cat sat on the mat", ""]), {
      rouge1: prf(0.5, 0.25, 1 / 3),
      rouge2: prf(0.5, 0.2, 2 / 7),
      rougeL: prf(0.5, 0.25, 1 / 3),
    });
  });

  it("rouge(candidate, refs) does match words through their stems", () => {
    // dogs -> dog, running and runs -> run; "dog" has 3 characters and is kept as it is
    const all = prf(1, 1, 1);
    expectScores(rouge("Dogs running", ["dog runs"]), { rouge1: all, rouge2: all, rougeL: all });
  });

  it("rouge(candidate, refs) does give 0 everywhere for an empty candidate", () => {
    const zero = prf(0, 0, 0);
    const none = { rouge1: zero, rouge2: zero, rougeL: zero };
    expectScores(rouge("", ["the cat sat"]), none);
    expectScores(rouge("?!", ["the cat sat"]), none);
    expectScores(rougeFromTokens([], []), none);
  });

  it("rouge(candidate, []) does throw a RangeError", () => {
    expect(() => rouge("the cat", [])).toThrow(RangeError);
  });
});

describe("rougeTokens", () => {
  it("rougeTokens(text) does give no tokens for empty or punctuation-only text", () => {
    expect(rougeTokens("")).toEqual([]);
    expect(rougeTokens(" \t\n")).toEqual([]);
    expect(rougeTokens("!!! ... --- ?? ;-)")).toEqual([]);
    expect(rougeTokens("ΣΊΣΥΦΟΣ")).toEqual([]);
  });

  it("rougeTokens(text) does split words at every non-ASCII letter and digit", () => {
    expect(rougeTokens("café naïve — 5½ stars")).toEqual(["caf", "na", "ve", "5", "star"]);
    // İ lowercases to i + combining dot, the Kelvin sign to k, the ﬁ ligature stays itself
    expect(rougeTokens("İstanbul \u212Aelvin straße ﬁne")).toEqual([
      "i",
      "stanbul",
      "kelvin",
      "stra",
      "e",
      "ne",
    ]);
  });

  it("rougeTokens(text) does split numbers and contractions at punctuation", () => {
    expect(rougeTokens("Don't! 1.5 hrs, 10-12 hours; it was used")).toEqual([
      "don",
      "t",
      "1",
      "5",
      "hrs",
      "10",
      "12",
      "hour",
      "it",
      "was",
      "use",
    ]);
  });

  it("rougeTokens(text) does stem only tokens longer than 3 characters", () => {
    // Porter alone would make "was" into "wa" and "has" into "ha"
    expect(rougeTokens("was has uses")).toEqual(["was", "has", "use"]);
  });

  it("rougeTokens(word) does keep a y that step 4 uncovers (annoyance -> annoy)", () => {
    // regression: an early adapter turned every stem-final y after a consonant into i
    expect(rougeTokens("annoyance enjoyment")).toEqual(["annoy", "enjoy"]);
  });

  it("rougeTokens(text) does give the same stems from its cache", () => {
    const text = "Trying these carefully, they stayed useful";
    expect(rougeTokens(text)).toEqual(rougeTokens(text));
    expect(rougeTokens(text)).toEqual(["tri", "these", "care", "they", "stay", "use"]);
  });
});

describe("rougeFromTokens on seeded random tokens", () => {
  const words = ["a", "b", "c", "d", "e", "f"];
  const random = seeded(20240607);
  const draw = (length: number) =>
    Array.from({ length }, () => words[Math.floor(random() * words.length)]);

  it("rougeFromTokens(candidate, reference) does agree with the plain definition", () => {
    for (let trial = 0; trial < 300; trial++) {
      const candidate = draw(Math.floor(random() * 40));
      const reference = draw(Math.floor(random() * 40));
      const actual = rougeFromTokens(candidate, reference);
      expect(differences(`trial ${trial}`, actual, naiveRouge(candidate, reference))).toEqual([]);
    }
  });

  it("rougeFromTokens(candidate, reference) does swap precision and recall with its inputs", () => {
    for (let trial = 0; trial < 100; trial++) {
      const candidate = draw(1 + Math.floor(random() * 30));
      const reference = draw(1 + Math.floor(random() * 30));
      const forward = rougeFromTokens(candidate, reference);
      const backward = rougeFromTokens(reference, candidate);
      for (const kind of KINDS) {
        expect(forward[kind].precision).toBe(backward[kind].recall);
        expect(forward[kind].f1).toBeCloseTo(backward[kind].f1, 12);
      }
      // the LCS is a common subsequence, so never more than the unigram overlap
      expect(forward.rougeL.precision).toBeLessThanOrEqual(forward.rouge1.precision);
    }
  });

  it("rougeFromTokens(candidate, reference) does grow its scratch past the initial size", () => {
    // the scratch starts at 256 ids; 3000 + 2000 tokens force every buffer to grow
    const candidate = draw(3000);
    const reference = draw(2000);
    expect(
      differences("long", rougeFromTokens(candidate, reference), naiveRouge(candidate, reference)),
    ).toEqual([]);
    expect(
      differences(
        "short after long",
        rougeFromTokens(["a", "b"], ["b", "a", "b"]),
        naiveRouge(["a", "b"], ["b", "a", "b"]),
      ),
    ).toEqual([]);
  });
});
