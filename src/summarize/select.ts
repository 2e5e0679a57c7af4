import { countWords } from "./sentences.js";

/** Options of `selectGreedy`. */
export interface SelectOptions {
  /** Summary length in words (`countWords`); the first sentence taken may overrun it. */
  budget: number;
  /** Similarity of two sentences by index; without it no redundancy test is made. */
  similarity?: (i: number, j: number) => number;
  /** A candidate more similar than this to a chosen sentence is skipped. Default 0.75. */
  maxSimilarity?: number;
}

/**
 * Picks sentences greedily within a word budget.
 *
 * Walks `order` (best first) and skips a candidate that repeats an index, has no words,
 * repeats the text of a chosen sentence (after trimming and collapsing whitespace), is
 * more similar than `maxSimilarity` (default 0.75) to a chosen sentence, or would take
 * the total past `budget`. The first sentence taken is exempt from the budget, so a
 * summary is never empty while a candidate has words; later ones may be shorter and
 * still fit, so the walk goes on until the budget is met exactly or candidates run out.
 *
 * @returns chosen indices in the order chosen
 */
export function selectGreedy(
  order: readonly number[],
  sentences: readonly string[],
  options: SelectOptions,
): number[] {
  const { budget, similarity, maxSimilarity = 0.75 } = options;
  if (!(budget >= 0) || budget === Infinity) {
    throw new RangeError(`budget: expected a finite number >= 0, got ${budget}`);
  }
  if (Number.isNaN(maxSimilarity)) {
    throw new RangeError(`maxSimilarity: expected a number, got ${maxSimilarity}`);
  }

  const chosen: number[] = [];
  const taken = new Set<number>();
  const texts = new Set<string>();
  let words = 0;

  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= sentences.length) {
      throw new RangeError(`order: expected integers in [0, ${sentences.length}), got ${i}`);
    }
    if (taken.has(i)) continue;

    // the budget test first: it is the cheapest and rejects most candidates late on
    const length = countWords(sentences[i]);
    if (length === 0) continue;
    if (chosen.length > 0 && words + length > budget) continue;

    const text = sentences[i].trim().replace(/\s+/g, " ");
    if (texts.has(text)) continue;
    if (similarity && chosen.some((j) => similarity(i, j) > maxSimilarity)) continue;

    chosen.push(i);
    taken.add(i);
    texts.add(text);
    words += length;

    // met exactly, or overrun by the first: no word fits any more
    if (words >= budget) break;
  }
  return chosen;
}

/**
 * The summary as printed: chosen sentences in document order (ascending index), trimmed,
 * joined with single spaces, so the text does not depend on the order of choice.
 */
export function summaryText(indices: readonly number[], sentences: readonly string[]): string {
  return [...indices]
    .sort((a, b) => a - b)
    .map((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= sentences.length) {
        throw new RangeError(`indices: expected integers in [0, ${sentences.length}), got ${i}`);
      }
      return sentences[i].trim();
    })
    .join(" ");
}

/**
 * Indices by descending score, ties by ascending index: the `order` for `selectGreedy`.
 * NaN scores go last.
 */
export function orderByScore(scores: ArrayLike<number>): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  const key = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  return order.sort((a, b) => key(b) - key(a) || a - b);
}
