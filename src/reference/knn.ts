// The whole kNN graph pipeline in plain TypeScript: lists, symmetrization,
// components and bridging by Kruskal over every pair of components.

import type { Connect, Metric, Mode } from "../metric.js";
import { componentLabels } from "./components.js";
import { csrFromEdges, type ReferenceCsr } from "./csr.js";
import { distance } from "./distance.js";
import { knnLists } from "./topk.js";

export interface ReferenceKnnGraph extends ReferenceCsr {
  bridges: { source: number; target: number; weight: number }[];
}

export function referenceKnnGraph(
  data: ArrayLike<number>,
  rows: number,
  dim: number,
  options: { k: number; metric?: Metric; mode?: Mode; connect?: Connect },
): ReferenceKnnGraph {
  const { k } = options;
  const metric = options.metric ?? "euclidean";
  const mode = options.mode ?? "union";
  const lists = knnLists(data, rows, dim, k, metric);
  const src = new Int32Array(rows * k);
  for (let i = 0; i < rows; i++) src.fill(i, i * k, (i + 1) * k);
  const csr = csrFromEdges(
    rows,
    src,
    lists.ids,
    lists.distances,
    mode !== "directed",
    mode === "mutual",
  );
  if ((options.connect ?? "bridge") !== "bridge") return { ...csr, bridges: [] };

  // closest pair between every two components, then Kruskal over them
  const { count, labels } = componentLabels(csr);
  if (count === 1) return { ...csr, bridges: [] };
  const best = new Map<string, { i: number; j: number; d: number }>();
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      if (labels[i] === labels[j]) continue;
      const key = `${Math.min(labels[i], labels[j])},${Math.max(labels[i], labels[j])}`;
      const d = distance(data, dim, i, j, metric);
      const b = best.get(key);
      if (!b || d < b.d) best.set(key, { i, j, d });
    }
  }
  const root = Array.from({ length: count }, (_, c) => c);
  const find = (c: number): number => (root[c] === c ? c : (root[c] = find(root[c])));
  const bridges: ReferenceKnnGraph["bridges"] = [];
  for (const { i, j, d } of [...best.values()].sort(
    (a, b) => a.d - b.d || a.i - b.i || a.j - b.j,
  )) {
    const a = find(labels[i]);
    const b = find(labels[j]);
    if (a === b) continue;
    root[Math.max(a, b)] = Math.min(a, b);
    bridges.push({ source: i, target: j, weight: d });
  }

  // rebuild with both directions of every bridge
  const s: number[] = [];
  const t: number[] = [];
  const w: number[] = [];
  for (let u = 0; u < rows; u++) {
    for (let e = csr.offsets[u]; e < csr.offsets[u + 1]; e++) {
      s.push(u);
      t.push(csr.targets[e]);
      w.push(csr.weights[e]);
    }
  }
  for (const b of bridges) {
    s.push(b.source, b.target);
    t.push(b.target, b.source);
    w.push(b.weight, b.weight);
  }
  return { ...csrFromEdges(rows, s, t, w, false), bridges };
}
