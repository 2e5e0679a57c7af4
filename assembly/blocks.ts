// Exact kNN selection and nearest-other search over a slice of the pairs,
// for the worker pool: a worker takes the pairs (i, j), i < j, whose lower
// row i lies in [from, to), and offers each pair to both rows. Every pair
// belongs to one slice, so merging the workers' lists row by row gives the
// lists of the whole set.
//
// Per-row lists, each sorted by (key, id), in the worker's memory:
//
//   ids    i32[rows * k]   neighbour ids, row-major
//   keys   f32[rows * k]   their selection keys, ascending
//   counts i32[rows]       filled slots of each row (<= k), zeroed by the caller
//
// Slices run in any order, so a candidate may arrive after a higher id with
// the same key: offers compare (key, id) as a pair, not the key alone.
//
// The keys must be bit for bit those of topk.ts, so that the merged lists
// equal the single-thread ones. knnSelect's key of a pair lo < hi is
// Σ (a - b)² (`squaredDiff`), or for the cosine metrics 1 - (s |lo|⁻¹) |hi|⁻¹
// with s the dot product summed with one accumulator (`dotLanes`) when lo is
// below rows & ~3, by `dot` otherwise; nearestOther's is Σ (a - b)² or
// 1 - (dot |lo|⁻¹) |hi|⁻¹. The four-row loops below repeat those functions'
// operations lane for lane, so every key is the same float32 value whatever
// the blocking. test/pool.test.ts compares the two builds; a change to the
// arithmetic of either side needs the same change on the other.

import { dot, dotLanes, isCosine, squaredDiff } from "./distance";

// results of the four-row kernels: 4 x f32 of static memory, no allocation
const block: usize = memory.data(16);

/** Puts (key, id) into the sorted list of `row`, keeping its k smallest (key, id) pairs. */
// @ts-ignore: decorator
@inline export function offerPair(
  row: i32, id: i32, key: f32, k: i32, ids: usize, keys: usize, counts: usize,
): void {
  const cp = counts + (<usize>row << 2);
  const count = load<i32>(cp);
  const base = <usize>row * <usize>k;
  if (count == k) {
    const lastKey = load<f32>(keys + ((base + <usize>k - 1) << 2));
    if (key > lastKey) return;
    if (key == lastKey && id > load<i32>(ids + ((base + <usize>k - 1) << 2))) return;
  }

  // shift larger (key, id) pairs one slot right, dropping the last when full
  let p = count < k ? count : k - 1;
  while (p > 0) {
    const prevKey = load<f32>(keys + ((base + <usize>p - 1) << 2));
    const prevId = load<i32>(ids + ((base + <usize>p - 1) << 2));
    if (prevKey < key || (prevKey == key && prevId < id)) break;
    store<f32>(keys + ((base + <usize>p) << 2), prevKey);
    store<i32>(ids + ((base + <usize>p) << 2), prevId);
    p--;
  }
  store<f32>(keys + ((base + <usize>p) << 2), key);
  store<i32>(ids + ((base + <usize>p) << 2), id);
  if (count < k) store<i32>(cp, count + 1);
}

// 1 - cos from a dot product and two inverse norms, lower row's norm first
// @ts-ignore: decorator
@inline function cosineKey(s: f32, nLow: f32, nHigh: f32): f32 {
  return <f32>1 - s * nLow * nHigh;
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)
    + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** a_r · b for the four rows starting at `a0`, into `block`: `dotLanes` four at a time. */
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

// nearestOther's key of a pair i < j: squared L2 or 1 - cos
// @ts-ignore: decorator
@inline function pairKey(
  cosine: bool, points: usize, stride: usize, dim: i32, norms: usize, i: i32, j: i32,
): f32 {
  const a = points + <usize>i * stride;
  const b = points + <usize>j * stride;
  if (!cosine) return squaredDiff(a, b, dim);
  return cosineKey(
    dot(a, b, dim), load<f32>(norms + (<usize>i << 2)), load<f32>(norms + (<usize>j << 2)),
  );
}

/**
 * knnSelect's key of rows i and j: Σ (a - b)², or 1 - (s |lo|⁻¹) |hi|⁻¹ for
 * the cosine metrics, s summed as knnSelect sums it (see the header).
 */
