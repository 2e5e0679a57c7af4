// Plain TypeScript connected components by breadth-first search over the
// graph with every edge taken both ways.

import type { ReferenceGraph } from "./dijkstra.js";

export function componentLabels(graph: ReferenceGraph): { count: number; labels: Int32Array } {
  const n = graph.offsets.length - 1;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let u = 0; u < n; u++) {
    for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
      neighbours[u].push(graph.targets[e]);
      neighbours[graph.targets[e]].push(u);
    }
  }
  const labels = new Int32Array(n).fill(-1);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (labels[start] >= 0) continue;
    labels[start] = count;
    const queue = [start];
    while (queue.length > 0) {
      const u = queue.pop()!;
      for (const v of neighbours[u]) {
        if (labels[v] < 0) {
          labels[v] = count;
          queue.push(v);
        }
      }
    }
    count++;
  }
  return { count, labels };
}
