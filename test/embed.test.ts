import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import {
  meanEmbedder,
  sifEmbedder,
  WordCounts,
  wordTokens,
  type Embedder,
} from "../src/summarize/embed.js";
import type { WordVectors } from "../src/summarize/vectors.js";
import { defaultVectorsPath, loadWordVectors } from "../src/summarize/vectors-node.js";

/** Written by scripts/fixtures/make_sif_fixture.py from the built vectors with numpy. */
interface Fixture {
  a: number;
  indices: Record<string, number>;
  corpus: string[];
  sentences: string[];
  tokens: string[][];
  sif: number[][];
  sif2: number[][];
  mean: number[][];
}
const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/sif-reference.json", import.meta.url), "utf8"),
) as Fixture;

let vectors: WordVectors;
beforeAll(async () => {
  const path = defaultVectorsPath();
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: run \`node scripts/build-vectors.mjs\` ` +
        "(part of `npm run build`) before the tests",
    );
  }
  vectors = await loadWordVectors(path);
});

function row(matrix: Float32Array, i: number, dim = 100): number[] {
  return Array.from(matrix.subarray(i * dim, (i + 1) * dim));
}

function length(values: ArrayLike<number>): number {
  let sum = 0;
  for (let d = 0; d < values.length; d++) sum += values[d] * values[d];
  return Math.sqrt(sum);
}

function expectClose(actual: Float32Array, expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length * 100);
  let worst = 0;
  expected.forEach((values, i) =>
    values.forEach((value, d) => {
      worst = Math.max(worst, Math.abs(actual[i * 100 + d] - value));
    }),
  );
  expect(worst).toBeLessThan(tolerance);
}

function fixtureCounts(): WordCounts {
  const counts = new WordCounts();
  for (const text of fixture.corpus) counts.add(text);
  return counts;
}

describe("wordTokens", () => {
  test("wordTokens(text) lowercases and drops punctuation and symbols", () => {
    expect(wordTokens("The Bluetooth HEADSET, (sadly) broke... $5 & 10% off!")).toEqual([
      "the",
      "bluetooth",
      "headset",
      "sadly",
      "broke",
      "5",
      "10",
      "off",
    ]);
    expect(wordTokens("")).toEqual([]);
    expect(wordTokens(" -- !!! ...")).toEqual([]);
  });

  test("wordTokens(text) expands contractions, attached or already split", () => {
    expect(wordTokens("I don't, can't, won't; it's fine, you're, we've, I'll, I'm, I'd")).toEqual([
      "i",
      "do",
      "not",
      "can",
      "not",
      "will",
      "not",
      "it",
      "fine",
      "you",
      "are",
      "we",
      "have",
      "i",
      "will",
      "i",
      "am",
      "i",
    ]);
    expect(wordTokens("does n't work , that 's it , you 've")).toEqual([
      "does",
      "not",
      "work",
      "that",
      "it",
      "you",
      "have",
    ]);
    expect(wordTokens("Didn’t fit my wife’s feet")).toEqual([
      "did",
      "not",
      "fit",
      "my",
      "wife",
      "feet",
    ]);
  });

  test("wordTokens(text) keeps hyphenated words and strips other apostrophes and accents", () => {
    expect(wordTokens("well-made t-shirt, about-to-fall-off - ok")).toEqual([
      "well-made",
      "t-shirt",
      "about-to-fall-off",
      "ok",
    ]);
    expect(wordTokens("at 5 o'clock, the `` quoted '' and ` single ' ones")).toEqual([
      "at",
      "5",
      "oclock",
      "the",
      "quoted",
      "and",
      "single",
      "ones",
    ]);
    expect(wordTokens("Café NAÏVE ﬁne")).toEqual(["cafe", "naive", "fine"]);
    expect(wordTokens("the boots' soles, 'one' size")).toEqual([
      "the",
      "boots",
      "soles",
      "one",
      "size",
    ]);
  });

  test("wordTokens(fixture sentences) matches the numpy reference tokenizer", () => {
    const all = [...fixture.sentences, ...fixture.corpus];
    const expected = fixture.sentences.map((sentence) => wordTokens(sentence));
    expect(expected).toEqual(fixture.tokens);
    for (const text of all) expect(wordTokens(text).every((t) => t === t.toLowerCase())).toBe(true);
  });
});

