// Bounded selection of the k smallest keys per row.
//
// Per-row lists, each sorted by key, ties by the lower id:
//
//   ids    i32[rows * k]   neighbour ids, row-major
//   keys   f32[rows * k]   their keys (selection distances), ascending
//   counts i32[rows]       how many slots of a row are filled (<= k)
//   worst  f32[rows]       the k-th key once the row is full, else +inf
//
// Candidates reach every row in increasing id order (see `knnSelect`), so a
// strict comparison is all the tie-breaking needs: an equal key that comes
// later has the higher id and never displaces an earlier one.

import { dot, isCosine, pairDistance, squaredDiff } from "./distance";

// @ts-ignore: decorator
@inline function offer(
  row: i32, id: i32, key: f32, k: i32,
  ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  const wp = worst + (<usize>row << 2);
  const cp = counts + (<usize>row << 2);
  const count = load<i32>(cp);
  if (key >= load<f32>(wp) && count == k) return;

  // shift larger keys one slot right, dropping the last when full
  const base = <usize>row * <usize>k;
  let p = count < k ? count : k - 1;
  while (p > 0) {
    const prev = load<f32>(keys + ((base + <usize>p - 1) << 2));
    if (prev <= key) break;
    store<f32>(keys + ((base + <usize>p) << 2), prev);
    store<i32>(ids + ((base + <usize>p) << 2), load<i32>(ids + ((base + <usize>p - 1) << 2)));
    p--;
  }
  store<f32>(keys + ((base + <usize>p) << 2), key);
  store<i32>(ids + ((base + <usize>p) << 2), id);

  if (count < k) store<i32>(cp, count + 1);
  if (count + 1 >= k) store<f32>(wp, load<f32>(keys + ((base + <usize>k - 1) << 2)));
}

// @ts-ignore: decorator
@inline function cosineKey(s: f32, ni: f32, nj: f32): f32 {
  return <f32>1 - s * ni * nj;
}

function resetLists(rows: i32, counts: usize, worst: usize): void {
  for (let i = 0; i < rows; i++) {
    store<i32>(counts + (<usize>i << 2), 0);
    store<f32>(worst + (<usize>i << 2), Infinity);
  }
}

/**
 * Exact k nearest neighbours of every row, self excluded. Each unordered pair
 * is computed once and offered to both rows; four rows share every load of
 * a column. `norms` holds inverse norms for the cosine metrics.
 *
 * L2 keys are Σ (a - b)², not |a|² + |b|² - 2 a·b: the latter loses the
 * neighbour order in float32 once |a|² dwarfs the distances (points far
 * from the origin). It costs a subtraction per element; centring the data
 * and ranking a margin of extra candidates exactly would win it back.
 */
export function knnSelect(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  const cosine = isCosine(metric);
  const stride = <usize>dim << 2;
  resetLists(rows, counts, worst);

  let i0 = 0;
  for (; i0 + 4 <= rows; i0 += 4) {
    const a0 = points + <usize>i0 * stride;
    for (let j = i0 + 1; j < rows; j++) {
      const b = points + <usize>j * stride;
      if (cosine) {
        dots4(a0, stride, b, dim);
        const nj = load<f32>(norms + (<usize>j << 2));
        for (let r = 0; r < 4; r++) {
          const at = block + (<usize>r << 2);
          store<f32>(at, cosineKey(load<f32>(at), load<f32>(norms + (<usize>(i0 + r) << 2)), nj));
        }
      } else {
        squaredDiffs4(a0, stride, b, dim);
      }

      // only pairs (i, j) with i < j: the others were offered already
      const last = min(j - i0, 4);
      for (let r = 0; r < last; r++) {
        const key = load<f32>(block + (<usize>r << 2));
        offer(i0 + r, j, key, k, ids, keys, counts, worst);
        offer(j, i0 + r, key, k, ids, keys, counts, worst);
      }
    }
  }

  // the last rows, fewer than four, one at a time
  for (; i0 < rows; i0++) {
    const a = points + <usize>i0 * stride;
    for (let j = i0 + 1; j < rows; j++) {
      const key = pairKey(cosine, a, points + <usize>j * stride, dim, norms, i0, j);
      offer(i0, j, key, k, ids, keys, counts, worst);
      offer(j, i0, key, k, ids, keys, counts, worst);
    }
  }
}

// results of the four-row kernels: 4 x f32 of static memory, no allocation
const block: usize = memory.data(16);

/** a_r · b for the four rows starting at `a0`, into `block`. */
function dots4(a0: usize, stride: usize, b: usize, dim: i32): void {
  const a1 = a0 + stride;
  const a2 = a1 + stride;
  const a3 = a2 + stride;
  const dim4 = dim & ~3;
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  for (let d = 0; d < dim4; d += 4) {
    const o = <usize>d << 2;
    const vb = v128.load(b + o);
    c0 = f32x4.add(c0, f32x4.mul(v128.load(a0 + o), vb));
    c1 = f32x4.add(c1, f32x4.mul(v128.load(a1 + o), vb));
    c2 = f32x4.add(c2, f32x4.mul(v128.load(a2 + o), vb));
    c3 = f32x4.add(c3, f32x4.mul(v128.load(a3 + o), vb));
  }
  let s0 = hsum(c0);
  let s1 = hsum(c1);
  let s2 = hsum(c2);
  let s3 = hsum(c3);
  for (let d = dim4; d < dim; d++) {
    const o = <usize>d << 2;
    const x = load<f32>(b + o);
    s0 += load<f32>(a0 + o) * x;
    s1 += load<f32>(a1 + o) * x;
    s2 += load<f32>(a2 + o) * x;
    s3 += load<f32>(a3 + o) * x;
  }
  store<f32>(block, s0);
  store<f32>(block, s1, 4);
  store<f32>(block, s2, 8);
  store<f32>(block, s3, 12);
}

