// The Points type and the checks every builder runs on its input.

import { isArrayLike, rangeError, typeError } from "./errors.js";

/** Row-major float32 points: row i is data[i * dim .. (i + 1) * dim). */
export interface Points {
  data: Float32Array;
  rows: number;
  dim: number;
}

/** Everything the builders accept as points. */
export type PointsInput = Points | ArrayLike<ArrayLike<number>>;

/**
 * Normalizes and validates points: a `Points` object, `number[][]` or
 * `Float32Array[]`. Throws a TypeError or RangeError naming `name` on a
 * ragged, empty-dimensional or non-finite input. With `nonZero` (cosine
 * metrics), a zero row is refused too. Returns float32 row-major data (a
 * copy for nested arrays; the caller's own Float32Array otherwise). With
 * `values` false, only the shape is checked: the caller scans the values
 * (scanRows in WebAssembly) and reports a failure with `valueError`.
 */
export function toPoints(input: unknown, name = "points", nonZero = false, values = true): Points {
  const points = isArrayLike(input) ? fromRows(input, name) : fromObject(input, name);
  if (values) checkValues(points, name, nonZero);
  return points;
}

function fromObject(input: unknown, name: string): Points {
  if (typeof input !== "object" || input === null) {
    throw typeError(name, input, "{ data: Float32Array, rows, dim } or an array of rows");
  }
  const { data, rows, dim } = input as Partial<Points>;
  if (!(data instanceof Float32Array)) {
    throw typeError(`${name}.data`, data, "a Float32Array");
  }
  if (typeof rows !== "number") throw typeError(`${name}.rows`, rows, "a non-negative integer");
  if (!Number.isInteger(rows) || rows < 0) {
    throw rangeError(`${name}.rows`, rows, "a non-negative integer");
  }
  if (typeof dim !== "number") throw typeError(`${name}.dim`, dim, "a positive integer");
  if (!Number.isInteger(dim) || dim < 1) {
    throw rangeError(`${name}.dim`, dim, "a positive integer");
  }
  if (rows * dim !== data.length) {
    throw rangeError(
      `${name}.data.length`,
      data.length,
      `rows * dim = ${rows} * ${dim} = ${rows * dim}`,
    );
  }
  return { data, rows, dim };
}

function fromRows(input: ArrayLike<unknown>, name: string): Points {
  const rows = input.length;
  if (rows === 0) throw rangeError(name, input, "at least one row");
  const first = input[0];
  if (!isArrayLike(first)) throw typeError(`${name}[0]`, first, "an array of numbers");
  const dim = first.length;
  if (dim < 1) throw rangeError(`${name}[0].length`, dim, "a positive dimension");

  const data = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const row = input[i];
    if (!isArrayLike(row)) throw typeError(`${name}[${i}]`, row, "an array of numbers");
    if (row.length !== dim) {
      throw rangeError(`${name}[${i}].length`, row.length, `${dim}, the length of row 0`);
    }
    for (let d = 0; d < dim; d++) {
      const x = row[d];
      if (typeof x !== "number") throw typeError(`${name}[${i}][${d}]`, x, "a number");
      data[i * dim + d] = x;
    }
  }
  return { data, rows, dim };
}

function checkValues(points: Points, name: string, nonZero: boolean): void {
  const { data, rows, dim } = points;
  for (let i = 0; i < rows; i++) {
    let squared = 0;
    for (let d = i * dim, end = d + dim; d < end; d++) {
      const x = data[d];
      if (!Number.isFinite(x)) throw valueError(points, name, d);
      squared += x * x;
    }
    if (nonZero && squared === 0) throw valueError(points, name, -2 - i);
  }
}

/**
 * The refusal for what a value scan found at `at`: the flat index of a
 * non-finite value, or -2 - row for an all-zero row (cosine metrics).
 */
export function valueError(points: Points, name: string, at: number): RangeError {
  if (at <= -2) return zeroVector(`${name} row ${-2 - at}`);
  const row = Math.floor(at / points.dim);
  return rangeError(
    `${name} row ${row}, column ${at - row * points.dim}`,
    points.data[at],
    "a finite number (float32: |x| < 3.4e38)",
  );
}

