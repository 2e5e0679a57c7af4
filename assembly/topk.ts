// Bounded selection of the k smallest keys per row.
//
// Per-row lists, each sorted by key, ties by the lower id:
//
//   ids    i32[rows * k]   neighbour ids, row-major
//   keys   f32[rows * k]   their keys (selection distances), ascending
//   counts i32[rows]       how many slots of a row are filled (<= k)
//   worst  f32[rows]       the k-th key once the row is full, else +inf
//
// `offer` is fed candidates in increasing id order (the direct scans), so a
// strict comparison is all the tie-breaking needs: an equal key that comes
// later has the higher id and never displaces an earlier one. The screened
// shortlists take candidates in tile order; their order is settled by
// `offerOrdered`, which compares (key, id) pairs.

import {
  dot, dotBlock, dotLanes, isCosine, packPanels, pairDistance, PANEL, squaredDiff,
} from "./distance";

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
 * Exact k nearest neighbours of every row, self excluded, ties by the lower
 * id; `keys` get the exact selection keys (Σ (a - b)², or 1 - cos for the
 * cosine metrics; see `directKey`). `norms` holds inverse norms for the
 * cosine metrics.
 *
 * Two steps. Screening: every unordered pair gets a cheap key from the
 * tiled dot-product kernel (see `screenRange`), and each row keeps its
 * `wide` smallest. Ranking: the kept candidates that may still be among the
 * k nearest, given a bound on the screening error, are ranked by the direct
 * key; a row whose margin the screening cannot certify is scanned directly.
 *
 * The screening needs `knnScratchBytes` of scratch memory (panels and
 * candidate lists), which knn.ts counts before the call: it takes the
 * memory above its highest argument, growing memory when needed, so the
 * caller must keep nothing live above its arguments. When memory cannot
 * grow, or the input is tiny, every pair is ranked directly instead.
 *
 * The pool runs the very same steps split between workers: each screens
 * the pairs (i, j), i < j, whose lower row lies in its ranges, and ranks a
 * share of the rows from its lists merged with the others' (`screenBegin`,
 * `screenRange`, `screenTighten`, `screenMerge`, `screenRank`). The ranking
 * is exact whatever lists it gets, as long as every pair missing from a
 * row's list has a screening key at least the row's `worst` (+inf when
 * none is missing), so both give the same lists bit for bit.
 *
 * Known cost: rows whose k-th distance is tied with more than `wide` others
 * (grids, heavy duplication) fail the margin test and are scanned directly,
 * which for such data costs up to twice the former all-pairs scan.
 */
export function knnSelect(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  uncertified = 0;
  const bytes = <u64>knnScratchBytes(rows, dim, k);
  let at = max(points + <usize>rows * (<usize>dim << 2), norms + (<usize>rows << 2));
  at = max(at, max(ids, keys) + ((<usize>rows * <usize>k) << 2));
  at = max(at, max(counts, worst) + (<usize>rows << 2));
  const base = align16(at);
  if (bytes == 0 || !reserve(<u64>base + <u64>bytes)) {
    resetLists(rows, counts, worst);
    knnDirect(points, rows, dim, metric, norms, k, ids, keys, counts, worst);
    return;
  }
  screenBegin(points, rows, dim, metric, norms, k, base);
  screenRange(rows, dim, 0, rows);
  screenRank(points, rows, dim, metric, norms, k, 0, rows, ids, keys, counts, worst);
}

/**
 * Bytes of scratch the screening of `knnSelect` (and `screenBegin`) lays
 * out for these sizes, 0 when every pair is ranked directly instead; as
 * f64, since the sizes of a job too large for memory overflow 32 bits.
 * Also covers `nearestOther`, whose lists are narrower.
 */
export function knnScratchBytes(rows: i32, dim: i32, k: i32): f64 {
  if (rows <= DIRECT_ROWS || screenUnit(dim) > MAX_UNIT) return 0;
  return <f64>scratchLayout(0, rows, dim, min(k + 8, rows - 1), false);
}

