// Screened kNN selection over a slice of the pairs, for the worker pool:
// the same two steps as knnSelect (topk.ts), restricted to the pairs (i, j),
// i < j, whose lower row lies in the worker's ranges, so that each worker
// does its share of the tiled dot products.
//
//   screening  every pair of the slice gets the cheap key t = |x|² + |y|² -
//              2 x·y over centred rows (packed panels, `dotBlock`), and each
//              row keeps its `wide` smallest;
//   ranking    the kept candidates that may be among the row's k nearest of
//              the slice, given the screening error bound, get the direct
//              key (the one knnSelect ranks by) and go into the k-lists; a
//              row whose dropped candidates cannot be proved far enough is
//              scanned over its partners in the slice instead.
//
// Each worker's k-lists are then exact over its slice, ties by the lower
// id, and merging them gives knnSelect's lists. The error bound is
// knnSelect's (see rankRow in topk.ts): both must change together.
//
// Scratch, laid out from `scratch` by `screenBegin`:
//
//   mean    f64[dim]                mean row
//   panels  f32[padded * dim]       centred rows in panels (see distance.ts)
//   sqnorms f32[padded]             squared norms of the packed rows (+inf: padding)
//   sIds    i32[padded * wide]      screened candidates, by screening key
//   sKeys   f32[padded * wide]
//   sCounts i32[padded]
//   sWorst  f32[padded]             the widest kept key once full, else +inf

import { dotBlock, isCosine, packPanels, PANEL } from "./distance";
import { directKey, offerPair } from "./blocks";

let sMean: usize = 0;
let sPanels: usize = 0;
let sSqnorms: usize = 0;
let sIds: usize = 0;
let sKeys: usize = 0;
let sCounts: usize = 0;
let sWorst: usize = 0;
let sWide: i32 = 0;

// 4 x 8 dot products, then keys, of one block: static memory, no allocation
const block: usize = memory.data(128, 16);

// float32 unit roundoff, 2^-24
const ROUNDOFF: f64 = 5.9604644775390625e-8;

// where the screening bound stops being useful (dimensions in the millions)
const MAX_UNIT: f64 = 0.02;

// column panels per tile: a tile stays in L2 while the row blocks pass over it
const TILE_BYTES: usize = 384 << 10;

/** The screening error per unit of |x|² + |y|², as knnSelect bounds it. */
// @ts-ignore: decorator
@inline function screenUnit(dim: i32): f64 {
  return (3.0 * <f64>dim + 28.0) * ROUNDOFF;
}

// @ts-ignore: decorator
@inline function align16(x: usize): usize {
  return (x + 15) & ~15;
}

/** Candidates each row keeps while screening: as knnSelect, k + 8. */
export function screenWide(rows: i32, k: i32): i32 {
  return min(k + 8, rows - 1);
}

/** Bytes of scratch `screenBegin` lays out; 0 when screening does not apply. */
export function screenScratchBytes(rows: i32, dim: i32, k: i32): usize {
  if (screenUnit(dim) > MAX_UNIT || rows < 2) return 0;
  return layout(0, rows, dim, screenWide(rows, k)) + 16;
}

function layout(base: usize, rows: i32, dim: i32, wide: i32): usize {
  const padded = <usize>((rows + PANEL - 1) / PANEL * PANEL);
  sMean = base;
  sPanels = align16(sMean + (<usize>dim << 3));
  sSqnorms = align16(sPanels + ((padded * <usize>dim) << 2));
  sIds = align16(sSqnorms + (padded << 2));
  sKeys = align16(sIds + ((padded * <usize>wide) << 2));
  sCounts = align16(sKeys + ((padded * <usize>wide) << 2));
  sWorst = align16(sCounts + (padded << 2));
  return align16(sWorst + (padded << 2));
}

/**
 * Lays the scratch out from `scratch` (16-byte aligned, screenScratchBytes
 * long), packs the rows into panels and empties the screened lists.
 */
