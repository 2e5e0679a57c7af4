// Seeded randomness for tests and benchmarks: the same seed gives the same
// points on every machine.

/** mulberry32: a small 32-bit generator, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
