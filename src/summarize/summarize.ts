// summarize(): extractive summaries scored by geodesic distance over the
// kNN graph of a product's sentence embeddings.

import { checkChoice, checkInteger, checkKeys, rangeError, typeError } from "../errors.js";
import { knnGraph } from "../knn.js";
import { METRICS, isCosineLike, type Metric } from "../metric.js";
import { geodesicFrom, shortestPaths } from "../paths.js";
import { toPoints, toVector, zeroVector, type Points, type PointsInput } from "../points.js";
import { rougeTokens } from "./rouge.js";
import { orderByScore, selectGreedy } from "./select.js";
import { TfIdf } from "./tfidf.js";

export type Scoring = "geodesic" | "centrality" | "cosine";
export const SCORINGS: readonly Scoring[] = ["geodesic", "centrality", "cosine"];

export interface SummarizeOptions {
  /** Summary length in words (whitespace tokens); the first sentence may overrun. Default 100. */
  budget?: number;
  /** The centre to summarize around (an aspect's vector, say). Default: the mean embedding. */
  centre?: ArrayLike<number>;
  /**
   * How sentences are scored. Default "geodesic": 1 / geodesic distance from
   * the centre; "centrality": 1 / mean geodesic distance to every sentence;
   * "cosine": cosine similarity to the centre (no graph).
   */
  scoring?: Scoring;
  /**
   * Neighbours per sentence in the kNN graph. Default round(√n) for n
   * sentences, the usual rule of thumb: neighbourhoods grow with the data.
   */
  k?: number;
  /** Nearest sentences the centre is attached to. Default: k. */
  attach?: number;
  /** Distance between embeddings. Default "euclidean". */
  metric?: Metric;
  /**
   * A candidate more similar than this to a chosen sentence is skipped, by
   * TF-IDF cosine over the sentences. Default 0.75; 1 turns the test off.
   */
  maxSimilarity?: number;
}

export interface SummarySentence {
  /** Position in the input. */
  index: number;
  text: string;
  score: number;
  /**
   * The chain of sentences (indices) the shortest path from the centre
   * went through, ending at this one; [] with "cosine" scoring.
   */
  path: number[];
}

export interface Summary {
  /** The chosen sentences, in input order. */
  selected: SummarySentence[];
  /** The chosen sentences joined in input order. */
  text: string;
  /** Every sentence's score (0 for sentences that cannot be scored: no words, zero vector). */
  scores: Float64Array;
  /** Every sentence's geodesic distance from the centre (Infinity when not scored). */
  distances: Float64Array;
}

/**
 * Picks the sentences that best represent `sentences` within a word budget,
 * by geodesic distance over the kNN graph of their `embeddings` (one row per
 * sentence). Sentences with no words or a zero embedding are never chosen.
 */
export function summarize(
  sentences: readonly string[],
  embeddings: PointsInput,
  options: SummarizeOptions = {},
): Summary {
  if (!Array.isArray(sentences)) throw typeError("sentences", sentences, "an array of strings");
  for (let i = 0; i < sentences.length; i++) {
    // a plain loop: some() would skip the holes of a sparse array
    if (typeof sentences[i] !== "string") {
      throw typeError(`sentences[${i}]`, sentences[i], "a string");
    }
  }
  const n = sentences.length;
  if (typeof options !== "object" || options === null) {
    throw typeError("options", options, "{ budget, centre, scoring, k, attach, metric }");
  }
  checkKeys("options", options, [
    "budget",
    "centre",
    "scoring",
    "k",
    "attach",
    "metric",
    "maxSimilarity",
  ]);
  const budget = checkInteger("options.budget", options.budget ?? 100, 1, Infinity);
  const scoring = checkChoice("options.scoring", options.scoring ?? "geodesic", SCORINGS);
  const metric = checkChoice("options.metric", options.metric ?? "euclidean", METRICS);
  if (options.k !== undefined) checkInteger("options.k", options.k, 1, Infinity);
  if (options.attach !== undefined) checkInteger("options.attach", options.attach, 1, Infinity);
  const maxSimilarity = options.maxSimilarity ?? 0.75;
  if (typeof maxSimilarity !== "number" || !(maxSimilarity >= 0 && maxSimilarity <= 1)) {
    throw rangeError("options.maxSimilarity", maxSimilarity, "a number in [0, 1]");
  }
  const scores = new Float64Array(n);
  const distances = new Float64Array(n).fill(Infinity);
  if (n === 0) return { selected: [], text: "", scores, distances };

  const points = toPoints(embeddings, "embeddings");
  if (points.rows !== n) {
    throw rangeError("embeddings.rows", points.rows, `${n}, one row per sentence`);
  }
  const centre =
    options.centre === undefined
      ? meanRow(points, usable(sentences, points))
      : toVector(options.centre, "options.centre", points.dim, false);
  if (isCosineLike(metric) && scoring !== "cosine" && !centre.some((x) => x !== 0)) {
    throw zeroVector(options.centre === undefined ? "the mean embedding" : "options.centre");
  }

  // score the usable sentences only, through a graph over them alone
  const keep = usable(sentences, points).filter((i) => i >= 0);
  const paths = new Map<number, number[]>();
  if (keep.length > 0) {
    const sub = subset(points, keep);
    const result = score(sub, centre, scoring, metric, options);
    keep.forEach((i, r) => {
      scores[i] = result.scores[r];
      distances[i] = result.distances[r];
    });
    result.pred.forEach((_, r) =>
      paths.set(
        keep[r],
        pathTo(r, result.pred).map((x) => keep[x]),
      ),
    );
  }

  // greedy selection, skipping near-repeats by TF-IDF cosine
  const tfidf = new TfIdf(sentences.map((s) => rougeTokens(s)));
  // every usable sentence is a candidate, whatever its score (cosine scores
  // may be 0 or negative): a budget with room left takes the next best
  const usableRows = new Set(keep);
  const candidates = orderByScore(scores).filter((i) => usableRows.has(i));
  const chosen = selectGreedy(candidates, sentences, {
    budget,
    maxSimilarity,
    similarity: maxSimilarity < 1 ? (i, j) => tfidf.cosine(i, j) : undefined,
  }).sort((a, b) => a - b);
  const selected = chosen.map((i) => ({
    index: i,
    text: sentences[i].trim(),
    score: scores[i],
    path: paths.get(i) ?? [],
  }));
  return { selected, text: selected.map((s) => s.text).join(" "), scores, distances };
}

