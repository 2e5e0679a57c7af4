// Seeded benchmark inputs.

import { existsSync, readFileSync } from "node:fs";
import { gaussian, rng } from "../test/random.js";
import { parseWordVectors } from "../src/summarize/vectors.js";

/** rows x dim points drawn around `clusters` seeded Gaussian centres. */
export function clustered(rows: number, dim: number, seed: number, clusters = 20) {
  const g = gaussian(rng(seed));
  const centres = Float32Array.from({ length: clusters * dim }, () => 4 * g());
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const c = i % clusters;
    for (let d = 0; d < dim; d++) data[i * dim + d] = centres[c * dim + d] + g();
  }
  return { data, rows, dim, label: `${rows} x ${dim} clustered` };
}

const VECTORS = new URL("../build/vectors/glove-100d.bin", import.meta.url);

/**
 * `rows` real 100-d word vectors (the most frequent words after the first
 * 100, which are mostly punctuation and stop words), or clustered synthetic
 * points of the same shape when the vectors have not been built.
 */
export function wordVectors(rows: number) {
  if (!existsSync(VECTORS)) return clustered(rows, 100, 1);
  const vectors = parseWordVectors(readFileSync(VECTORS));
  const data = new Float32Array(rows * vectors.dim);
  for (let i = 0; i < rows; i++) data.set(vectors.vector(100 + i), i * vectors.dim);
  return { data, rows, dim: vectors.dim, label: `${rows} x ${vectors.dim} word vectors` };
}
