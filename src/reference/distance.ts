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
  let dot = 0;
  let na = 0;
  let nb = 0;
  let squared = 0;
  for (let d = 0; d < dim; d++) {
    const a = data[i * dim + d];
    const b = data[j * dim + d];
    dot += a * b;
    na += a * a;
    nb += b * b;
    squared += (a - b) * (a - b);
  }
  return fromParts(metric, squared, dot, na, nb);
}

/** Distance from a free vector `q` to row j of `data`. */
export function distanceTo(
  q: ArrayLike<number>,
  data: ArrayLike<number>,
  dim: number,
  j: number,
  metric: Metric,
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let squared = 0;
  for (let d = 0; d < dim; d++) {
    const a = q[d];
    const b = data[j * dim + d];
    dot += a * b;
    na += a * a;
    nb += b * b;
    squared += (a - b) * (a - b);
  }
  return fromParts(metric, squared, dot, na, nb);
}

function fromParts(metric: Metric, squared: number, dot: number, na: number, nb: number): number {
  if (metric === "euclidean") return Math.sqrt(squared);
  if (metric === "sqeuclidean") return squared;
  const cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
  return metric === "cosine" ? 1 - cos : Math.acos(cos);
}
