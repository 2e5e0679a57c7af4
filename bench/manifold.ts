// Seeded points on a curved low-dimensional manifold in a high-dimensional
// space, the shape sentence embeddings have: a `latent`-dimensional
// Gaussian, through a random linear map and tanh, plus a little noise. Its
// kNN graph is connected, so the figures measure the build and not the
// bridging of clusters.

import { gaussian, rng } from "../test/random.js";

export function manifold(rows: number, dim: number, seed: number, latent = 8) {
  const g = gaussian(rng(seed));
  const map = Float32Array.from({ length: latent * dim }, () => g() / Math.sqrt(latent));
  const data = new Float32Array(rows * dim);
  const z = new Float64Array(latent);
  for (let i = 0; i < rows; i++) {
    for (let l = 0; l < latent; l++) z[l] = 2 * g();
    for (let d = 0; d < dim; d++) {
      let s = 0;
      for (let l = 0; l < latent; l++) s += z[l] * map[l * dim + d];
      data[i * dim + d] = Math.tanh(s) + 0.05 * g();
    }
  }
  return { data, rows, dim, label: `${rows} x ${dim} manifold (${latent}-d latent)` };
}