// rows of the last knnSelect, nearestOther, screenRank or nearestRank that
// the screening could not certify, and which were scanned directly
let uncertified: i32 = 0;

/** How many rows the last `knnSelect` or `nearestOther` scanned directly (tests). */
export function knnUncertified(): i32 {
  return uncertified;
}

// below this many rows, packing panels costs more than it saves
const DIRECT_ROWS: i32 = 16;

// float32 unit roundoff, 2^-24
const ROUNDOFF: f64 = 5.9604644775390625e-8;

// where the screening bound stops being useful (past about 100,000 dimensions)
const MAX_UNIT: f64 = 0.02;

/**
 * The screening error bound per unit of |x|² + |y|²: the distance between
 * two rows' direct keys (s, what `rankRow` ranks by) and their screening
 * key (t) satisfies |s - t| <= unit * (|x|² + |y|²), x and y the centred
 * rows. The terms, in units of u = 2^-24 times |x|² + |y|²:
 *   dim + 4       the dot product, summed in dimension order (|x·y| <= that
 *                 sum / 2), and the two additions around it;
 *   4             centring: each centred coordinate is off by u of itself;
 *   dim / 2 + 6   the direct key, four lanes of dim / 4 terms, then 4 more
 *                 (and |a - b|² <= 2 (|x|² + |y|²)).
 * That sums to 1.5 dim + 14; twice that leaves room for the second-order
 * terms and for the norms being float32 themselves.
 */
// @ts-ignore: decorator
@inline function screenUnit(dim: i32): f64 {
  return (3.0 * <f64>dim + 28.0) * ROUNDOFF;
}

// scratch for the screening, laid out above the caller's arguments:
//
//   mean    f64[dim]                mean row
//   panels  f32[padded * dim]       centred rows in panels (see distance.ts)
//   sqnorms f32[padded]             squared norms of the packed rows
//   ids     i32[padded * wide]      candidate lists by screening key,
//   keys    f32[padded * wide]      as in the header of this file (ties in
//   counts  i32[padded]             any order); worst is the widest kept
//   worst   f32[padded]             key once full, or lower (`screenTighten`)
//   labels  i32[padded]             component labels (`nearestOther` only)
let sMean: usize = 0;
let sPanels: usize = 0;
let sSqnorms: usize = 0;
let sIds: usize = 0;
let sKeys: usize = 0;
let sCounts: usize = 0;
let sWorst: usize = 0;
let sLabels: usize = 0;
let sWide: i32 = 0;

// what `screenRowBlock` offers: every pair, or pairs of different labels
const SCREEN_ALL: i32 = 0;
const SCREEN_OTHER: i32 = 1;
let screening: i32 = SCREEN_ALL;

// @ts-ignore: decorator
@inline function align16(x: usize): usize {
  return (x + 15) & ~15;
}

// @ts-ignore: decorator
@inline function align16w(x: u64): u64 {
  return (x + 15) & ~15;
}

// the scratch's layout from `base` (in 64 bits, see knnScratchBytes), set
// when `apply`; returns its size
function scratchLayout(base: usize, rows: i32, dim: i32, wide: i32, apply: bool): u64 {
  const padded = <u64>((rows + PANEL - 1) / PANEL * PANEL);
  const mean = <u64>base;
  const panels = align16w(mean + (<u64>dim << 3));
  const sqnorms = align16w(panels + ((padded * <u64>dim) << 2));
  const ids = align16w(sqnorms + (padded << 2));
  const keys = align16w(ids + ((padded * <u64>wide) << 2));
  const counts = align16w(keys + ((padded * <u64>wide) << 2));
  const worst = align16w(counts + (padded << 2));
  const labels = align16w(worst + (padded << 2));
  if (apply) {
    sMean = <usize>mean;
    sPanels = <usize>panels;
    sSqnorms = <usize>sqnorms;
    sIds = <usize>ids;
    sKeys = <usize>keys;
    sCounts = <usize>counts;
    sWorst = <usize>worst;
    sLabels = <usize>labels;
    sWide = wide;
  }
  return align16w(labels + (padded << 2)) - <u64>base;
}