describe("WordCounts", () => {
  test("WordCounts.add(text) counts tokens and gives relative frequencies", () => {
    const counts = new WordCounts();
    expect(counts.total).toBe(0);
    expect(counts.probability("good")).toBe(0);

    counts.add("Good battery, good sound.");
    counts.add("It's GOOD");
    expect(counts.total).toBe(6);
    expect(counts.count("good")).toBe(3);
    expect(counts.probability("good")).toBe(0.5);
    expect(counts.probability("battery")).toBeCloseTo(1 / 6, 15);
    expect(counts.probability("Good")).toBe(0);
  });
});

describe("sifEmbedder", () => {
  test("sifEmbedder(vectors).embed(sentences) matches numpy SIF to 1e-5", () => {
    // the fixture is only valid while each of its words has the same index (or absence)
    for (const [word, index] of Object.entries(fixture.indices)) {
      expect(
        vectors.index(word),
        `index of ${JSON.stringify(word)} changed since the ` +
          "fixture was made: run python3 scripts/fixtures/make_sif_fixture.py",
      ).toBe(index);
    }
    const counts = fixtureCounts();
    const sif = sifEmbedder(vectors, { counts, a: fixture.a });
    expectClose(sif.embed(fixture.sentences), fixture.sif, 1e-5);

    const two = sifEmbedder(vectors, { counts, a: fixture.a, components: 2 });
    expectClose(two.embed(fixture.sentences), fixture.sif2, 1e-5);
  });

  test("sifEmbedder(components 0) weights each word by a / (a + p(w)) over known words", () => {
    const counts = new WordCounts();
    counts.add("good good good battery");
    const sif = sifEmbedder(vectors, { counts, a: 0.5, components: 0, normalize: false });
    const good = vectors.vector(vectors.index("good"));
    const battery = vectors.vector(vectors.index("battery"));

    // p(good) = 3/4, p(battery) = 1/4; "i" and "2" are not in the vocabulary
    const actual = sif.embed(["I good 2 battery"]);
    for (let d = 0; d < 100; d++) {
      const expected = ((0.5 / 1.25) * good[d] + (0.5 / 0.75) * battery[d]) / 2;
      expect(actual[d]).toBeCloseTo(expected, 6);
    }
  });

  test("sifEmbedder(...).embed(sentences) gives unit rows, zero for unknown-word sentences", () => {
    const sentences = [
      "Great sound.",
      "",
      "2 3 !!",
      "i a",
      "The battery died fast.",
      "Comfortable in the ear",
      "123 :) ;-)",
    ];
    const rows = sifEmbedder(vectors, { counts: fixtureCounts() }).embed(sentences);

    expect(rows.every(Number.isFinite)).toBe(true);
    for (const i of [1, 2, 3, 6]) expect(row(rows, i).every((x) => x === 0)).toBe(true);
    for (const i of [0, 4, 5]) expect(length(row(rows, i))).toBeCloseTo(1, 6);
  });

  test("sifEmbedder(...).embed(one sentence) keeps its row: removal would leave nothing", () => {
    // one row is its own first singular vector: removing it would zero the
    // row, and a one-sentence product would get an empty summary
    const sif = sifEmbedder(vectors, { counts: fixtureCounts() });
    const kept = sifEmbedder(vectors, { counts: fixtureCounts(), components: 0 });
    const one = ["The battery lasts all day."];
    expect(sif.embed(one)).toEqual(kept.embed(one));
    expect(length(row(sif.embed(one), 0))).toBeCloseTo(1, 6);
    expect(sif.embed([])).toEqual(new Float32Array(0));
    // two rows and one component: the removal runs, and leaves both rows
    const two = sif.embed(["The battery lasts all day.", "The screen is too dim."]);
    expect(two).not.toEqual(kept.embed(["The battery lasts all day.", "The screen is too dim."]));
    expect(length(row(two, 0))).toBeCloseTo(1, 6);
  });

  test("sifEmbedder(...).embed(sentences) is deterministic and order-equivariant", () => {
    const sif = sifEmbedder(vectors, { counts: fixtureCounts() });
    const first = sif.embed(fixture.sentences);
    expect(sif.embed(fixture.sentences)).toEqual(first);
    expect(sifEmbedder(vectors, { counts: fixtureCounts() }).embed(fixture.sentences)).toEqual(
      first,
    );

    // reversing the rows changes only the summation order of X^T X
    const reversed = sif.embed([...fixture.sentences].reverse());
    const n = fixture.sentences.length;
    for (let i = 0; i < n; i++) {
      const a = row(first, i);
      row(reversed, n - 1 - i).forEach((x, d) => expect(Math.abs(x - a[d])).toBeLessThan(1e-6));
    }
  });

  test("sifEmbedder(bad options) throws naming the option", () => {
    const counts = new WordCounts();
    expect(() => sifEmbedder(vectors, { counts, a: 0 })).toThrow(
      new RangeError("sifEmbedder: options.a must be a finite number > 0, got 0"),
    );
    expect(() => sifEmbedder(vectors, { counts, components: 1.5 })).toThrow(
      new RangeError("sifEmbedder: options.components must be an integer in [0, 100], got 1.5"),
    );
    expect(() => sifEmbedder(vectors, { counts, components: 101 })).toThrow(RangeError);
    expect(() => sifEmbedder(vectors, {} as never)).toThrow(/options.counts must be a WordCounts/);
  });
});

