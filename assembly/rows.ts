// Checks and preparation of caller rows already copied into linear memory,
// so that a large input is scanned by SIMD loops instead of JavaScript ones.
// Each does exactly what src/points.ts does in JavaScript (toPoints' value
// check, prepareRows), bit for bit: the two paths must give equal results.

// largest |x| seen by the last scanRows
let largest: f32 = 0;

/**
 * Scans `rows` x `dim` float32 values at `data` in row order. Returns -1 when
 * every value is finite (and, with `nonZero`, no row is all zeros); else the
 * flat index of the first non-finite value, or -2 - row for the first zero
 * row, whichever comes first in row order. `scanLargest` then gives the
 * largest |x| of the rows scanned.
 */
export function scanRows(data: usize, rows: i32, dim: i32, nonZero: bool): i32 {
  const zero = f32x4.splat(0);
  const body = dim & ~3;
  let most: f32 = 0;
  for (let i = 0; i < rows; i++) {
    const row = data + ((<usize>i * <usize>dim) << 2);
    // x - x is 0 for a finite x and NaN for an infinite or NaN one
    let bad = zero;
    let top = zero;
    for (let d = 0; d < body; d += 4) {
      const x = v128.load(row + (<usize>d << 2));
      bad = v128.or(bad, f32x4.ne(f32x4.sub(x, x), zero));
      top = f32x4.max(top, f32x4.abs(x));
    }
    let rowTop = max(
      max(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)),
      max(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3)),
    );
    let tailBad = false;
    for (let d = body; d < dim; d++) {
      const x = load<f32>(row + (<usize>d << 2));
      if (x - x != 0) tailBad = true;
      rowTop = max(rowTop, abs(x));
    }
    if (v128.any_true(bad) || tailBad) {
      for (let d = 0; d < dim; d++) {
        const x = load<f32>(row + (<usize>d << 2));
        if (x - x != 0) return i * dim + d;
      }
    }
    if (nonZero && rowTop == 0) return -2 - i;
    most = max(most, rowTop);
  }
  largest = most;
  return -1;
}

/** The largest |x| of the last scanRows that found nothing wrong. */
export function scanLargest(): f32 {
  return largest;
}

/**
 * Scales each row to unit length in place, in float64: divided by its
 * largest |x| first, so that neither the squares nor their sum can overflow
 * or underflow. No row may be all zeros.
 */
export function unitRows(data: usize, rows: i32, dim: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = data + ((<usize>i * <usize>dim) << 2);
    let top: f64 = 0;
    for (let d = 0; d < dim; d++) top = max(top, abs(<f64>load<f32>(row + (<usize>d << 2))));
    let squared: f64 = 0;
    for (let d = 0; d < dim; d++) {
      const r = <f64>load<f32>(row + (<usize>d << 2)) / top;
      squared += r * r;
    }
    const norm = top * Math.sqrt(squared);
    for (let d = 0; d < dim; d++) {
      const at = row + (<usize>d << 2);
      store<f32>(at, <f32>(<f64>load<f32>(at) / norm));
    }
  }
}

/** Multiplies `count` float32 values by `scale`, a power of two, in place. */
export function scaleValues(data: usize, count: usize, scale: f32): void {
  const s = f32x4.splat(scale);
  const body = count & ~3;
  for (let i: usize = 0; i < body; i += 4) {
    const at = data + (i << 2);
    v128.store(at, f32x4.mul(v128.load(at), s));
  }
  for (let i = body; i < count; i++) {
    const at = data + (i << 2);
    store<f32>(at, load<f32>(at) * scale);
  }
}
