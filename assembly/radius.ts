// The pairs within a radius: every (i, j), i < j, whose edge weight is at
// most `radius`, written as edges i -> j (the caller adds the reverse).
//
//   src, dst  i32[capacity]   edge ends, i < j, rows in increasing order
//   w         f32[capacity]   edge weights, as pairDistance computes them
//   next      i32[1]          out: the first row not yet done
//
// How many pairs a row keeps is known only once it is done, so a row starts
// only when the buffer has room for all of its n - 1 - i pairs; the kernel
// stops before the first row that might not fit, and the caller drains the
// buffer and calls again from `next`.

import { isCosine, pairDistance } from "./distance";

/**
 * Writes the edges (i, j), i < j, `from` <= i, with weight <= `radius`
 * until the buffer might overflow. `norms` holds inverse norms for the
 * cosine metrics. Returns the number of edges written.
 */
export function radiusEdges(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, radius: f64,
  from: i32, src: usize, dst: usize, w: usize, capacity: i32, next: usize,
): i32 {
  let count = 0;
  let i = from;
  for (; i < rows; i++) {
    if (count + (rows - 1 - i) > capacity) break;
    count = radiusRow(points, rows, dim, metric, norms, radius, i, src, dst, w, count);
  }
  store<i32>(next, i);
  return count;
}

/**
 * Row i against every later row, edges written from slot `count` on;
 * returns the new count. Exported (see index.ts) to stay a function of its
 * own: V8 moves a WebAssembly function to its optimizing tier between
 * calls, never during one.
 */
export function radiusRow(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, radius: f64, i: i32,
  src: usize, dst: usize, w: usize, count: i32,
): i32 {
  const cosine = isCosine(metric);
  const stride = <usize>dim << 2;
  const a = points + <usize>i * stride;
  const ia = cosine ? load<f32>(norms + (<usize>i << 2)) : <f32>0;
  for (let j = i + 1; j < rows; j++) {
    const ib = cosine ? load<f32>(norms + (<usize>j << 2)) : <f32>0;
    const d = pairDistance(a, points + <usize>j * stride, dim, metric, ia, ib);

    // compared in f64 so that the radius is not rounded to float32 first
    if (<f64>d > radius) continue;
    const o = <usize>count << 2;
    store<i32>(src + o, i);
    store<i32>(dst + o, j);
    store<f32>(w + o, d);
    count++;
  }
  return count;
}