// grows memory to hold `end` bytes; false when it cannot (4 GiB, or the host)
function reserve(end: u64): bool {
  const have = <u64>memory.size() << 16;
  if (end <= have) return true;
  if (end > <u64>0xFFFF0000) return false;
  const pages = <i32>((end - have + 0xFFFF) >> 16);
  return memory.grow(pages) >= 0;
}

/**
 * Lays the screening scratch out from `scratch` (16-byte aligned,
 * `knnScratchBytes` long), packs the rows into panels and empties the
 * screened lists, which keep k + 8 candidates a row: wider lists cost more
 * insertions while they fill, narrower ones fail the margin test more often.
 */
export function screenBegin(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32, scratch: usize,
): void {
  scratchLayout(scratch, rows, dim, min(k + 8, rows - 1), true);
  packPanels(points, rows, dim, metric, norms, sMean, sPanels, sSqnorms);
  resetLists((rows + PANEL - 1) / PANEL * PANEL, sCounts, sWorst);
  screening = SCREEN_ALL;
}

/**
 * Where `screenBegin` put the screened lists, for a worker to publish
 * them: 0 ids, 1 keys (both i32/f32[rows * wide]), 2 counts, 3 worst.
 */
export function screenList(part: i32): usize {
  return part == 0 ? sIds : part == 1 ? sKeys : part == 2 ? sCounts : sWorst;
}

// column panels per tile: a tile stays in L2 (1 MiB and more on current
// x86-64 and Arm cores) while every row block above it passes over it
const TILE_BYTES: usize = 384 << 10;

/**
 * Screens the pairs (i, j), i < j, with `from` <= i < `to` (`from` a
 * multiple of 4): each row block of 4 rows against every panel from its
 * own on, one tile of panels at a time, so that a tile stays in L2 while
 * every row block above it passes over it.
 *
 *   tile loop    for each tile of column panels [t0, t1)
 *   row loop       for each row block (4 rows) of the range in panels < t1
 *   panel loop       screenRowBlock: each panel p in [t0, t1), p >= own
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
      screenRowBlock(rows, dim, sWide, rb, max(t0, rb >> 1), t1);
    }
  }
}

// 4 x 8 dot products, then keys, of one block: static memory, no allocation
const block: usize = memory.data(128, 16);

/**
 * Row block `rb` (rows 4rb .. 4rb+3) against panels [p0, p1): a 4 x 8 block
 * of dot products per panel, turned into keys |x|² + |y|² - 2 x·y, tested
 * all at once against both sides' current worst. Only a block where some
 * key beats one of them goes through the list updates.
 *
 * Exported (see index.ts) to keep it a function of its own: V8 runs a call
 * in the tier it started in, so the hot loops must sit in functions called
 * often, which move up to the optimizing tier after their first calls.
 */
export function screenRowBlock(rows: i32, dim: i32, wide: i32, rb: i32, p0: i32, p1: i32): void {
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
      let h0 = v128.or(f32x4.lt(k0, wi), f32x4.lt(k0, wj0));
      let h1 = v128.or(f32x4.lt(k1, wi), f32x4.lt(k1, wj1));
      if (screening == SCREEN_OTHER) {
        const li = v128.load32_splat(sLabels + (<usize>(i0 + r) << 2));
        h0 = v128.and(h0, i32x4.ne(li, v128.load(sLabels + (<usize>j0 << 2))));
        h1 = v128.and(h1, i32x4.ne(li, v128.load(sLabels + (<usize>j0 << 2), 16)));
      }
      hit = v128.or(hit, v128.or(h0, h1));
    }
    if (v128.any_true(hit)) offerBlock(rows, i0, j0, wide);
  }
}

