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

import { isCosine, pairDistance } from "./distance";

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
@inline function selectionKey(cosine: bool, s: f32, ni: f32, nj: f32): f32 {
  if (cosine) return <f32>1 - s * ni * nj;
  const key = ni + nj - <f32>2 * s;
  return key > 0 ? key : <f32>0;
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
 * a column. `norms` holds squared norms (L2 metrics) or inverse norms (cosine).
 */
export function knnSelect(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  const cosine = isCosine(metric);
  const stride = <usize>dim << 2;
  const dim4 = dim & ~3;
  resetLists(rows, counts, worst);

  let i0 = 0;
  for (; i0 + 4 <= rows; i0 += 4) {
    const a0 = points + <usize>i0 * stride;
    const a1 = a0 + stride;
    const a2 = a1 + stride;
    const a3 = a2 + stride;
    const n0 = load<f32>(norms + (<usize>i0 << 2));
    const n1 = load<f32>(norms + (<usize>i0 << 2), 4);
    const n2 = load<f32>(norms + (<usize>i0 << 2), 8);
    const n3 = load<f32>(norms + (<usize>i0 << 2), 12);

    for (let j = i0 + 1; j < rows; j++) {
      const b = points + <usize>j * stride;
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

      // only pairs (i, j) with i < j: the others were offered already
      const nj = load<f32>(norms + (<usize>j << 2));
      let key = selectionKey(cosine, s0, n0, nj);
      offer(i0, j, key, k, ids, keys, counts, worst);
      offer(j, i0, key, k, ids, keys, counts, worst);
      if (j > i0 + 1) {
        key = selectionKey(cosine, s1, n1, nj);
        offer(i0 + 1, j, key, k, ids, keys, counts, worst);
        offer(j, i0 + 1, key, k, ids, keys, counts, worst);
      }
      if (j > i0 + 2) {
        key = selectionKey(cosine, s2, n2, nj);
        offer(i0 + 2, j, key, k, ids, keys, counts, worst);
        offer(j, i0 + 2, key, k, ids, keys, counts, worst);
      }
      if (j > i0 + 3) {
        key = selectionKey(cosine, s3, n3, nj);
        offer(i0 + 3, j, key, k, ids, keys, counts, worst);
        offer(j, i0 + 3, key, k, ids, keys, counts, worst);
      }
    }
  }

  // the last rows, fewer than four, one at a time
  for (; i0 < rows; i0++) {
    const a = points + <usize>i0 * stride;
    const ni = load<f32>(norms + (<usize>i0 << 2));
    for (let j = i0 + 1; j < rows; j++) {
      const s = dotRows(a, points + <usize>j * stride, dim);
      const key = selectionKey(cosine, s, ni, load<f32>(norms + (<usize>j << 2)));
      offer(i0, j, key, k, ids, keys, counts, worst);
      offer(j, i0, key, k, ids, keys, counts, worst);
    }
  }
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)
    + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

function dotRows(a: usize, b: usize, dim: i32): f32 {
  const dim4 = dim & ~3;
  let c = f32x4.splat(0);
  for (let d = 0; d < dim4; d += 4) {
    const o = <usize>d << 2;
    c = f32x4.add(c, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s = hsum(c);
  for (let d = dim4; d < dim; d++) {
    const o = <usize>d << 2;
    s += load<f32>(a + o) * load<f32>(b + o);
  }
  return s;
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
    const ni = load<f32>(norms + (<usize>i << 2));
    for (let j = i + 1; j < rows; j++) {
      if (load<i32>(labels + (<usize>j << 2)) == li) continue;
      const s = dotRows(a, points + <usize>j * stride, dim);
      const key = selectionKey(cosine, s, ni, load<f32>(norms + (<usize>j << 2)));

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

