// Distance kernels over row-major float32 points.
//
// Selection runs on a cheap form of the distance: squared euclidean through
// precomputed squared norms (|a|² + |b|² - 2 a·b), or cosine through
// precomputed inverse norms (1 - a·b / |a||b|). Both cancel in float32 for
// near-duplicates, so the weight of every kept edge is recomputed directly
// from the coordinates afterwards (see `pairDistance`).

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
  const half = Math.min(Math.sqrt(<f64>chord2) * 0.5, 1.0);
  return <f32>(2.0 * Math.asin(half));
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