// offers the pairs i < j of a screened block to both rows, in (i, j) order
function offerBlock(rows: i32, i0: i32, j0: i32, wide: i32): void {
  for (let r = 0; r < 4; r++) {
    const i = i0 + r;
    const at = block + (<usize>r << 5);

    // lanes that beat row i's worst or column j's: a bit per column
    const wi = v128.load32_splat(sWorst + (<usize>i << 2));
    const k0 = v128.load(at);
    const k1 = v128.load(at, 16);
    let lo = v128.or(f32x4.lt(k0, wi), f32x4.lt(k0, v128.load(sWorst + (<usize>j0 << 2))));
    let hi = v128.or(f32x4.lt(k1, wi), f32x4.lt(k1, v128.load(sWorst + (<usize>j0 << 2), 16)));
    if (screening == SCREEN_OTHER) {
      const li = v128.load32_splat(sLabels + (<usize>i << 2));
      lo = v128.and(lo, i32x4.ne(li, v128.load(sLabels + (<usize>j0 << 2))));
      hi = v128.and(hi, i32x4.ne(li, v128.load(sLabels + (<usize>j0 << 2), 16)));
    }
    let bits = i32x4.bitmask(lo) | (i32x4.bitmask(hi) << 4);

    // only j > i, and no padding columns
    const first = i - j0 + 1;
    if (first > 0) bits &= ~((1 << min(first, PANEL)) - 1);
    const past = rows - j0;
    if (past < PANEL) bits &= (1 << max(past, 0)) - 1;
    while (bits) {
      const c = ctz(bits);
      bits &= bits - 1;
      const j = j0 + c;
      const key = load<f32>(at + (<usize>c << 2));
      offerWide(i, j, key, wide);
      offerWide(j, i, key, wide);
    }
  }
}

/**
 * Puts a candidate into a screened list, which keeps its `wide` smallest
 * keys, ties in any order. Every key it drops is >= the row's worst, which
 * is +inf while nothing was dropped, the widest kept key once the list is
 * full, or lower when `screenTighten` lowered it: all the ranking needs.
 */
// @ts-ignore: decorator
@inline function offerWide(row: i32, id: i32, key: f32, wide: i32): void {
  const wp = sWorst + (<usize>row << 2);
  const cp = sCounts + (<usize>row << 2);
  const count = load<i32>(cp);
  const w = load<f32>(wp);
  if (key >= w && (count == wide || w != Infinity)) return;
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
  if (count + 1 >= wide) {
    const widest = load<f32>(sKeys + ((base + <usize>wide - 1) << 2));
    if (widest < w) store<f32>(wp, widest);
  }
}

/**
 * Lowers the worst of rows [from, rows) (those a range from `from` on
 * offers to) to what another worker's screened lists (keys, counts and
 * worst as `screenList` lays them out) prove: the wide-th smallest key of
 * both lists, or that worker's worst. Its pairs are
 * not this worker's, so either bounds the row's wide-th smallest key over
 * all pairs from above, and pruning by it drops no pair the merged lists
 * keep. Racy reads of lists still being written can only make a bound
 * wrong, never a result: a row whose worst is too low fails the margin
 * test and is scanned (see `shortlistBound`).
 */
export function screenTighten(
  from: i32, rows: i32, keys: usize, counts: usize, worst: usize,
): void {
  const wide = sWide;
  for (let i = from; i < rows; i++) {
    let bound = load<f32>(worst + (<usize>i << 2));
    const ca = load<i32>(sCounts + (<usize>i << 2));
    const cb = min(max(load<i32>(counts + (<usize>i << 2)), 0), wide);
    if (ca + cb >= wide) {
      const a = sKeys + ((<usize>i * <usize>wide) << 2);
      const b = keys + ((<usize>i * <usize>wide) << 2);
      let p = 0;
      let q = 0;
      let last: f32 = 0;
      for (let r = 0; r < wide; r++) {
        const takeA = p < ca && (q >= cb
          || load<f32>(a + (<usize>p << 2)) <= load<f32>(b + (<usize>q << 2)));
        if (takeA) {
          last = load<f32>(a + (<usize>p << 2));
          p++;
        } else {
          last = load<f32>(b + (<usize>q << 2));
          q++;
        }
      }
      if (last < bound) bound = last;
    }
    if (bound < load<f32>(sWorst + (<usize>i << 2))) store<f32>(sWorst + (<usize>i << 2), bound);
  }
}