export function screenBegin(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32, scratch: usize,
): void {
  sWide = screenWide(rows, k);
  layout(scratch, rows, dim, sWide);
  packPanels(points, rows, dim, metric, norms, sMean, sPanels, sSqnorms);
  const padded = (rows + PANEL - 1) / PANEL * PANEL;
  for (let i = 0; i < padded; i++) {
    store<i32>(sCounts + (<usize>i << 2), 0);
    store<f32>(sWorst + (<usize>i << 2), Infinity);
  }
}

/**
 * Screens the pairs (i, j), i < j, with `from` <= i < `to`: the row blocks
 * of 4 from `from` (a multiple of 4) against every panel from their own
 * on, one tile of panels at a time.
 */
export function screenRange(rows: i32, dim: i32, from: i32, to: i32): void {
  const panelBytes = <usize>dim << 5;
  const panelCount = (rows + PANEL - 1) / PANEL;
  const tile = max(1, <i32>(TILE_BYTES / panelBytes));
  const rb0 = from >> 2;
  const rb1 = (to + 3) >> 2;
  for (let t0 = rb0 >> 1; t0 < panelCount; t0 += tile) {
    const t1 = min(panelCount, t0 + tile);
    for (let rb = rb0; rb < rb1 && (rb >> 1) < t1; rb++) {
      screenSliceBlock(rows, dim, rb, max(t0, rb >> 1), t1);
    }
  }
}

/**
 * Row block `rb` against panels [p0, p1): keys, tested all at once against
 * both sides' worst. Exported (see index.ts) to stay a function of its
 * own, as selectBlock in blocks.ts.
 */
export function screenSliceBlock(rows: i32, dim: i32, rb: i32, p0: i32, p1: i32): void {
  const panelBytes = <usize>dim << 5;
  const a = sPanels + <usize>(rb >> 1) * panelBytes + (<usize>(rb & 1) << 4);
  const i0 = rb << 2;
  for (let p = p0; p < p1; p++) {
    dotBlock(a, sPanels + <usize>p * panelBytes, dim, block);
    const j0 = p * PANEL;
    const nj0 = v128.load(sSqnorms + (<usize>j0 << 2));
    const nj1 = v128.load(sSqnorms + (<usize>j0 << 2), 16);
    const wj0 = v128.load(sWorst + (<usize>j0 << 2));
    const wj1 = v128.load(sWorst + (<usize>j0 << 2), 16);
    let hit = i32x4.splat(0);
    for (let r = 0; r < 4; r++) {
      const at = block + (<usize>r << 5);
      const ni = v128.load32_splat(sSqnorms + (<usize>(i0 + r) << 2));
      const wi = v128.load32_splat(sWorst + (<usize>(i0 + r) << 2));
      const d0 = v128.load(at);
      const d1 = v128.load(at, 16);
      const k0 = f32x4.sub(f32x4.add(ni, nj0), f32x4.add(d0, d0));
      const k1 = f32x4.sub(f32x4.add(ni, nj1), f32x4.add(d1, d1));
      v128.store(at, k0);
      v128.store(at, k1, 16);
      hit = v128.or(hit, v128.or(f32x4.lt(k0, wi), f32x4.lt(k0, wj0)));
      hit = v128.or(hit, v128.or(f32x4.lt(k1, wi), f32x4.lt(k1, wj1)));
    }
    if (v128.any_true(hit)) offerBlock(rows, i0, j0);
  }
}

// offers the pairs i < j of a screened block to both rows' screened lists
function offerBlock(rows: i32, i0: i32, j0: i32): void {
  for (let r = 0; r < 4; r++) {
    const i = i0 + r;
    if (i >= rows) return;
    const at = block + (<usize>r << 5);
    const first = max(j0, i + 1);
    const end = min(j0 + PANEL, rows);
    for (let j = first; j < end; j++) {
      const key = load<f32>(at + (<usize>(j - j0) << 2));
      offerWide(i, j, key);
      offerWide(j, i, key);
    }
  }
}