/** Checks one vector of `dim` finite numbers; returns it as float32. */
export function toVector(
  input: unknown,
  name: string,
  dim: number,
  nonZero: boolean,
): Float32Array {
  if (!isArrayLike(input)) throw typeError(name, input, `an array of ${dim} numbers`);
  if (input.length !== dim) {
    throw rangeError(`${name}.length`, input.length, `${dim}, the points' dimension`);
  }
  const out = new Float32Array(dim);
  let squared = 0;
  for (let d = 0; d < dim; d++) {
    const x = input[d];
    if (typeof x !== "number") throw typeError(`${name}[${d}]`, x, "a number");
    if (!Number.isFinite(x) || !Number.isFinite(Math.fround(x))) {
      throw rangeError(`${name}[${d}]`, x, "a finite float32 number");
    }
    out[d] = x;
    squared += x * x;
  }
  if (nonZero && squared === 0) {
    throw zeroVector(name);
  }
  return out;
}

/** The refusal of a zero vector where a cosine metric needs a direction. */
export function zeroVector(name: string): RangeError {
  return new RangeError(
    `${name} is a zero vector; expected a non-zero vector for the cosine and angular metrics`,
  );
}

/**
 * Rows as the kernels want them. Cosine metrics get unit rows (in float64,
 * then float32), so that neighbours are ranked by the chord between
 * directions, which does not cancel for near-parallel rows as 1 - cos does.
 * L2 metrics get the rows scaled by a power of two when their largest
 * coordinate is beyond 2^±20, so that float32 squares neither overflow nor
 * lose small distances to underflow (pairs closer than about 2^-50 of the
 * largest coordinate are ranked again in float64: see src/tiny.ts); weights
 * computed on them are multiplied by `weightScale`. Scaling by a power of
 * two is exact (but for values pushed into float32's subnormals), so it
 * changes no ranking and no weight.
 */
export interface Prepared {
  data: Float32Array;
  /** Multiplier applied to every coordinate (a power of two; 1 for cosine). */
  scale: number;
  /** Multiplier that turns a weight computed on `data` into the true weight. */
  weightScale: number;
}

const FAR = 2 ** 20;

export function prepareRows(p: Points, cosine: boolean, squared: boolean): Prepared {
  const { data, rows, dim } = p;
  if (cosine) {
    // TODO: float32 unit rows carry about an ulp of absolute error, so the
    // chord between near-parallel rows (angles below about 1e-3) has a
    // relative error near 1e-7 / angle and close neighbours can swap ranks.
    // Ranking candidates with small chords again in float64 from the
    // caller's rows, as src/tiny.ts does for L2, would resolve it.
    const unit = new Float32Array(data.length);
    for (let i = 0; i < rows; i++) unitRow(data, i * dim, dim, unit);
    return { data: unit, scale: 1, weightScale: 1 };
  }
  let largest = 0;
  for (let i = 0; i < data.length; i++) largest = Math.max(largest, Math.abs(data[i]));
  const { scale, weightScale } = scaling(largest, squared);
  return { data: scale === 1 ? data : data.map((x) => x * scale), scale, weightScale };
}

/**
 * The power of two L2 rows are scaled by, given their largest |x|, and the
 * multiplier that turns a weight computed on the scaled rows into the true
 * one (`squared`: sqeuclidean).
 */
export function scaling(largest: number, squared: boolean): Omit<Prepared, "data"> {
  if (largest === 0 || (largest <= FAR && largest >= 1 / FAR)) return { scale: 1, weightScale: 1 };
  const scale = 2 ** -Math.ceil(Math.log2(largest));
  return { scale, weightScale: squared ? 1 / (scale * scale) : 1 / scale };
}

/** A query prepared like the rows it is compared with. */
export function prepareQuery(
  q: Float32Array,
  cosine: boolean,
  like: Pick<Prepared, "scale">,
): Float32Array {
  if (cosine) {
    const unit = new Float32Array(q.length);
    unitRow(q, 0, q.length, unit);
    return unit;
  }
  return like.scale === 1 ? q : q.map((x) => x * like.scale);
}

// row at `start` of `data` scaled to unit length into `out`, in float64
function unitRow(data: Float32Array, start: number, dim: number, out: Float32Array): void {
  let largest = 0;
  for (let d = 0; d < dim; d++) largest = Math.max(largest, Math.abs(data[start + d]));
  let squared = 0;
  for (let d = 0; d < dim; d++) {
    const r = data[start + d] / largest;
    squared += r * r;
  }
  const norm = largest * Math.sqrt(squared);
  for (let d = 0; d < dim; d++) out[start + d] = data[start + d] / norm;
}