/**
 * Merges another worker's screened lists of rows [from, to) (row i at
 * (i - from) * wide, as `screenList` lays them out) into this worker's:
 * each row keeps the `wide` smallest of both, and its worst becomes the
 * lowest of the two worsts and of the widest key the merge kept, if it
 * dropped any.
 */
export function screenMerge(
  from: i32, to: i32, ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  const wide = sWide;
  for (let i = from; i < to; i++) {
    const own = <usize>i * <usize>wide;
    const other = <usize>(i - from) * <usize>wide;
    const ca = load<i32>(sCounts + (<usize>i << 2));
    const cb = min(max(load<i32>(counts + (<usize>(i - from) << 2)), 0), wide);
    const c = min(ca + cb, wide);

    // drop the largest of both, then merge from the top down
    let p = ca - 1;
    let q = cb - 1;
    for (let drop = ca + cb - c; drop > 0; drop--) {
      const ka = p >= 0 ? load<f32>(sKeys + ((own + <usize>p) << 2)) : -Infinity;
      if (q < 0 || (p >= 0 && ka > load<f32>(keys + ((other + <usize>q) << 2)))) {
        p--;
      } else {
        q--;
      }
    }
    for (let r = c - 1; q >= 0; r--) {
      const at = (own + <usize>r) << 2;
      const kb = load<f32>(keys + ((other + <usize>q) << 2));
      if (p >= 0 && load<f32>(sKeys + ((own + <usize>p) << 2)) > kb) {
        store<f32>(sKeys + at, load<f32>(sKeys + ((own + <usize>p) << 2)));
        store<i32>(sIds + at, load<i32>(sIds + ((own + <usize>p) << 2)));
        p--;
      } else {
        store<f32>(sKeys + at, kb);
        store<i32>(sIds + at, load<i32>(ids + ((other + <usize>q) << 2)));
        q--;
      }
    }
    store<i32>(sCounts + (<usize>i << 2), c);

    let w = load<f32>(sWorst + (<usize>i << 2));
    const wb = load<f32>(worst + (<usize>(i - from) << 2));
    if (wb < w) w = wb;
    if (ca + cb > wide) {
      const widest = load<f32>(sKeys + ((own + <usize>wide - 1) << 2));
      if (widest < w) w = widest;
    }
    store<f32>(sWorst + (<usize>i << 2), w);
  }
}

/**
 * Ranks rows [from, to) from their screened lists into the k-lists (`ids`,
 * `keys`, `counts`, `worst`, as in the header of this file, every row's
 * slots in place): the candidates within the margin by the direct key, or
 * every other row for a row the screening cannot certify. Returns the
 * number of rows scanned that way.
 */
export function screenRank(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  from: i32, to: i32, ids: usize, keys: usize, counts: usize, worst: usize,
): i32 {
  const unit = screenUnit(dim);
  let scanned = 0;
  for (let i = from; i < to; i++) {
    store<i32>(counts + (<usize>i << 2), 0);
    store<f32>(worst + (<usize>i << 2), Infinity);
    if (!rankRow(points, i, rows, dim, metric, norms, k, ids, keys, counts, worst, sWide, unit)) {
      scanRow(points, i, rows, dim, metric, norms, k, ids, keys, counts, worst);
      scanned++;
    }
  }
  uncertified = scanned;
  return scanned;
}

