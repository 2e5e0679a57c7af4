// Distance kernels over row-major float32 points.
//
// Selection runs on a cheap form of the distance: |x|² + |y|² - 2 x·y over
// rows centred on their mean (and, for the cosine metrics, first scaled to
// unit length), computed by a register-blocked kernel over packed panels.
// That form cancels in float32, so it only screens candidates; `topk.ts`
// ranks the survivors by the direct Σ (a - b)², and the weight of every
// kept edge is recomputed from the coordinates (see `pairDistance`).

export const METRIC_EUCLIDEAN: i32 = 0;
export const METRIC_SQEUCLIDEAN: i32 = 1;
export const METRIC_COSINE: i32 = 2;
export const METRIC_ANGULAR: i32 = 3;

/** True when the metric selects neighbours by cosine rather than by L2. */
// @ts-ignore: decorator
@inline export function isCosine(metric: i32): bool {
  return metric >= METRIC_COSINE;
}

/** a·b over `dim` floats; the lane order is fixed so dot(x, x) is reproducible. */
export function dot(a: usize, b: usize, dim: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let d = 0;

  // two accumulators hide the add latency
  for (; d + 8 <= dim; d += 8) {
    const o = <usize>d << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  for (; d + 4 <= dim; d += 4) {
    const o = <usize>d << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  acc0 = f32x4.add(acc0, acc1);
  let sum = f32x4.extract_lane(acc0, 0) + f32x4.extract_lane(acc0, 1)
    + f32x4.extract_lane(acc0, 2) + f32x4.extract_lane(acc0, 3);

  // scalar tail when dim is not a multiple of 4
  for (; d < dim; d++) {
    const o = <usize>d << 2;
    sum += load<f32>(a + o) * load<f32>(b + o);
  }
  return sum;
}

/**
 * a·b with one accumulator per lane, then the lanes in order, then the tail:
 * the arithmetic of the four-row cosine kernels, which rank by it.
 */
export function dotLanes(a: usize, b: usize, dim: i32): f32 {
  let acc = f32x4.splat(0);
  let d = 0;
  for (; d + 4 <= dim; d += 4) {
    const o = <usize>d << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)
    + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; d < dim; d++) {
    const o = <usize>d << 2;
    sum += load<f32>(a + o) * load<f32>(b + o);
  }
  return sum;
}

/** Σ (a - b)² computed from the differences: exact 0 for identical rows. */
export function squaredDiff(a: usize, b: usize, dim: i32): f32 {
  let acc = f32x4.splat(0);
  let d = 0;
  for (; d + 4 <= dim; d += 4) {
    const o = <usize>d << 2;
    const t = f32x4.sub(v128.load(a + o), v128.load(b + o));
    acc = f32x4.add(acc, f32x4.mul(t, t));
  }
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)
    + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; d < dim; d++) {
    const o = <usize>d << 2;
    const t = load<f32>(a + o) - load<f32>(b + o);
    sum += t * t;
  }
  return sum;
}

/** Σ (a/|a| - b/|b|)², the squared chord between the unit directions. */
export function squaredChord(a: usize, b: usize, dim: i32, invA: f32, invB: f32): f32 {
  const sa = f32x4.splat(invA);
  const sb = f32x4.splat(invB);
  let acc = f32x4.splat(0);
  let d = 0;
  for (; d + 4 <= dim; d += 4) {
    const o = <usize>d << 2;
    const t = f32x4.sub(f32x4.mul(v128.load(a + o), sa), f32x4.mul(v128.load(b + o), sb));
    acc = f32x4.add(acc, f32x4.mul(t, t));
  }
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)
    + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; d < dim; d++) {
    const o = <usize>d << 2;
    const t = load<f32>(a + o) * invA - load<f32>(b + o) * invB;
    sum += t * t;
  }
  return sum;
}

/**
 * Squared norms of every row into `out`, or inverse norms for the cosine
 * metrics (the caller has refused zero rows before).
 */
export function rowNorms(points: usize, rows: i32, dim: i32, metric: i32, out: usize): void {
  const stride = <usize>dim << 2;
  for (let i = 0; i < rows; i++) {
    const row = points + <usize>i * stride;
    const squared = dot(row, row, dim);
    store<f32>(out + (<usize>i << 2), isCosine(metric) ? <f32>(1.0 / Math.sqrt(squared)) : squared);
  }
}

/**
 * The edge weight between two rows in the requested metric, from the
 * coordinates: cancellation-free, so duplicates weigh exactly 0.
 * `invA`, `invB` are inverse norms (used by the cosine metrics only).
 */
export function pairDistance(a: usize, b: usize, dim: i32, metric: i32, invA: f32, invB: f32): f32 {
  if (metric == METRIC_EUCLIDEAN) return Mathf.sqrt(squaredDiff(a, b, dim));
  if (metric == METRIC_SQEUCLIDEAN) return squaredDiff(a, b, dim);

  // 1 - cos = chord² / 2 and angle = 2 asin(chord / 2) stay accurate near 0
  const chord2 = squaredChord(a, b, dim, invA, invB);
  if (metric == METRIC_COSINE) return <f32>(<f64>chord2 * 0.5);
  if (chord2 <= 2) return <f32>(2.0 * Math.asin(Math.sqrt(<f64>chord2) * 0.5));

  // past a right angle asin loses its precision near π: measure the angle
  // to -b instead, by the chord between a and -b
  const opposite = squaredChord(a, b, dim, invA, -invB);
  const half = Math.min(Math.sqrt(<f64>opposite) * 0.5, 1.0);
  return <f32>(Math.PI - 2.0 * Math.asin(half));
}

