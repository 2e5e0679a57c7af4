/**
 * Mean of `xs`, NaN when empty. Summed as offsets from the first value, so a constant
 * array returns that value exactly (a plain sum of 0.1 three times divided by 3 does not).
 */
export function mean(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const pivot = xs[0];
  let offsets = 0;
  for (let i = 0; i < n; i++) offsets += xs[i] - pivot;
  return pivot + offsets / n;
}

/**
 * mulberry32: a 32-bit seeded generator of floats in [0, 1). Small and fast, which is all
 * a shuffle or a bootstrap needs; not for anything that must be unpredictable.
 * @param seed any number; only its low 32 bits count
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of `pairedBootstrap`. */
export interface BootstrapOptions {
  /** Number of resamples. Default 10000. */
  resamples?: number;
  /** Seed of the generator. Default 1. */
  seed?: number;
  /** Coverage of the interval, in (0, 1). Default 0.95. */
  confidence?: number;
}

/** A mean difference and its interval. */
export interface Interval {
  mean: number;
  low: number;
  high: number;
}

/**
 * Paired bootstrap of the mean difference `a[i] - b[i]` over items (products, say):
 * resample the items with replacement, take the mean difference of each resample, and
 * return the percentile interval of those means (linear interpolation between order
 * statistics, as numpy's default). Items, not scores, are resampled, so a method pair is
 * compared on the same items in every resample.
 *
 * @param options `resamples` 10000, `seed` 1, `confidence` 0.95
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions = {},
): Interval {
  const { resamples = 10000, seed = 1, confidence = 0.95 } = options;
  const n = a.length;
  if (n !== b.length) {
    throw new RangeError(`b: expected length ${n} (as a), got ${b.length}`);
  }
  if (n === 0) throw new RangeError("a: expected at least one item, got 0");
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples: expected an integer >= 1, got ${resamples}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence: expected a number in (0, 1), got ${confidence}`);
  }

  // differences, kept as offsets from the first so equal differences resample exactly
  const pivot = a[0] - b[0];
  const offsets = new Float64Array(n);
  for (let i = 0; i < n; i++) offsets[i] = a[i] - b[i] - pivot;

  // one mean per resample
  const random = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += offsets[Math.floor(random() * n)];
    means[r] = pivot + sum / n;
  }
  means.sort();

  const tail = (1 - confidence) / 2;
  return {
    mean: pivot + mean(offsets),
    low: quantile(means, tail),
    high: quantile(means, 1 - tail),
  };
}

/** Quantile p of an ascending array, interpolating linearly between neighbours. */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}
