// Pairs closer than float32 squares can tell apart. The kernels rank L2
// neighbours by sums of squared differences in float32, on rows scaled so
// that their largest coordinate is near 1 (see prepareRows); a squared
// difference below about 2^-126 then loses bits, and below 2^-149 becomes 0.
// That only happens to pairs whose distance is below about 2^-50 of the
// largest coordinate, which rows of very different scales can have (points
// 1e-25 apart beside a coordinate of 1): their keys tie at 0, and the lower
// index would win. The rows whose lists hold such a key are ranked again
// here in float64 from the caller's coordinates, over every other row, and
// the weights of such pairs are computed in float64 too. Exact duplicates
// weigh exactly 0 either way and are left as they are.
//
// TODO: bridges between components (connect: "bridge") are still chosen and
// weighed in float32, so two components closer than this could be joined by
// a tied pair; applying exactTinyWeights to the bridge candidates would
// resolve it.

import type { Metric } from "./metric.js";
import type { Points } from "./points.js";

/** Squared distance (on the prepared rows) below which float32 may lose it. */
const TINY = 2 ** -100;

/**
 * Ranks again, in float64, each row of the k-lists (`ids`, `keys`: knnRefine's
 * weights on the prepared rows, `weightScale` times smaller than the true
 * ones) holding a pair that is closer than TINY but not an exact duplicate.
 * L2 metrics only. Returns the number of rows ranked again.
 */
export function rerankTiny(
  p: Points,
  metric: Metric,
  k: number,
  ids: Int32Array,
  keys: Float32Array,
  weightScale: number,
): number {
  if (metric !== "euclidean" && metric !== "sqeuclidean") return 0;
  const squared = metric === "sqeuclidean";
  let again = 0;
  for (let i = 0; i < p.rows; i++) {
    let suspect = false;
    for (let s = i * k; s < (i + 1) * k && !suspect; s++) {
      const key = keys[s];
      const sq = squared ? key : key * key;
      suspect = sq < TINY && ids[s] >= 0 && !sameRow(p, i, ids[s]);
    }
    if (!suspect) continue;
    again++;
    const nearest = nearestExact(p, i, k);
    for (let r = 0; r < k; r++) {
      ids[i * k + r] = nearest[r].id;
      keys[i * k + r] = weightOf(nearest[r].sq, squared) / weightScale;
    }
  }
  return again;
}

/**
 * Weights (true scale, float32) of the edges between rows closer than
 * TINY computed again in float64; `weightScale` as for rerankTiny.
 */
export function exactTinyWeights(
  p: Points,
  metric: Metric,
  csr: { offsets: Int32Array; targets: Int32Array; weights: Float32Array },
  weightScale: number,
): void {
  if (metric !== "euclidean" && metric !== "sqeuclidean") return;
  const squared = metric === "sqeuclidean";
  const n = csr.offsets.length - 1;
  for (let u = 0; u < n; u++) {
    for (let e = csr.offsets[u]; e < csr.offsets[u + 1]; e++) {
      const onRows = csr.weights[e] / weightScale;
      if ((squared ? onRows : onRows * onRows) >= TINY) continue;
      csr.weights[e] = weightOf(squaredDistance(p, u, csr.targets[e]), squared);
    }
  }
}

function weightOf(sq: number, squared: boolean): number {
  return Math.fround(squared ? sq : Math.sqrt(sq));
}

function sameRow(p: Points, i: number, j: number): boolean {
  const { data, dim } = p;
  for (let d = 0; d < dim; d++) if (data[i * dim + d] !== data[j * dim + d]) return false;
  return true;
}

// Σ (a - b)² in float64, scaled by the largest difference so it cannot underflow
function squaredDistance(p: Points, i: number, j: number): number {
  const { data, dim } = p;
  let largest = 0;
  for (let d = 0; d < dim; d++) {
    largest = Math.max(largest, Math.abs(data[i * dim + d] - data[j * dim + d]));
  }
  if (largest === 0) return 0;
  let sum = 0;
  for (let d = 0; d < dim; d++) {
    const r = (data[i * dim + d] - data[j * dim + d]) / largest;
    sum += r * r;
  }
  return largest * largest * sum;
}

// the k nearest other rows of row i by float64 distance, ties by lower id
function nearestExact(p: Points, i: number, k: number): { id: number; sq: number }[] {
  const all: { id: number; sq: number }[] = [];
  for (let j = 0; j < p.rows; j++) if (j !== i) all.push({ id: j, sq: squaredDistance(p, i, j) });
  all.sort((a, b) => a.sq - b.sq || a.id - b.id);
  return all.slice(0, k);
}
