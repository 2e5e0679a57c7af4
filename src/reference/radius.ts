// Plain TypeScript radius graph: every pair in float64, kept when its
// distance is <= radius (scikit-learn's convention), both directions.

import type { Metric } from "../metric.js";
import { csrFromEdges, type ReferenceCsr } from "./csr.js";
import { distance } from "./distance.js";

export function referenceRadiusGraph(
  data: ArrayLike<number>,
  rows: number,
  dim: number,
  radius: number,
  metric: Metric = "euclidean",
): ReferenceCsr {
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      const d = distance(data, dim, i, j, metric);
      if (d > radius) continue;
      src.push(i);
      dst.push(j);
      w.push(d);
    }
  }
  return csrFromEdges(rows, src, dst, w, true);
}
