// Sentence embeddings from word vectors: SIF (Arora, Liang and Ma, "A simple but tough-to-beat
// baseline for sentence embeddings", ICLR 2017) and a plain mean. Browser-safe.

import type { WordVectors } from "./vectors.js";

/** Turns sentences into dense vectors. */
export interface Embedder {
  /** Components per sentence vector. */
  readonly dim: number;
  /**
   * Embed sentences.
   * @param sentences any text; a sentence without a known word gets a zero row
   * @returns sentences.length x dim values, row-major
   */
  embed(sentences: readonly string[]): Float32Array;
}

// the vocabulary is GloVe 6B's: lowercase, split the Penn Treebank way ("do" + "n't"), with
// every token holding an apostrophe or a period, every number and every single letter removed
// ("i", "a", "n't", "'s", "3", "e.g." are all absent); hyphenated words are kept
// ("well-known", "t-shirt"), and so are letter-digit mixes ("mp3")

/** Apostrophe look-alikes in reviews, and the backquote that opens quotes in OPOSUM. */
const APOSTROPHES = /[\u2018\u2019\u02bc\u00b4`]/g;
const HYPHENS = /[\u2010\u2011]/g;
const MARKS = /\p{M}/gu;
/** Letters and digits, joined by single inner apostrophes or hyphens; maybe a leading "'". */
const TOKEN = /'?[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;
/** A contraction's clitic, alone ("does n't" in pre-tokenized text) or attached ("doesn't"). */
const CLITIC = /^(.*?)(n't|'s|'re|'ve|'ll|'m|'d)$/;
/**
 * The words the clitics stand for, since the vocabulary has none of them. "'s" (is, has or a
 * possessive) and "'d" (had or would) are ambiguous and dropped.
 */
const CLITIC_WORDS: Record<string, string> = {
  "n't": "not",
  "'re": "are",
  "'ve": "have",
  "'ll": "will",
  "'m": "am",
  "'s": "",
  "'d": "",
};
/** Stems that Penn Treebank splitting leaves irregular: "ca" + "n't", "wo" + "n't". */
const NEGATED_STEMS: Record<string, string> = { ca: "can", wo: "will", sha: "shall" };

/**
 * Split text into lowercase word tokens shaped like the word vectors' vocabulary.
 *
 * Accents are stripped ("café" -> "cafe"); punctuation and symbols are dropped; hyphenated
 * words stay whole ("well-made"); contractions are expanded ("don't" -> "do", "not";
 * "can't" -> "can", "not"; "I'm" -> "i", "am"), and the ambiguous "'s" and "'d" are dropped
 * ("it's" -> "it"); other apostrophes are removed ("o'clock" -> "oclock"). Numbers and single
 * letters are kept, although the vocabulary lacks them, so that word counts see every token.
 *
 * @param text any text
 * @returns the tokens in order; [] for text without letters or digits
 */
export function wordTokens(text: string): string[] {
  const clean = text
    .normalize("NFKD")
    .replace(MARKS, "")
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(HYPHENS, "-");
  const tokens: string[] = [];
  for (const [token] of clean.matchAll(TOKEN)) {
    const clitic = CLITIC.exec(token);
    if (clitic === null) {
      tokens.push(token.replaceAll("'", ""));
      continue;
    }
    let stem = clitic[1].replaceAll("'", "");
    if (clitic[2] === "n't") stem = NEGATED_STEMS[stem] ?? stem;
    if (stem !== "") tokens.push(stem);
    const word = CLITIC_WORDS[clitic[2]];
    if (word !== "") tokens.push(word);
  }
  return tokens;
}

/** Unigram counts of the tokens of a corpus, for SIF weights. */
export class WordCounts {
  private readonly counts = new Map<string, number>();
  private tokens = 0;

  /**
   * Count the tokens of one text, as split by wordTokens.
   * @param text any text
   */
  add(text: string): void {
    for (const token of wordTokens(text)) {
      this.counts.set(token, (this.counts.get(token) ?? 0) + 1);
      this.tokens++;
    }
  }

  /**
   * How often `word` was counted.
   * @param word a token as produced by wordTokens
   * @returns the count; 0 for an unseen word
   */
  count(word: string): number {
    return this.counts.get(word) ?? 0;
  }

  /**
   * Relative frequency of `word` among all counted tokens.
   * @param word a token as produced by wordTokens
   * @returns count / total; 0 for an unseen word or an empty corpus
   */
  probability(word: string): number {
    return this.tokens === 0 ? 0 : this.count(word) / this.tokens;
  }

  /** Number of tokens counted. */
  get total(): number {
    return this.tokens;
  }
}

/** Options of sifEmbedder. */
export interface SifOptions {
  /** Unigram frequencies p(w), usually from all the review text at hand. */
  counts: WordCounts;
  /** Smoothing of the weights a / (a + p(w)); default 1e-3. */
  a?: number;
  /** How many leading singular vectors to remove; default 1; 0 keeps the weighted mean. */
  components?: number;
  /** Scale each row to unit length; default true. */
  normalize?: boolean;
}

/**
 * SIF sentence embeddings: each in-vocabulary token w weighted by a / (a + p(w)), the
 * weighted vectors averaged over the sentence's in-vocabulary tokens, then the projection on
 * the first `components` right singular vectors of the matrix of sentence vectors removed,
 * then each row scaled to unit length.
 *
 * The singular vectors are fitted on the rows of each `embed` call, so embed the sentences
 * that will be compared (a product's sentences) in one call. A hyphenated token missing from
 * the vocabulary counts as its parts that are in it ("nice-looking" -> "nice", "looking");
 * a word absent from `counts` has p(w) = 0, the largest weight, 1. There is no stop-word
 * list: the weights already shrink frequent words.
 *
 * Zero rows: a sentence without an in-vocabulary token gets a zero row, and so does a row
 * that the removal leaves at under 1e-6 of its length (it lay along the removed directions);
 * with no more rows than `components` nothing is removed, since every row would be. Rows are
 * never divided by zero, so they stay zero, and the caller decides what such a sentence means.
 *
 * @param vectors word vectors
 * @param options counts are required; a = 1e-3, components = 1, normalize = true
 * @returns the embedder; it holds no state between calls
 */
export function sifEmbedder(vectors: WordVectors, options: SifOptions): Embedder {
  const { counts, a = 1e-3, components = 1, normalize = true } = options ?? {};
  // duck-typed: a bundle may hold two copies of this module, and so two WordCounts classes
  if (typeof counts?.probability !== "function") {
    throw new TypeError(`sifEmbedder: options.counts must be a WordCounts, got ${counts}`);
  }
  if (!(a > 0 && a < Infinity)) {
    throw new RangeError(`sifEmbedder: options.a must be a finite number > 0, got ${a}`);
  }
  if (!Number.isInteger(components) || components < 0 || components > vectors.dim) {
    throw new RangeError(
      `sifEmbedder: options.components must be an integer in ` +
        `[0, ${vectors.dim}], got ${components}`,
    );
  }

  const weight = (word: string): number => a / (a + counts.probability(word));
  return {
    dim: vectors.dim,
    embed(sentences: readonly string[]): Float32Array {
      const points = weightedMeans(vectors, sentences, weight);
      const lengths = rowLengths(points, vectors.dim);
      removeComponents(points, vectors.dim, components);
      return finish(points, vectors.dim, lengths, normalize);
    },
  };
}

/**
 * Unweighted mean of the vectors of each sentence's in-vocabulary tokens, tokenized and
 * looked up as in sifEmbedder. A sentence without an in-vocabulary token gets a zero row,
 * which normalizing leaves at zero.
 *
 * @param vectors word vectors
 * @param options normalize = true scales each row to unit length
 * @returns the embedder
 */
export function meanEmbedder(
  vectors: WordVectors,
  options: { normalize?: boolean } = {},
): Embedder {
  const { normalize = true } = options;
  return {
    dim: vectors.dim,
    embed(sentences: readonly string[]): Float32Array {
      const points = weightedMeans(vectors, sentences, () => 1);
      return finish(points, vectors.dim, rowLengths(points, vectors.dim), normalize);
    },
  };
}

/**
 * Call `visit` on each in-vocabulary word of `text` and its index; a hyphenated token not in
 * the vocabulary visits its parts that are.
 */
function forEachKnownWord(
  vectors: WordVectors,
  text: string,
  visit: (word: string, index: number) => void,
): void {
  for (const token of wordTokens(text)) {
    const index = vectors.index(token);
    if (index >= 0) {
      visit(token, index);
    } else if (token.includes("-")) {
      for (const part of token.split("-")) {
        const partIndex = vectors.index(part);
        if (partIndex >= 0) visit(part, partIndex);
      }
    }
  }
}

/** Rows of weighted means in float64, so that the float32 output carries no summing error. */
function weightedMeans(
  vectors: WordVectors,
  sentences: readonly string[],
  weight: (word: string) => number,
): Float64Array {
  const dim = vectors.dim;
  const points = new Float64Array(sentences.length * dim);
  const vector = new Float32Array(dim);

  for (let i = 0; i < sentences.length; i++) {
    const row = i * dim;
    let known = 0;
    forEachKnownWord(vectors, sentences[i], (word, index) => {
      const w = weight(word);
      vectors.vector(index, vector);
      for (let d = 0; d < dim; d++) points[row + d] += w * vector[d];
      known++;
    });
    // averaged over the known tokens, as Arora et al.'s code does
    if (known > 0) for (let d = 0; d < dim; d++) points[row + d] /= known;
  }
  return points;
}

function rowLengths(points: Float64Array, dim: number): Float64Array {
  const rows = points.length / dim;
  const lengths = new Float64Array(rows);
  for (let i = 0; i < rows; i++) lengths[i] = Math.sqrt(dot(points, i * dim, points, i * dim, dim));
  return lengths;
}

/** Most power iterations per component; each costs dim² multiply-adds. */
const MAX_ITERATIONS = 1000;
/** Power iteration stops once the unit iterate moves less than this. */
const TOLERANCE = 1e-12;

/**
 * Subtract from each row its projection on the first `components` right singular vectors
 * of `points` (rows x dim), found by power iteration with deflation on the dim x dim matrix
 * points^T points. Iteration starts from the sum of the rows, which is close to the first
 * singular vector of SIF rows (they share a large common direction) and deterministic.
 *
 * Known shortcoming: fitted on each call's rows, so a handful of sentences gives a noisy
 * direction, and near-tied singular values may stop the iteration short of convergence (the
 * direction is then ill-defined anyway); components fitted once on a whole domain and passed
 * in as an option would resolve both.
 */
function removeComponents(points: Float64Array, dim: number, components: number): void {
  const rows = points.length / dim;
  // with no more rows than directions to remove, every row lies in their span
  // and would be removed whole: nothing would be left to score
  if (components === 0 || rows <= components) return;

  // gram = points^T points, dim x dim, symmetric
  const gram = new Float64Array(dim * dim);
  for (let i = 0; i < rows; i++) {
    const row = i * dim;
    for (let p = 0; p < dim; p++) {
      const x = points[row + p];
      if (x === 0) continue;
      for (let q = 0; q < dim; q++) gram[p * dim + q] += x * points[row + q];
    }
  }

  // leading eigenvectors of gram, each deflated out before the next; what deflation leaves
  // below `floor` is rounding residue, not a direction of the rows
  let trace = 0;
  for (let d = 0; d < dim; d++) trace += gram[d * dim + d];
  const floor = 1e-12 * trace;
  const found: Float64Array[] = [];
  for (let c = 0; c < components; c++) {
    const start = new Float64Array(dim);
    for (let i = 0; i < rows; i++) for (let d = 0; d < dim; d++) start[d] += points[i * dim + d];
    const vector = powerIteration(gram, dim, start, found, floor);
    if (vector === null) break; // nothing left: the rows span fewer than `components` dims
    found.push(vector);
    const value = rayleigh(gram, dim, vector);
    for (let p = 0; p < dim; p++) {
      for (let q = 0; q < dim; q++) gram[p * dim + q] -= value * vector[p] * vector[q];
    }
  }

  // project every row off the found directions
  for (let i = 0; i < rows; i++) {
    for (const vector of found) {
      const along = dot(points, i * dim, vector, 0, dim);
      for (let d = 0; d < dim; d++) points[i * dim + d] -= along * vector[d];
    }
  }
}

/**
 * Unit leading eigenvector of the symmetric positive semi-definite `matrix`, orthogonal to
 * `found`; null when `matrix` maps it to a vector no longer than `floor`.
 */
function powerIteration(
  matrix: Float64Array,
  dim: number,
  start: Float64Array,
  found: readonly Float64Array[],
  floor: number,
): Float64Array | null {
  let vector = orthonormalize(start, found);
  // the sum of the rows may vanish (rows that cancel out): fall back to a fixed start
  for (let d = 0; vector === null && d < dim; d++) {
    const axis = new Float64Array(dim);
    axis[d] = 1;
    vector = orthonormalize(axis, found);
  }
  if (vector === null) return null;

  const next = new Float64Array(dim);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (let p = 0; p < dim; p++) next[p] = dot(matrix, p * dim, vector, 0, dim);
    if (Math.sqrt(dot(next, 0, next, 0, dim)) <= floor) return null;
    const unit = orthonormalize(next, found);
    if (unit === null) return null;
    let moved = 0;
    for (let d = 0; d < dim; d++) moved += (unit[d] - vector[d]) ** 2;
    vector = unit;
    if (moved < TOLERANCE * TOLERANCE) break;
  }
  return vector;
}

/**
 * `vector` minus its projections on the orthonormal `found`, scaled to unit length, as a new
 * array; null when almost nothing is left.
 */
function orthonormalize(vector: Float64Array, found: readonly Float64Array[]): Float64Array | null {
  const dim = vector.length;
  const out = Float64Array.from(vector);
  const before = Math.sqrt(dot(out, 0, out, 0, dim));
  for (const other of found) {
    const along = dot(out, 0, other, 0, dim);
    for (let d = 0; d < dim; d++) out[d] -= along * other[d];
  }
  const length = Math.sqrt(dot(out, 0, out, 0, dim));
  if (length === 0 || length <= 1e-12 * before) return null;
  for (let d = 0; d < dim; d++) out[d] /= length;
  return out;
}

function rayleigh(matrix: Float64Array, dim: number, vector: Float64Array): number {
  let value = 0;
  for (let p = 0; p < dim; p++) value += vector[p] * dot(matrix, p * dim, vector, 0, dim);
  return value;
}

function dot(
  a: Float64Array,
  aStart: number,
  b: Float64Array,
  bStart: number,
  dim: number,
): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += a[aStart + d] * b[bStart + d];
  return sum;
}

/** Rows that removal left below this fraction of their length become zero rows. */
const VANISHED = 1e-6;

/** Zero the vanished rows, scale the others to unit length if asked, round to float32. */
function finish(
  points: Float64Array,
  dim: number,
  lengths: Float64Array,
  normalize: boolean,
): Float32Array {
  const rows = lengths.length;
  const out = new Float32Array(points.length);
  for (let i = 0; i < rows; i++) {
    const length = Math.sqrt(dot(points, i * dim, points, i * dim, dim));
    if (length === 0 || length <= VANISHED * lengths[i]) continue;
    const scale = normalize ? 1 / length : 1;
    for (let d = 0; d < dim; d++) out[i * dim + d] = points[i * dim + d] * scale;
  }
  return out;
}
