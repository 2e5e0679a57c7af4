// Seeded randomness for tests and benchmarks: the same seed gives the same
// points on every machine.

import { Graph } from "../src/graph.js";
import { mulberry32 } from "../src/summarize/stats.js";

/** A uniform generator in [0, 1), the same for a seed on every machine. */
export function rng(seed: number): () => number {
  return mulberry32(seed);
}

/** Standard normal draws (Box–Muller) from a uniform generator. */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** rows x dim standard normal points, row-major float32. */
export function randomPoints(rows: number, dim: number, seed: number) {
  const g = gaussian(rng(seed));
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = g();
  return { data, rows, dim };
}

/** A graph of m seeded random edges over n nodes, 5% of them of weight 0. */
export function randomGraph(n: number, m: number, seed: number, directed: boolean) {
  const random = rng(seed);
  const sources: number[] = [];
  const targets: number[] = [];
  const weights: number[] = [];
  for (let e = 0; e < m; e++) {
    sources.push(Math.floor(random() * n));
    targets.push(Math.floor(random() * n));
    weights.push(Math.fround(random() < 0.05 ? 0 : random() * 10));
  }
  return Graph.fromEdges({ nodes: n, sources, targets, weights, directed });
}
