// Seeded randomness for tests and benchmarks: the same seed gives the same
// points on every machine.

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