/**
 * Distances from one query vector to every row, in the requested metric.
 * `norms` holds inverse norms for the cosine metrics (unused otherwise).
 */
export function queryDistances(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize,
  query: usize, queryInv: f32, out: usize,
): void {
  const stride = <usize>dim << 2;
  for (let i = 0; i < rows; i++) {
    const row = points + <usize>i * stride;
    const inv = isCosine(metric) ? load<f32>(norms + (<usize>i << 2)) : <f32>0;
    store<f32>(out + (<usize>i << 2), pairDistance(query, row, dim, metric, queryInv, inv));
  }
}

// Panels: the rows as the tiled kernel reads them. Eight rows side by side,
// one 32-byte line per dimension, so one v128 load gives four rows' values
// at a dimension and one load32_splat gives one row's:
//
//   panel p, rows 8p .. 8p+7:   line 0:   x[8p][0]  x[8p+1][0] ... x[8p+7][0]
//                               line 1:   x[8p][1]  x[8p+1][1] ... x[8p+7][1]
//                               ...       (dim lines; rows past the end are 0)

/** Rows per panel. */
export const PANEL: i32 = 8;

/**
 * Packs `rows` into panels, centred on their mean (for the cosine metrics,
 * the rows are first scaled by their inverse norms from `norms`, exactly as
 * `squaredChord` scales them), and writes each packed row's squared norm to
 * `sqnorms` (+inf for the padding rows, so that no padding pair is ever
 * kept). Centring is what makes |x|² + |y|² - 2 x·y usable: its rounding
 * error grows with the norms, and the mean is the translation that makes
 * them smallest. `mean` is f64[dim] scratch.
 */
export function packPanels(
  points: usize, rows: i32, dim: i32, metric: i32, norms: usize,
  mean: usize, panels: usize, sqnorms: usize,
): void {
  const stride = <usize>dim << 2;
  const cosine = isCosine(metric);
  const count = (rows + PANEL - 1) / PANEL * PANEL;

  // the mean row, summed in f64
  for (let d = 0; d < dim; d++) store<f64>(mean + (<usize>d << 3), 0);
  for (let i = 0; i < rows; i++) {
    const row = points + <usize>i * stride;
    const inv = cosine ? load<f32>(norms + (<usize>i << 2)) : <f32>1;
    for (let d = 0; d < dim; d++) {
      const x = cosine ? load<f32>(row + (<usize>d << 2)) * inv : load<f32>(row + (<usize>d << 2));
      const at = mean + (<usize>d << 3);
      store<f64>(at, load<f64>(at) + <f64>x);
    }
  }
  for (let d = 0; d < dim; d++) {
    const at = mean + (<usize>d << 3);
    store<f64>(at, <f64><f32>(load<f64>(at) / <f64>rows));
  }

  // scatter each centred row into its panel lane; the norm from the f32 values
  for (let i = 0; i < count; i++) {
    const lane = panels + (<usize>(i / PANEL) * <usize>dim << 5) + (<usize>(i % PANEL) << 2);
    if (i >= rows) {
      for (let d = 0; d < dim; d++) store<f32>(lane + (<usize>d << 5), 0);
      store<f32>(sqnorms + (<usize>i << 2), Infinity);
      continue;
    }
    const row = points + <usize>i * stride;
    const inv = cosine ? load<f32>(norms + (<usize>i << 2)) : <f32>1;
    let squared: f64 = 0;
    for (let d = 0; d < dim; d++) {
      const a = cosine ? load<f32>(row + (<usize>d << 2)) * inv : load<f32>(row + (<usize>d << 2));
      const x = a - <f32>load<f64>(mean + (<usize>d << 3));
      store<f32>(lane + (<usize>d << 5), x);
      squared += <f64>x * <f64>x;
    }
    store<f32>(sqnorms + (<usize>i << 2), <f32>squared);
  }
}

// acc + a * b: one fused instruction in the relaxed-SIMD build (where the
// engine may fuse or not: only the screening keys use it, never an exact one)
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * Dot products of 4 rows (lanes `a`, in a panel) with the 8 rows of the
 * panel at `b`: a 4 x 8 block held in eight v128 accumulators, written to
 * `out` row by row (out[r][0..7], 128 bytes).
 *
 * Per dimension: two loads of b, four splat loads of a, eight multiply-adds;
 * the accumulators, the two b vectors and one product fit the 16 vector
 * registers of x86-64, so nothing spills. Each accumulator sums its pair in
 * dimension order; the screening margin in `topk.ts` covers that rounding.
 * TODO: a row block reads dim lines of 32 bytes, which leave L1 (32 KiB)
 * past about 700 dimensions; splitting dim into depth blocks, with the
 * partial sums kept in `out` between them, would keep them in L1.
 */
export function dotBlock(a: usize, b: usize, dim: i32, out: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  const end = b + (<usize>dim << 5);
  for (; b < end; b += 32, a += 32) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load32_splat(a, 4);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = v128.load32_splat(a, 8);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load32_splat(a, 12);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
  }
  v128.store(out, c00);
  v128.store(out, c01, 16);
  v128.store(out, c10, 32);
  v128.store(out, c11, 48);
  v128.store(out, c20, 64);
  v128.store(out, c21, 80);
  v128.store(out, c30, 96);
  v128.store(out, c31, 112);
}
