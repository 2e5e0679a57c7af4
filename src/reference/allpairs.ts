// Plain TypeScript all-pairs distances: one reference Dijkstra per source,
// rounded to float32 as allPairs returns them.

import { dijkstra, type ReferenceGraph } from "./dijkstra.js";

export function referenceAllPairs(graph: ReferenceGraph, sources: ArrayLike<number>): Float32Array {
  const n = graph.offsets.length - 1;
  const out = new Float32Array(sources.length * n);
  for (let r = 0; r < sources.length; r++) out.set(dijkstra(graph, [sources[r]]).distances, r * n);
  return out;
}