/**
 * The bound H on row i's k-th nearest direct key that its shortlist gives,
 * or NaN when the shortlist cannot prove that every row it dropped is
 * farther than that.
 *
 * In the screening's units (squared distances between centred rows x, and
 * twice the direct key for the cosine metrics, whose 1 - cos is half a
 * squared chord), the direct key s and the screening key t of a pair are
 * within e(j) = unit * (|x_i|² + |x_j|² + extra) of each other, extra
 * covering the cosine key's own rounding. The k first candidates have
 * s <= t + e(j), so the k-th nearest has s <= H, the largest of those. A
 * dropped row j has t >= W, the row's worst, and |x_j|² <= 2 |x_i|² +
 * 2 (t + e(j)), so s >= W (1 - 2c) - c (3 |x_i|² + extra) with c = 1.25
 * unit (unit < 0.02). When that exceeds H, no dropped row can be among the
 * k nearest, and only the kept candidates with t - e(j) <= H (see
 * `inMargin`) need their direct key.
 */
function shortlistBound(i: i32, k: i32, wide: i32, unit: f64, extra: f64): f64 {
  const base = <usize>i * <usize>wide;
  const count = load<i32>(sCounts + (<usize>i << 2));
  const widest = load<f32>(sWorst + (<usize>i << 2));
  if (widest != Infinity && count < k) return NaN;
  const ni = <f64>load<f32>(sSqnorms + (<usize>i << 2)) + extra;
  let high: f64 = -Infinity;
  for (let c = 0; c < min(k, count); c++) {
    const j = load<i32>(sIds + ((base + <usize>c) << 2));
    const t = <f64>load<f32>(sKeys + ((base + <usize>c) << 2));
    high = Math.max(high, t + unit * (ni + <f64>load<f32>(sSqnorms + (<usize>j << 2))));
  }

  // a list that dropped rows: they must all be provably beyond H
  if (widest == Infinity) return high;
  const c = 1.25 * unit;
  return <f64>widest * (1.0 - 2.0 * c) - c * (3.0 * ni + extra) > high ? high : NaN;
}

// whether shortlist entry c of row i may be below `high` by its direct key
// @ts-ignore: decorator
@inline function inMargin(i: i32, c: i32, wide: i32, unit: f64, extra: f64, high: f64): bool {
  const at = ((<usize>i * <usize>wide + <usize>c) << 2);
  const j = load<i32>(sIds + at);
  const ni = <f64>load<f32>(sSqnorms + (<usize>i << 2)) + extra;
  return <f64>load<f32>(sKeys + at) - unit * (ni + <f64>load<f32>(sSqnorms + (<usize>j << 2)))
    <= high;
}

// row i's k nearest from its shortlist, by the direct key; false if uncertified
function rankRow(
  points: usize, i: i32, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, worst: usize, wide: i32, unit: f64,
): bool {
  const extra: f64 = isCosine(metric) ? 2.0 : 0.0;
  const high = shortlistBound(i, k, wide, unit, extra);
  if (isNaN(high)) return false;
  const count = load<i32>(sCounts + (<usize>i << 2));
  for (let c = 0; c < count; c++) {
    if (!inMargin(i, c, wide, unit, extra, high)) continue;
    const j = load<i32>(sIds + ((<usize>i * <usize>wide + <usize>c) << 2));
    const key = directKey(points, rows, dim, metric, norms, i, j);
    offerOrdered(i, j, key, k, ids, keys, counts, worst);
  }
  return true;
}

// row i against every other row by the direct key, in id order
function scanRow(
  points: usize, i: i32, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  for (let j = 0; j < rows; j++) {
    if (j == i) continue;
    offer(i, j, directKey(points, rows, dim, metric, norms, i, j), k, ids, keys, counts, worst);
  }
}

/**
 * The exact selection key of rows i and j: Σ (a - b)² for L2, 1 - cos for
 * the cosine metrics. Bit for bit what four-row kernels computed before the
 * screening: the lower row first, and for cosine the dot product of a row
 * below rows & ~3 with one accumulator (`dotLanes`), of the last rows with
 * `dot`.
 */
