// Plain TypeScript distances in float64: the oracle for the SIMD kernels.

import type { Metric } from "../metric.js";

/** Distance between rows i and j of row-major `data` in `metric`, in float64. */
export function distance(
  data: ArrayLike<number>,
  dim: number,
  i: number,
  j: number,
  metric: Metric,
): number {
  return between(data, i * dim, data, j * dim, dim, metric);
}

/** Distance from a free vector `q` to row j of `data`. */
export function distanceTo(
  q: ArrayLike<number>,
  data: ArrayLike<number>,
  dim: number,
  j: number,
  metric: Metric,
): number {
  return between(q, 0, data, j * dim, dim, metric);
}

// a[at..at+dim) against b[bt..bt+dim)
function between(
  a: ArrayLike<number>,
  at: number,
  b: ArrayLike<number>,
  bt: number,
  dim: number,
  metric: Metric,
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let squared = 0;
  for (let d = 0; d < dim; d++) {
    const x = a[at + d];
    const y = b[bt + d];
    dot += x * y;
    na += x * x;
    nb += y * y;
    squared += (x - y) * (x - y);
  }
  if (metric === "euclidean") return Math.sqrt(squared);
  if (metric === "sqeuclidean") return squared;
  const cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
  return metric === "cosine" ? 1 - cos : Math.acos(cos);
}