describe("meanEmbedder", () => {
  let mean: Embedder;
  beforeAll(() => {
    mean = meanEmbedder(vectors, { normalize: false });
  });

  test("meanEmbedder(vectors).embed(2-word sentences) averages the two vectors", () => {
    const pairs = [
      ["good", "battery"],
      ["comfortable", "boots"],
      ["cheap", "zipper"],
    ];
    const rows = mean.embed(pairs.map((pair) => pair.join(" ")));
    const unit = meanEmbedder(vectors).embed(pairs.map((pair) => `${pair[1]}, ${pair[0]}!`));

    pairs.forEach(([a, b], i) => {
      const va = vectors.vector(vectors.index(a));
      const vb = vectors.vector(vectors.index(b));
      const expected = Array.from(va, (x, d) => (x + vb[d]) / 2);
      const size = length(expected);
      row(rows, i).forEach((x, d) => expect(x).toBeCloseTo(expected[d], 6));
      row(unit, i).forEach((x, d) => expect(x).toBeCloseTo(expected[d] / size, 6));
    });
  });

  test("meanEmbedder(vectors).embed(hyphenated word) uses its parts when it is unknown", () => {
    expect(vectors.index("in-ear")).toBe(-1);
    expect(mean.embed(["in-ear"])).toEqual(mean.embed(["in ear"]));
    expect(mean.embed(["well-known"])).not.toEqual(mean.embed(["well known"]));
  });

  test("meanEmbedder(vectors).embed(sentences) matches numpy, zero rows for unknown words", () => {
    const rows = meanEmbedder(vectors).embed(fixture.sentences);
    expectClose(rows, fixture.mean, 1e-5);
    expect(row(rows, fixture.sentences.length - 1).every((x) => x === 0)).toBe(true);
    expect(meanEmbedder(vectors).embed(["", "42"])).toEqual(new Float32Array(200));
  });
});