// index per sentence, or -1 for one that has no words or a zero embedding
function usable(sentences: readonly string[], points: Points): number[] {
  return sentences.map((s, i) => {
    if (!/[\p{L}\p{N}]/u.test(s)) return -1;
    const row = points.data.subarray(i * points.dim, (i + 1) * points.dim);
    return row.some((x) => x !== 0) ? i : -1;
  });
}

function meanRow(points: Points, rows: number[]): Float32Array {
  const mean = new Float64Array(points.dim);
  const used = rows.filter((i) => i >= 0);
  for (const i of used) {
    for (let d = 0; d < points.dim; d++) mean[d] += points.data[i * points.dim + d];
  }
  return Float32Array.from(mean, (x) => (used.length ? x / used.length : 0));
}

function subset(points: Points, rows: number[]): Points {
  const data = new Float32Array(rows.length * points.dim);
  rows.forEach((i, r) =>
    data.set(points.data.subarray(i * points.dim, (i + 1) * points.dim), r * points.dim),
  );
  return { data, rows: rows.length, dim: points.dim };
}

interface Scored {
  scores: Float64Array;
  distances: Float64Array;
  pred: Int32Array;
}

function score(
  p: Points,
  centre: Float32Array,
  scoring: Scoring,
  metric: Metric,
  options: SummarizeOptions,
): Scored {
  const n = p.rows;
  const pred = new Int32Array(n).fill(-1);
  const direct = directDistances(p, centre, metric);
  if (scoring === "cosine" || n === 1) {
    const scores = Float64Array.from(cosines(p, centre));
    return { scores, distances: direct, pred };
  }

  const k = Math.max(1, Math.min(options.k ?? Math.round(Math.sqrt(n)), n - 1));
  const attach = Math.min(options.attach ?? k, n);
  const graph = knnGraph(p, { k, metric });
  const distances = geodesicFrom(graph, p, centre, { k: attach, metric, predecessors: pred });
  if (scoring === "geodesic") {
    return { scores: distances.map((d) => 1 / Math.max(d, 1e-12)), distances, pred };
  }

  // closeness centrality: the mean geodesic distance to every sentence
  const all = shortestPaths(
    graph,
    Array.from({ length: n }, (_, i) => i),
  ).distances;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += all[i * n + j];
    scores[i] = (n - 1) / Math.max(sum, 1e-12);
  }
  return { scores, distances, pred };
}

function directDistances(p: Points, centre: Float32Array, metric: Metric): Float64Array {
  const cos = cosines(p, centre);
  const out = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) {
    let squared = 0;
    for (let d = 0; d < p.dim; d++) squared += (p.data[i * p.dim + d] - centre[d]) ** 2;
    out[i] =
      metric === "euclidean"
        ? Math.sqrt(squared)
        : metric === "sqeuclidean"
          ? squared
          : metric === "cosine"
            ? 1 - cos[i]
            : Math.acos(Math.max(-1, Math.min(1, cos[i])));
  }
  return out;
}

function cosines(p: Points, centre: Float32Array): number[] {
  let cc = 0;
  for (let d = 0; d < p.dim; d++) cc += centre[d] * centre[d];
  return Array.from({ length: p.rows }, (_, i) => {
    let dot = 0;
    let xx = 0;
    for (let d = 0; d < p.dim; d++) {
      const x = p.data[i * p.dim + d];
      dot += x * centre[d];
      xx += x * x;
    }
    return xx > 0 && cc > 0 ? dot / Math.sqrt(xx * cc) : 0;
  });
}

// the chain of nodes from the one attached to the centre down to `node`
function pathTo(node: number, pred: Int32Array): number[] {
  const path = [node];
  for (let x = pred[node]; x >= 0 && path.length <= pred.length; x = pred[x]) path.push(x);
  return path.reverse();
}