// keeps the `wide` smallest screening keys of a row (ties in any order: the
// bound needs only that every dropped key is >= the widest kept one)
// @ts-ignore: decorator
@inline function offerWide(row: i32, id: i32, key: f32): void {
  const wp = sWorst + (<usize>row << 2);
  const cp = sCounts + (<usize>row << 2);
  const count = load<i32>(cp);
  const wide = sWide;
  if (count == wide && key >= load<f32>(wp)) return;
  const base = <usize>row * <usize>wide;
  let p = count < wide ? count : wide - 1;
  while (p > 0) {
    const prev = load<f32>(sKeys + ((base + <usize>p - 1) << 2));
    if (prev <= key) break;
    store<f32>(sKeys + ((base + <usize>p) << 2), prev);
    store<i32>(sIds + ((base + <usize>p) << 2), load<i32>(sIds + ((base + <usize>p - 1) << 2)));
    p--;
  }
  store<f32>(sKeys + ((base + <usize>p) << 2), key);
  store<i32>(sIds + ((base + <usize>p) << 2), id);
  if (count < wide) store<i32>(cp, count + 1);
  if (count + 1 >= wide) store<f32>(wp, load<f32>(sKeys + ((base + <usize>wide - 1) << 2)));
}

/**
 * Ranks every row's screened candidates by the direct key into the
 * k-lists (`ids`, `keys`, `counts`, as in blocks.ts). `ranges` holds the
 * `count` ranges [from, to) this worker screened, as i32 pairs: a row the
 * bound cannot certify is scanned over its partners in them. Returns the
 * number of rows scanned.
 */
export function screenRank(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, ranges: usize, count: i32,
): i32 {
  const unit = screenUnit(dim);
  let scanned = 0;
  for (let i = 0; i < rows; i++) {
    if (!rankRow(points, i, rows, dim, metric, norms, k, ids, keys, counts, unit)) {
      scanRow(points, i, rows, dim, metric, norms, k, ids, keys, counts, ranges, count);
      scanned++;
    }
  }
  return scanned;
}

// knnSelect's rankRow over this worker's screened list, which may hold
// fewer than k candidates (a row with few partners in the slice)
function rankRow(
  points: usize, i: i32, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, unit: f64,
): bool {
  const wide = sWide;
  const base = <usize>i * <usize>wide;
  const count = load<i32>(sCounts + (<usize>i << 2));
  const extra: f64 = isCosine(metric) ? 2.0 : 0.0;
  const ni = <f64>load<f32>(sSqnorms + (<usize>i << 2)) + extra;

  // H: a bound on the k-th nearest direct key of the slice (none below k)
  let high: f64 = count < k ? Infinity : -Infinity;
  for (let c = 0; c < k && c < count; c++) {
    const j = load<i32>(sIds + ((base + <usize>c) << 2));
    const t = <f64>load<f32>(sKeys + ((base + <usize>c) << 2));
    high = Math.max(high, t + unit * (ni + <f64>load<f32>(sSqnorms + (<usize>j << 2))));
  }

  // a full list dropped partners: they must all be provably beyond H
  if (count == wide) {
    const c = 1.25 * unit;
    const widest = <f64>load<f32>(sKeys + ((base + <usize>wide - 1) << 2));
    if (!(widest * (1.0 - 2.0 * c) - c * (3.0 * ni + extra) > high)) return false;
  }

  for (let c = 0; c < count; c++) {
    const j = load<i32>(sIds + ((base + <usize>c) << 2));
    const t = <f64>load<f32>(sKeys + ((base + <usize>c) << 2));
    if (t - unit * (ni + <f64>load<f32>(sSqnorms + (<usize>j << 2))) > high) continue;
    offerPair(i, j, directKey(points, rows, dim, metric, norms, i, j), k, ids, keys, counts);
  }
  return true;
}

// row i against its partners in the slice: every j > i when i is in a
// range, and the rows of a range below i
function scanRow(
  points: usize, i: i32, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, ranges: usize, count: i32,
): void {
  for (let r = 0; r < count; r++) {
    const from = load<i32>(ranges + (<usize>r << 3));
    const to = load<i32>(ranges + (<usize>r << 3), 4);
    const below = min(to, i);
    for (let j = from; j < below; j++) {
      offerPair(i, j, directKey(points, rows, dim, metric, norms, i, j), k, ids, keys, counts);
    }
    if (i >= from && i < to) {
      for (let j = i + 1; j < rows; j++) {
        offerPair(i, j, directKey(points, rows, dim, metric, norms, i, j), k, ids, keys, counts);
      }
    }
  }
}