/** Σ (a_r - b)² for the four rows starting at `a0`, into `block`. */
function squaredDiffs4(a0: usize, stride: usize, b: usize, dim: i32): void {
  const a1 = a0 + stride;
  const a2 = a1 + stride;
  const a3 = a2 + stride;
  const dim4 = dim & ~3;
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  for (let d = 0; d < dim4; d += 4) {
    const o = <usize>d << 2;
    const vb = v128.load(b + o);
    const t0 = f32x4.sub(v128.load(a0 + o), vb);
    const t1 = f32x4.sub(v128.load(a1 + o), vb);
    const t2 = f32x4.sub(v128.load(a2 + o), vb);
    const t3 = f32x4.sub(v128.load(a3 + o), vb);
    c0 = f32x4.add(c0, f32x4.mul(t0, t0));
    c1 = f32x4.add(c1, f32x4.mul(t1, t1));
    c2 = f32x4.add(c2, f32x4.mul(t2, t2));
    c3 = f32x4.add(c3, f32x4.mul(t3, t3));
  }
  let s0 = hsum(c0);
  let s1 = hsum(c1);
  let s2 = hsum(c2);
  let s3 = hsum(c3);
  for (let d = dim4; d < dim; d++) {
    const o = <usize>d << 2;
    const x = load<f32>(b + o);
    const t0 = load<f32>(a0 + o) - x;
    const t1 = load<f32>(a1 + o) - x;
    const t2 = load<f32>(a2 + o) - x;
    const t3 = load<f32>(a3 + o) - x;
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
  }
  store<f32>(block, s0);
  store<f32>(block, s1, 4);
  store<f32>(block, s2, 8);
  store<f32>(block, s3, 12);
}

// selection key of one pair: squared L2 or 1 - cos
// @ts-ignore: decorator
@inline function pairKey(
  cosine: bool, a: usize, b: usize, dim: i32, norms: usize, i: i32, j: i32,
): f32 {
  if (!cosine) return squaredDiff(a, b, dim);
  return cosineKey(
    dot(a, b, dim), load<f32>(norms + (<usize>i << 2)), load<f32>(norms + (<usize>j << 2)),
  );
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)
    + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * Replaces every selection key by the exact edge weight in `metric` and
 * re-sorts each row by (weight, id). `norms` as in `knnSelect`.
 */
export function knnRefine(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize,
): void {
  const stride = <usize>dim << 2;
  const cosine = isCosine(metric);
  for (let i = 0; i < rows; i++) {
    const base = <usize>i * <usize>k;
    const a = points + <usize>i * stride;
    const ia = cosine ? load<f32>(norms + (<usize>i << 2)) : <f32>0;

    // recompute, then insertion-sort the row: k is small
    for (let s = 0; s < k; s++) {
      const j = load<i32>(ids + ((base + <usize>s) << 2));
      const ib = cosine ? load<f32>(norms + (<usize>j << 2)) : <f32>0;
      const w = pairDistance(a, points + <usize>j * stride, dim, metric, ia, ib);
      let p = s;
      while (p > 0) {
        const prevKey = load<f32>(keys + ((base + <usize>p - 1) << 2));
        const prevId = load<i32>(ids + ((base + <usize>p - 1) << 2));
        if (prevKey < w || (prevKey == w && prevId < j)) break;
        store<f32>(keys + ((base + <usize>p) << 2), prevKey);
        store<i32>(ids + ((base + <usize>p) << 2), prevId);
        p--;
      }
      store<f32>(keys + ((base + <usize>p) << 2), w);
      store<i32>(ids + ((base + <usize>p) << 2), j);
    }
  }
}

/** The k smallest of `n` keys (one row), ties by the lower index. */
export function selectSmallest(
  values: usize, n: i32, k: i32, ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  resetLists(1, counts, worst);
  for (let i = 0; i < n; i++) {
    offer(0, i, load<f32>(values + (<usize>i << 2)), k, ids, keys, counts, worst);
  }
}

/**
 * For every row, its nearest row carrying another component label (ids -1
 * when there is none). Used to bridge components; one pass is O(rows²).
 */
export function nearestOther(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, labels: usize,
  ids: usize, keys: usize,
): void {
  const cosine = isCosine(metric);
  const stride = <usize>dim << 2;
  for (let i = 0; i < rows; i++) {
    store<i32>(ids + (<usize>i << 2), -1);
    store<f32>(keys + (<usize>i << 2), Infinity);
  }
  for (let i = 0; i < rows; i++) {
    const a = points + <usize>i * stride;
    const li = load<i32>(labels + (<usize>i << 2));
    for (let j = i + 1; j < rows; j++) {
      if (load<i32>(labels + (<usize>j << 2)) == li) continue;
      const key = pairKey(cosine, a, points + <usize>j * stride, dim, norms, i, j);

      // j > i always, and i grows: strict tests keep the lower id on ties
      if (key < load<f32>(keys + (<usize>i << 2)) || load<i32>(ids + (<usize>i << 2)) < 0) {
        store<f32>(keys + (<usize>i << 2), key);
        store<i32>(ids + (<usize>i << 2), j);
      }
      if (key < load<f32>(keys + (<usize>j << 2)) || load<i32>(ids + (<usize>j << 2)) < 0) {
        store<f32>(keys + (<usize>j << 2), key);
        store<i32>(ids + (<usize>j << 2), i);
      }
    }
  }
}

