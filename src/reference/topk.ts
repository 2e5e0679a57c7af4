// Plain TypeScript exact kNN lists: every pair in float64, a bounded sorted
// list per row. The oracle for knnSelect and the benchmark baseline.

import type { Metric } from "../metric.js";
import { distance } from "./distance.js";

export interface KnnLists {
  /** rows x k neighbour ids, each row by (distance, id) ascending */
  ids: Int32Array;
  /** rows x k distances */
  distances: Float64Array;
}

/**
 * The k nearest neighbours of the first `answered` rows (default: every
 * row) among all `rows`, self excluded, ties by lower id.
 */
export function knnLists(
  data: ArrayLike<number>,
  rows: number,
  dim: number,
  k: number,
  metric: Metric,
  answered = rows,
): KnnLists {
  const ids = new Int32Array(answered * k);
  const distances = new Float64Array(answered * k);
  for (let i = 0; i < answered; i++) {
    let count = 0;
    const base = i * k;
    for (let j = 0; j < rows; j++) {
      if (j === i) continue;
      const d = distance(data, dim, i, j, metric);
      if (count === k && d >= distances[base + k - 1]) continue;

      // j grows, so an equal distance already listed keeps its place
      let p = count < k ? count++ : k - 1;
      while (p > 0 && distances[base + p - 1] > d) {
        distances[base + p] = distances[base + p - 1];
        ids[base + p] = ids[base + p - 1];
        p--;
      }
      distances[base + p] = d;
      ids[base + p] = j;
    }
  }
  return { ids, distances };
}