// @ts-ignore: decorator
@inline export function directKey(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, i: i32, j: i32,
): f32 {
  const lo = min(i, j);
  const hi = max(i, j);
  const stride = <usize>dim << 2;
  const a = points + <usize>lo * stride;
  const b = points + <usize>hi * stride;
  if (!isCosine(metric)) return squaredDiff(a, b, dim);
  const s = lo < (rows & ~3) ? dotLanes(a, b, dim) : dot(a, b, dim);
  return cosineKey(s, load<f32>(norms + (<usize>lo << 2)), load<f32>(norms + (<usize>hi << 2)));
}

/**
 * Offers every pair (i, j), i < j, with `from` <= i < `to`, to the lists of
 * both rows, keyed as knnSelect keys them. `norms` holds inverse norms for
 * the cosine metrics. The brute-force path, for inputs the screening of
 * screen.ts does not take.
 */
export function knnSelectRange(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  from: i32, to: i32, ids: usize, keys: usize, counts: usize,
): void {
  const rows4 = rows & ~3;
  let i0 = from;
  for (; i0 + 4 <= to && i0 + 4 <= rows4; i0 += 4) {
    selectBlock(points, rows, dim, metric, norms, k, i0, ids, keys, counts);
  }
  for (; i0 < to; i0++) {
    for (let j = i0 + 1; j < rows; j++) {
      const key = directKey(points, rows, dim, metric, norms, i0, j);
      offerPair(i0, j, key, k, ids, keys, counts);
      offerPair(j, i0, key, k, ids, keys, counts);
    }
  }
}

/**
 * Rows i0 .. i0 + 3 (below rows & ~3) against every later row: the four
 * share every load of a column. Exported (see index.ts) to stay a function
 * of its own, called often: V8 moves a WebAssembly function to its
 * optimizing tier between calls, never during one.
 */
export function selectBlock(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32, i0: i32,
  ids: usize, keys: usize, counts: usize,
): void {
  const cosine = isCosine(metric);
  const stride = <usize>dim << 2;
  const a0 = points + <usize>i0 * stride;
  for (let j = i0 + 1; j < rows; j++) {
    const b = points + <usize>j * stride;
    if (cosine) dots4(a0, stride, b, dim);
    else squaredDiffs4(a0, stride, b, dim);
    const nj = cosine ? load<f32>(norms + (<usize>j << 2)) : <f32>0;
    const last = min(j - i0, 4);
    for (let r = 0; r < last; r++) {
      let key = load<f32>(block + (<usize>r << 2));
      if (cosine) key = cosineKey(key, load<f32>(norms + (<usize>(i0 + r) << 2)), nj);
      offerPair(i0 + r, j, key, k, ids, keys, counts);
      offerPair(j, i0 + r, key, k, ids, keys, counts);
    }
  }
}

/**
 * For the pairs (i, j), i < j, with `from` <= i < `to` and different
 * labels, keeps in each row the other row of smallest (key, id). The
 * caller sets ids to -1 and keys to +inf first. Used to bridge components.
 */
export function nearestOtherRange(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, labels: usize,
  from: i32, to: i32, ids: usize, keys: usize,
): void {
  for (let i = from; i < to; i++) {
    nearestOtherRow(points, rows, dim, metric, norms, labels, i, ids, keys);
  }
}

/** Row i against every later row with another label; exported as `selectBlock` is. */
export function nearestOtherRow(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, labels: usize, i: i32,
  ids: usize, keys: usize,
): void {
  const cosine = isCosine(metric);
  const stride = <usize>dim << 2;
  const li = load<i32>(labels + (<usize>i << 2));
  for (let j = i + 1; j < rows; j++) {
    if (load<i32>(labels + (<usize>j << 2)) == li) continue;
    const key = pairKey(cosine, points, stride, dim, norms, i, j);
    keepNearer(i, j, key, ids, keys);
    keepNearer(j, i, key, ids, keys);
  }
}

// @ts-ignore: decorator
@inline function keepNearer(row: i32, id: i32, key: f32, ids: usize, keys: usize): void {
  const kp = keys + (<usize>row << 2);
  const ip = ids + (<usize>row << 2);
  const best = load<i32>(ip);
  const bestKey = load<f32>(kp);
  if (best < 0 || key < bestKey || (key == bestKey && id < best)) {
    store<f32>(kp, key);
    store<i32>(ip, id);
  }
}
