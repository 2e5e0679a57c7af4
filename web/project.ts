// A 2-D picture of a graph's nodes that keeps its geodesic distances: classical
// multidimensional scaling of the shortest-path lengths (Isomap's last step),
// with the two leading eigenvectors found by power iteration. n is a product's
// sentence count, a few dozen to a few hundred, so n x n work is fine.

/** Power iterations per axis; a picture needs no more precision. */
const ITERATIONS = 200;

/**
 * @param distances n x n shortest-path lengths, row-major, all finite
 * @param n node count
 * @returns n x 2 coordinates (x then y per node), centred on the origin
 */
export function isomap2d(distances: Float64Array, n: number): Float64Array {
  // double centring of -d²/2 gives the Gram matrix of points with these distances
  const gram = Float64Array.from(distances, (d) => -0.5 * d * d);
  const rowMean = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) rowMean[i] += gram[i * n + j] / n;
    mean += rowMean[i] / n;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) gram[i * n + j] += mean - rowMean[i] - rowMean[j];
  }

  // two leading eigenvectors, the second after deflating the first; a coordinate is
  // eigenvector * sqrt(eigenvalue)
  const positions = new Float64Array(2 * n);
  for (let axis = 0; axis < 2; axis++) {
    let v = Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i + axis));
    let value = 0;
    for (let step = 0; step < ITERATIONS; step++) {
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) next[i] += gram[i * n + j] * v[j];
      value = Math.sqrt(next.reduce((sum, x) => sum + x * x, 0));
      if (value === 0) break;
      v = next.map((x) => x / value);
    }
    for (let i = 0; i < n; i++) positions[2 * i + axis] = v[i] * Math.sqrt(value);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) gram[i * n + j] -= value * v[i] * v[j];
    }
  }
  return positions;
}
