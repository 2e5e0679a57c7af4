import { rougeFromTokens, rougeTokens } from "./rouge.js";
import { countWords } from "./sentences.js";
import { mulberry32 } from "./stats.js";
import type { TfIdf } from "./tfidf.js";

/**
 * Lead: earlier sentences score higher (n - i), so document order is the ranking. For a
 * product with several reviews, pass the sentences in file order.
 */
export function leadScores(n: number): Float64Array {
  checkCount(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = n - i;
  return scores;
}

/**
 * A seeded random order of 0 .. n - 1 (Fisher-Yates driven by mulberry32): the same
 * seed gives the same order on every platform.
 * @param seed any number; only its low 32 bits count
 */
export function randomOrder(n: number, seed: number): number[] {
  checkCount(n);
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

/**
 * TF-IDF centroid: each sentence's cosine to the mean of the product's unit sentence
 * vectors. All zeros when no sentence has a term.
 */
export function centroidScores(tfidf: TfIdf): Float64Array {
  const centre = tfidf.centroid();
  let squared = 0;
  for (let j = 0; j < centre.length; j++) squared += centre[j] * centre[j];
  const scores = new Float64Array(tfidf.rows);
  if (squared === 0) return scores;
  const length = Math.sqrt(squared);
  for (let i = 0; i < scores.length; i++) scores[i] = tfidf.dot(i, centre) / length;
  return scores;
}

/** Options of `lexRankScores`. */
export interface LexRankOptions {
  /** An edge joins two sentences whose cosine exceeds this. Default 0.1. */
  threshold?: number;
  /** Probability of following an edge rather than jumping anywhere. Default 0.85. */
  damping?: number;
  /** Stop when the scores move less than this in L1. Default 1e-8. */
  tolerance?: number;
  /** Give up after this many steps. Default 10000. */
  maxIterations?: number;
}

/**
 * LexRank (Erkan and Radev, 2004): PageRank on the graph that joins sentences whose TF-IDF
 * cosine exceeds `threshold`, each row normalized by its degree. As in the original, a
 * sentence is its own neighbour (cosine 1), so only a sentence without terms has no edge;
 * such a dangling row jumps uniformly. Power iteration from uniform until the L1 change
 * is below `tolerance`.
 *
 * @param options `threshold` 0.1, `damping` 0.85, `tolerance` 1e-8, `maxIterations` 10000
 * @returns the stationary distribution: one score per sentence, summing to 1
 */
export function lexRankScores(tfidf: TfIdf, options: LexRankOptions = {}): Float64Array {
  const { threshold = 0.1, damping = 0.85, tolerance = 1e-8, maxIterations = 10000 } = options;
  if (!(damping >= 0 && damping <= 1)) {
    throw new RangeError(`damping: expected a number in [0, 1], got ${damping}`);
  }
  if (Number.isNaN(threshold)) throw new RangeError(`threshold: expected a number, got NaN`);
  const n = tfidf.rows;
  if (n === 0) return new Float64Array(0);

  // neighbour lists of the thresholded graph; it is symmetric, so fill both ends at once
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (tfidf.cosine(i, j) <= threshold) continue;
      neighbours[i].push(j);
      if (j !== i) neighbours[j].push(i);
    }
  }

  // power iteration: next = (1 - d) / n + d * (mass along edges + dangling mass / n)
  let scores = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let step = 0; step < maxIterations; step++) {
    let dangling = 0;
    next.fill(0);
    for (let i = 0; i < n; i++) {
      const targets = neighbours[i];
      if (targets.length === 0) {
        dangling += scores[i];
        continue;
      }
      const share = scores[i] / targets.length;
      for (const j of targets) next[j] += share;
    }
    const base = (1 - damping) / n + (damping * dangling) / n;
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] = base + damping * next[i];
      change += Math.abs(next[i] - scores[i]);
    }
    [scores, next] = [next, scores];
    if (change < tolerance) break;
  }

  // the walk keeps total mass 1 up to rounding; remove the rounding
  let total = 0;
  for (let i = 0; i < n; i++) total += scores[i];
  for (let i = 0; i < n; i++) scores[i] /= total;
  return scores;
}

