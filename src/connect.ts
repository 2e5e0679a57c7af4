// Components, and joining them, for graphs built from points (knnGraph,
// radiusGraph and the pool): Borůvka rounds over components, each joining every
// component to its nearest other one by the closest pair of points. The
// rounds follow knnGraph's own bridging step for step (same pairs, same
// order, same weights), so a graph is bridged the same way by all three.

import type { Bridge } from "./graph.js";
import { buildCSR, type Csr } from "./csr.js";
import { arena, bytesOf, checkFits, wasm } from "./wasm.js";

/** The components of a CSR graph, ignoring direction: labels in order of lowest node. */
export function csrComponents(csr: Csr): { count: number; labels: Int32Array } {
  const n = csr.offsets.length - 1;
  checkFits(
    bytesOf(n + 1, 4) + bytesOf(csr.targets.length, 4) + 2 * bytesOf(n, 4),
    `components of ${n} nodes`,
  );
  return arena.scoped(() => {
    const { count, labels } = componentsInMemory(csr);
    return { count, labels: arena.i32().slice(labels >> 2, (labels >> 2) + n) };
  });
}

/**
 * csrComponents inside the caller's arena scope: `labels` points to one i32
 * per node in linear memory, where the bridging kernels read them.
 */
export function componentsInMemory(csr: Csr): { count: number; labels: number } {
  const n = csr.offsets.length - 1;
  const offsets = arena.alloc((n + 1) * 4);
  const targets = arena.alloc(csr.targets.length * 4);
  arena.i32().set(csr.offsets, offsets >> 2);
  arena.i32().set(csr.targets, targets >> 2);
  const parent = arena.alloc(n * 4);
  const labels = arena.alloc(n * 4);
  const count = wasm().connectedComponents(n, offsets, targets, parent, labels);
  return { count, labels };
}

/**
 * Borůvka's rounds over components. Each round takes every row's nearest
 * row in another component (`near`, -1 if none) and that pair's selection
 * key, joins each component along its best pair, and relabels the rows.
 */
export class Boruvka {
  /** Components left. */
  count: number;
  /** The component of each row, renumbered after every round. */
  readonly labels: Int32Array;
  /** The pairs joined so far, lower id first. */
  readonly bridges: Bridge[] = [];
  private readonly root: number[];

  constructor(labels: Int32Array, count: number) {
    this.labels = labels.slice();
    this.count = count;
    this.root = Array.from({ length: count }, (_, c) => c);
  }

  /** One round; `weight(i, j)` is the exact edge weight of rows i and j. */
  round(near: Int32Array, key: Float32Array, weight: (i: number, j: number) => number): void {
    const label = this.labels;
    const n = label.length;

    // the best outgoing pair of each component: smallest key, then lowest row
    const best = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const c = label[i];
      const b = best.get(c);
      if (near[i] >= 0 && (b === undefined || key[i] < key[b])) best.set(c, i);
    }

    // join along them, skipping pairs a previous join already connected
    for (const i of [...best.values()].sort((a, b) => a - b)) {
      const j = near[i];
      const a = this.find(label[i]);
      const b = this.find(label[j]);
      if (a === b) continue;
      this.root[Math.max(a, b)] = Math.min(a, b);
      this.count--;
      const w = weight(i, j);
      this.bridges.push(
        i < j ? { source: i, target: j, weight: w } : { source: j, target: i, weight: w },
      );
    }
    for (let i = 0; i < n; i++) label[i] = this.find(label[i]);
  }

  private find(c: number): number {
    const root = this.root;
    while (root[c] !== c) {
      root[c] = root[root[c]];
      c = root[c];
    }
    return c;
  }
}

/** `csr` with both directions of every bridge added. */
export function withBridges(csr: Csr, bridges: readonly Bridge[]): Csr {
  const n = csr.offsets.length - 1;
  const given = csr.targets.length;
  const m = given + 2 * bridges.length;
  const sources = new Int32Array(m);
  const targets = new Int32Array(m);
  const weights = new Float32Array(m);
  for (let u = 0; u < n; u++) sources.fill(u, csr.offsets[u], csr.offsets[u + 1]);
  targets.set(csr.targets);
  weights.set(csr.weights);

  // both directions of each bridge, whatever the mode
  let e = given;
  for (const b of bridges) {
    sources[e] = b.source;
    targets[e] = b.target;
    weights[e++] = b.weight;
    sources[e] = b.target;
    targets[e] = b.source;
    weights[e++] = b.weight;
  }
  return buildCSR(n, sources, targets, weights, false, false);
}
