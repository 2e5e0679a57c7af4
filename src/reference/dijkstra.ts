// Plain TypeScript Dijkstra over CSR: the oracle for the WASM kernel and
// the "typed arrays and a binary heap" baseline of the benchmarks.

import { ReferenceHeap } from "./heap.js";

export interface ReferenceGraph {
  offsets: ArrayLike<number>;
  targets: ArrayLike<number>;
  weights: ArrayLike<number>;
}

export interface ReferencePaths {
  distances: Float64Array;
  predecessors: Int32Array;
  /** index into `sources` of each node's nearest source, -1 if unreachable */
  labels: Int32Array;
}

/**
 * Shortest paths from all `sources` at once (each starting at `starts[s]`,
 * default 0). With `limit` or `targets`, nodes not settled are Infinity.
 */
export function dijkstra(
  graph: ReferenceGraph,
  sources: ArrayLike<number>,
  options: { starts?: ArrayLike<number>; limit?: number; targets?: ArrayLike<number> } = {},
): ReferencePaths {
  const n = graph.offsets.length - 1;
  const { offsets, targets, weights } = graph;
  const limit = options.limit ?? Infinity;
  const distances = new Float64Array(n).fill(Infinity);
  const predecessors = new Int32Array(n).fill(-1);
  const labels = new Int32Array(n).fill(-1);
  const settled = new Uint8Array(n);
  const heap = new ReferenceHeap(n);

  for (let s = 0; s < sources.length; s++) {
    const v = sources[s];
    const d = options.starts ? options.starts[s] : 0;
    if (d > limit || !(d < distances[v])) continue;
    distances[v] = d;
    labels[v] = s;
    heap.push(v, d);
  }

  const wanted = new Set(options.targets ? Array.from(options.targets) : []);
  let remaining = wanted.size;
  while (heap.size > 0) {
    const key = heap.topKey();
    const u = heap.pop();
    if (settled[u] || key > distances[u]) continue;
    settled[u] = 1;
    if (remaining > 0 && wanted.has(u) && --remaining === 0) break;
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const v = targets[e];
      const nd = key + weights[e];
      if (settled[v] || nd >= distances[v] || nd > limit) continue;
      distances[v] = nd;
      predecessors[v] = u;
      labels[v] = labels[u];
      heap.push(v, nd);
    }
  }

  for (let v = 0; v < n; v++) {
    if (settled[v]) continue;
    distances[v] = Infinity;
    predecessors[v] = -1;
    labels[v] = -1;
  }
  return { distances, predecessors, labels };
}
