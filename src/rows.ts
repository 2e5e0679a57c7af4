// Points copied into linear memory, then checked and prepared there (the
// kernels of assembly/rows.ts): the same checks as toPoints and the same rows
// as prepareRows (src/points.ts), bit for bit, at SIMD speed. knnGraph and
// geodesicFrom use it; the pool prepares its shared rows with prepareRows.

import { isCosineLike, type Metric } from "./metric.js";
import { scaling, valueError, type Points, type Prepared } from "./points.js";
import { arena, wasm } from "./wasm.js";

/**
 * Copies `p` into the arena (the caller's scope), refuses a non-finite value
 * (or, for cosine metrics, a zero row) with toPoints' error naming `name`,
 * and prepares the copy in place: unit rows for cosine metrics, L2 rows
 * scaled by a power of two where prepareRows would. Returns the copy's
 * address and the scales.
 */
export function uploadPrepared(
  p: Points,
  metric: Metric,
  name = "points",
): { points: number } & Omit<Prepared, "data"> {
  const w = wasm();
  const cosine = isCosineLike(metric);
  const points = arena.alloc(p.data.length * 4);
  arena.f32().set(p.data, points >> 2);
  const found = w.scanRows(points, p.rows, p.dim, cosine ? 1 : 0);
  if (found !== -1) throw valueError(p, name, found);
  if (cosine) {
    w.unitRows(points, p.rows, p.dim);
    return { points, scale: 1, weightScale: 1 };
  }
  const scales = scaling(w.scanLargest(), metric === "sqeuclidean");
  if (scales.scale !== 1) w.scaleValues(points, p.data.length, scales.scale);
  return { points, ...scales };
}