// @ts-ignore: decorator
@inline function directKey(
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

// like `offer`, for candidates in any order: ties go to the lower id
// @ts-ignore: decorator
@inline function offerOrdered(
  row: i32, id: i32, key: f32, k: i32,
  ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  const cp = counts + (<usize>row << 2);
  const wp = worst + (<usize>row << 2);
  const count = load<i32>(cp);
  const base = <usize>row * <usize>k;
  if (count == k) {
    const w = load<f32>(wp);
    if (key > w || (key == w && id > load<i32>(ids + ((base + <usize>k - 1) << 2)))) return;
  }
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
  if (count + 1 >= k) store<f32>(wp, load<f32>(keys + ((base + <usize>k - 1) << 2)));
}

/**
 * Every pair by its direct key: each unordered pair computed once and
 * offered to both rows, four rows sharing every load of a column for L2.
 * The path for tiny inputs and for when no scratch memory can be had.
 */
function knnDirect(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, k: i32,
  ids: usize, keys: usize, counts: usize, worst: usize,
): void {
  const cosine = isCosine(metric);
  const stride = <usize>dim << 2;
  let i0 = 0;
  if (!cosine) {
    for (; i0 + 4 <= rows; i0 += 4) {
      const a0 = points + <usize>i0 * stride;
      for (let j = i0 + 1; j < rows; j++) {
        squaredDiffs4(a0, stride, points + <usize>j * stride, dim);

        // only pairs (i, j) with i < j: the others were offered already
        const last = min(j - i0, 4);
        for (let r = 0; r < last; r++) {
          const key = load<f32>(block + (<usize>r << 2));
          offer(i0 + r, j, key, k, ids, keys, counts, worst);
          offer(j, i0 + r, key, k, ids, keys, counts, worst);
        }
      }
    }
  }

  // the last rows (every row for cosine), one at a time
  for (; i0 < rows; i0++) {
    for (let j = i0 + 1; j < rows; j++) {
      const key = directKey(points, rows, dim, metric, norms, i0, j);
      offer(i0, j, key, k, ids, keys, counts, worst);
      offer(j, i0, key, k, ids, keys, counts, worst);
    }
  }
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
  knnRefineRows(points, dim, metric, norms, k, 0, rows, ids, keys);
}

/** `knnRefine` of rows [from, to) only (each pool worker refines the rows it ranked). */
export function knnRefineRows(
  points: usize, dim: i32, metric: i32, norms: usize, k: i32, from: i32, to: i32,
  ids: usize, keys: usize,
): void {
  const stride = <usize>dim << 2;
  const cosine = isCosine(metric);
  for (let i = from; i < to; i++) {
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
 * when there is none), ties by the lower id. Used to bridge components.
 * Screened like `knnSelect` (same scratch contract, and split the same way
 * by the pool: `nearestBegin`, then `screenRange`, `screenTighten`,
 * `screenMerge`, and `nearestRank`), with same-label pairs masked out and
 * a shortlist of 8; the exact key is `pairKey`, as the direct scan
 * computes it.
 */
export function nearestOther(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, labels: usize,
  ids: usize, keys: usize,
): void {
  uncertified = 0;
  let at = max(points + <usize>rows * (<usize>dim << 2), norms + (<usize>rows << 2));
  at = max(at, max(labels, max(ids, keys)) + (<usize>rows << 2));
  const base = align16(at);
  const end = <u64>base + scratchLayout(base, rows, dim, min(8, rows - 1), false);
  if (rows <= DIRECT_ROWS || screenUnit(dim) > MAX_UNIT || !reserve(end)) {
    for (let i = 0; i < rows; i++) {
      store<i32>(ids + (<usize>i << 2), -1);
      store<f32>(keys + (<usize>i << 2), Infinity);
    }
    nearestOtherDirect(points, rows, dim, metric, norms, labels, ids, keys);
    return;
  }
  nearestBegin(points, rows, dim, metric, norms, labels, base);
  screenRange(rows, dim, 0, rows);
  nearestRank(points, rows, dim, metric, norms, labels, 0, rows, ids, keys);
}

/**
 * `screenBegin` for `nearestOther`: lists of 8, and `screenRange` from now
 * on offers only pairs of different `labels`. The scratch is the same
 * (`knnScratchBytes` for any k covers it).
 */
export function nearestBegin(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, labels: usize, scratch: usize,
): void {
  scratchLayout(scratch, rows, dim, min(8, rows - 1), true);

  // labels padded with -1: padding rows are masked by their +inf norms anyway
  const padded = (rows + PANEL - 1) / PANEL * PANEL;
  for (let i = 0; i < padded; i++) {
    store<i32>(sLabels + (<usize>i << 2), i < rows ? load<i32>(labels + (<usize>i << 2)) : -1);
  }
  packPanels(points, rows, dim, metric, norms, sMean, sPanels, sSqnorms);
  resetLists(padded, sCounts, sWorst);
  screening = SCREEN_OTHER;
}

/**
 * Rows [from, to) of `nearestOther` from their screened lists: the nearest
 * other-label row among the candidates within the margin, or by a scan of
 * every row when the screening cannot certify the row. Returns the number
 * of rows scanned.
 */
export function nearestRank(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, labels: usize,
  from: i32, to: i32, ids: usize, keys: usize,
): i32 {
  const wide = sWide;
  const unit = screenUnit(dim);
  const extra: f64 = isCosine(metric) ? 2.0 : 0.0;
  let scanned = 0;
  for (let i = from; i < to; i++) {
    store<i32>(ids + (<usize>i << 2), -1);
    store<f32>(keys + (<usize>i << 2), Infinity);
    const high = shortlistBound(i, 1, wide, unit, extra);
    if (isNaN(high)) {
      nearestOtherRow(points, i, rows, dim, metric, norms, labels, ids, keys);
      scanned++;
      continue;
    }
    const count = load<i32>(sCounts + (<usize>i << 2));
    for (let c = 0; c < count; c++) {
      if (!inMargin(i, c, wide, unit, extra, high)) continue;
      const j = load<i32>(sIds + ((<usize>i * <usize>wide + <usize>c) << 2));
      keepNearest(i, j, otherKey(points, dim, metric, norms, i, j), ids, keys);
    }
  }
  uncertified = scanned;
  return scanned;
}

// the exact key of a bridging pair: `pairKey`, lower row first
// @ts-ignore: decorator
@inline function otherKey(
  points: usize, dim: i32, metric: i32, norms: usize, i: i32, j: i32,
): f32 {
  const lo = min(i, j);
  const hi = max(i, j);
  const stride = <usize>dim << 2;
  return pairKey(
    isCosine(metric), points + <usize>lo * stride, points + <usize>hi * stride, dim, norms, lo, hi,
  );
}

// keeps j as row i's nearest if it is nearer, or as near with a lower id
// @ts-ignore: decorator
@inline function keepNearest(i: i32, j: i32, key: f32, ids: usize, keys: usize): void {
  const ip = ids + (<usize>i << 2);
  const kp = keys + (<usize>i << 2);
  const best = load<i32>(ip);
  const bestKey = load<f32>(kp);
  if (best < 0 || key < bestKey || (key == bestKey && j < best)) {
    store<f32>(kp, key);
    store<i32>(ip, j);
  }
}

// row i's nearest other-label row by a scan in id order
function nearestOtherRow(
  points: usize, i: i32, rows: i32, dim: i32, metric: i32, norms: usize, labels: usize,
  ids: usize, keys: usize,
): void {
  const li = load<i32>(labels + (<usize>i << 2));
  for (let j = 0; j < rows; j++) {
    if (load<i32>(labels + (<usize>j << 2)) == li) continue;
    keepNearest(i, j, otherKey(points, dim, metric, norms, i, j), ids, keys);
  }
}

/** `nearestOther` over every pair: the path for tiny inputs and no scratch. */
function nearestOtherDirect(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize, labels: usize,
  ids: usize, keys: usize,
): void {
  const cosine = isCosine(metric);
  const stride = <usize>dim << 2;
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