/**
 * Greedy oracle: repeatedly add the sentence that most raises the mean ROUGE-L F1 (over
 * `references`) of the summary so far, read in document order, under the `selectGreedy`
 * budget rule (the first may overrun, later ones must fit); stop when nothing raises it,
 * nothing fits, or the budget is met. Ties go to the lower index. Tokens are computed once
 * per sentence and reference, and a summary's tokens are the concatenation of its
 * sentences' tokens, as ROUGE would tokenize the joined text.
 *
 * @param budget summary length in words (`countWords`)
 * @returns chosen indices in the order chosen (empty if no sentence shares a word with the
 *   references): an upper bound for extractive selection
 */
export function oracleOrder(
  sentences: readonly string[],
  references: readonly string[],
  budget: number,
): number[] {
  if (!(budget >= 0) || budget === Infinity) {
    throw new RangeError(`budget: expected a finite number >= 0, got ${budget}`);
  }
  if (references.length === 0) {
    throw new RangeError("references: expected at least one reference, got 0");
  }
  const n = sentences.length;
  const refs = references.length;
  const tokens = sentences.map((sentence) => rougeTokens(sentence));
  const words = sentences.map((sentence) => countWords(sentence));
  const referenceTokens = references.map((reference) => rougeTokens(reference));

  // ROUGE-L of a summary given as ascending indices: mean F1, and the LCS per reference
  const evaluate = (indices: readonly number[]) => {
    const summary = indices.flatMap((i) => tokens[i]);
    const lcs = new Float64Array(refs);
    let sum = 0;
    for (let r = 0; r < refs; r++) {
      const { rougeL } = rougeFromTokens(summary, referenceTokens[r]);
      lcs[r] = Math.round(rougeL.recall * referenceTokens[r].length);
      sum += rougeL.f1;
    }
    return { f1: sum / refs, lcs };
  };

  // LCS of each sentence alone with each reference (row-major, n x refs). LCS(S + c, R) is
  // at most LCS(S, R) + LCS(c, R), and F1 = 2 LCS / (|S| + |R|), which bounds what adding c
  // can reach; candidates are tried best bound first and the rest skipped once no bound
  // can reach the best value found, so the result is the same as trying every candidate.
  const alone = new Float64Array(n * refs);
  for (let i = 0; i < n; i++) alone.set(evaluate([i]).lcs, i * refs);
  const bound = (i: number, summaryLcs: Float64Array, summaryLength: number): number => {
    let sum = 0;
    for (let r = 0; r < refs; r++) {
      const length = summaryLength + tokens[i].length + referenceTokens[r].length;
      if (length > 0) sum += (2 * (summaryLcs[r] + alone[i * refs + r])) / length;
    }
    return sum / refs;
  };

  const chosen: number[] = [];
  const inSummary: number[] = [];
  const taken = new Uint8Array(n);
  let best = 0;
  let summaryLcs = new Float64Array(refs);
  let summaryLength = 0;
  let total = 0;
  while (total < budget || chosen.length === 0) {
    // candidates that fit, by descending bound
    const candidates: number[] = [];
    const bounds = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (taken[i] || words[i] === 0) continue;
      if (chosen.length > 0 && total + words[i] > budget) continue;
      bounds[i] = bound(i, summaryLcs, summaryLength);
      candidates.push(i);
    }
    candidates.sort((a, b) => bounds[b] - bounds[a] || a - b);

    // each in its document position; the slack keeps rounding from pruning a tie
    let pick = -1;
    let pickF1 = best;
    let pickLcs = summaryLcs;
    for (const i of candidates) {
      if (bounds[i] + 1e-9 < pickF1) break;
      const at = insertionPoint(inSummary, i);
      const { f1, lcs } = evaluate([...inSummary.slice(0, at), i, ...inSummary.slice(at)]);
      if (f1 > pickF1 || (pick >= 0 && f1 === pickF1 && i < pick)) {
        pick = i;
        pickF1 = f1;
        pickLcs = lcs;
      }
    }
    if (pick < 0) break;

    inSummary.splice(insertionPoint(inSummary, pick), 0, pick);
    chosen.push(pick);
    taken[pick] = 1;
    best = pickF1;
    summaryLcs = pickLcs;
    summaryLength += tokens[pick].length;
    total += words[pick];
  }
  return chosen;
}

/** First position in an ascending array whose value exceeds `value`. */
function insertionPoint(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`n: expected an integer >= 0, got ${n}`);
  }
}
