import { describe, expect, it } from "vitest";
import { mean, mulberry32, pairedBootstrap } from "../src/summarize/stats.js";

/** Seeded ROUGE-like scores in [10, 50). */
function scores(n: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => 10 + 40 * random());
}

describe("mean", () => {
  it("mean(xs) averages, returns a constant exactly and NaN for no values", () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([0.1, 0.1, 0.1])).toBe(0.1);
    expect(mean(new Float64Array([-2.5]))).toBe(-2.5);
    expect(mean([])).toBeNaN();
  });
});

describe("mulberry32", () => {
  it("mulberry32(seed) repeats for a seed and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});

describe("pairedBootstrap", () => {
  it("pairedBootstrap(a, a) gives a mean and interval of exactly 0", () => {
    const a = scores(30, 1);
    expect(pairedBootstrap(a, a)).toEqual({ mean: 0, low: 0, high: 0 });
  });

  it("pairedBootstrap(b + d, b) gives exactly d for a constant shift d", () => {
    // on a grid of 1/64 every a[i] - b[i] is exactly d, so any error would be the method's
    const b = scores(30, 2).map((x) => Math.round(x * 64) / 64);
    for (const d of [1.25, -3.5]) {
      const a = b.map((x) => x + d);
      expect(a.every((x, i) => x - b[i] === d)).toBe(true);
      expect(pairedBootstrap(a, b)).toEqual({ mean: d, low: d, high: d });
    }
  });

  it("pairedBootstrap(a, b) gives exactly d when every difference is d = 0.1", () => {
    // a plain mean of 30 copies of 0.1 is not 0.1; offsets from the first difference are 0
    const a = Array.from({ length: 30 }, () => 0.1);
    const b = Array.from({ length: 30 }, () => 0);
    expect(pairedBootstrap(a, b)).toEqual({ mean: 0.1, low: 0.1, high: 0.1 });
  });

  it("pairedBootstrap(a, b) returns the mean difference inside its interval", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const a = scores(28, seed);
      const b = scores(28, seed + 100);
      const { mean: difference, low, high } = pairedBootstrap(a, b, { resamples: 2000, seed });
      expect(difference).toBeCloseTo(mean(a) - mean(b), 12);
      expect(low).toBeLessThanOrEqual(difference);
      expect(high).toBeGreaterThanOrEqual(difference);
      expect(low).toBeLessThan(high);
    }
  });

  it("pairedBootstrap(a, b, { seed }) is reproducible by seed and varies across seeds", () => {
    const a = scores(30, 3);
    const b = scores(30, 4);
    expect(pairedBootstrap(a, b, { seed: 7 })).toEqual(pairedBootstrap(a, b, { seed: 7 }));
    expect(pairedBootstrap(a, b, { seed: 7 })).not.toEqual(pairedBootstrap(a, b, { seed: 8 }));
  });

  it("pairedBootstrap(a, b, { confidence }) widens with the confidence", () => {
    const a = scores(30, 5);
    const b = scores(30, 6);
    const narrow = pairedBootstrap(a, b, { confidence: 0.5 });
    const wide = pairedBootstrap(a, b, { confidence: 0.99 });
    expect(wide.low).toBeLessThan(narrow.low);
    expect(wide.high).toBeGreaterThan(narrow.high);
  });

  it("pairedBootstrap(a, b) matches the normal approximation on many items", () => {
    // the bootstrap standard error of a mean is close to sd / sqrt(n)
    const a = scores(400, 9);
    const b = scores(400, 10);
    const diffs = a.map((x, i) => x - b[i]);
    const m = mean(diffs);
    const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - m) ** 2, 0) / diffs.length);
    const { low, high } = pairedBootstrap(a, b);
    const halfWidth = (1.959964 * sd) / Math.sqrt(diffs.length);
    expect((high - low) / 2).toBeGreaterThan(0.9 * halfWidth);
    expect((high - low) / 2).toBeLessThan(1.1 * halfWidth);
  });

  it("pairedBootstrap(a, b) refuses mismatched, empty or out-of-range inputs", () => {
    expect(() => pairedBootstrap([1, 2], [1])).toThrow(/b: expected length 2/);
    expect(() => pairedBootstrap([], [])).toThrow(RangeError);
    expect(() => pairedBootstrap([1], [1], { resamples: 0 })).toThrow(/resamples/);
    expect(() => pairedBootstrap([1], [1], { confidence: 1 })).toThrow(/confidence/);
  });
});
