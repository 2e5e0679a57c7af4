// Plain TypeScript graph from flat neighbour rows (k ids and k distances
// per row, -1 padding): the oracle for Graph.fromNeighbors.

import type { Mode } from "../metric.js";
import { csrFromEdges, type ReferenceCsr } from "./csr.js";

export function referenceFromNeighbors(
  indices: ArrayLike<number>,
  distances: ArrayLike<number>,
  k: number,
  options: { mode?: Mode; squared?: boolean; nodes?: number } = {},
): ReferenceCsr {
  const rows = indices.length / k;
  const mode = options.mode ?? "union";

  // one entry per (row, id): the smallest distance listed
  const best = new Map<string, [number, number, number]>();
  for (let i = 0; i < rows; i++) {
    for (let s = 0; s < k; s++) {
      const j = indices[i * k + s];
      if (j === -1 || j === i) continue;
      const raw = distances[i * k + s];
      const d = options.squared ? Math.sqrt(Math.max(raw, 0)) : raw;
      const key = `${i},${j}`;
      const had = best.get(key);
      if (!had || d < had[2]) best.set(key, [i, j, d]);
    }
  }
  const edges = [...best.values()];
  return csrFromEdges(
    options.nodes ?? rows,
    edges.map((e) => e[0]),
    edges.map((e) => e[1]),
    edges.map((e) => e[2]),
    mode !== "directed",
    mode === "mutual",
  );
}
