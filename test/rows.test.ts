// The WebAssembly row scan and preparation (assembly/rows.ts) against the
// JavaScript ones of src/points.ts, which knnGraph uses: geodesicFrom
// attaches its query to rows prepared in WebAssembly, so the two must agree
// bit for bit, and report bad values with the same error.

import { beforeAll, describe, expect, it } from "vitest";
import { initSync } from "../src/index.js";
import { prepareRows, scaling, toPoints, valueError, type Points } from "../src/points.js";
import { arena, wasm } from "../src/wasm.js";
import { gaussian, rng } from "./random.js";

beforeAll(() => initSync());

// rows of mixed scales: each row a Gaussian times 2^e, e drawn in [-lo, hi]
function scaledRows(rows: number, dim: number, seed: number, lo: number, hi: number): Points {
  const random = rng(seed);
  const g = gaussian(random);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const scale = 2 ** Math.floor(-lo + random() * (lo + hi + 1));
    for (let d = 0; d < dim; d++) data[i * dim + d] = g() * scale;
  }
  return { data, rows, dim };
}

// runs `job` on a copy of p's values in linear memory; returns the values after it
function inMemory(p: Points, job: (at: number) => number | void) {
  return arena.scoped(() => {
    const at = arena.alloc(p.data.length * 4);
    arena.f32().set(p.data, at >> 2);
    const result = job(at);
    return { result, data: arena.f32().slice(at >> 2, (at >> 2) + p.data.length) };
  });
}

// the error toPoints throws for p, or undefined
function jsRefusal(p: Points, nonZero: boolean): string | undefined {
  try {
    toPoints(p, "points", nonZero);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("rows prepared in WebAssembly", () => {
  const shapes = [
    [1, 1],
    [7, 3],
    [33, 4],
    [50, 17],
    [64, 100],
  ] as const;

  it("unit rows equal prepareRows' bit for bit, at every scale", () => {
    for (const [rows, dim] of shapes) {
      for (const [lo, hi] of [
        [2, 2],
        [120, 0],
        [0, 120],
        [140, 120],
      ] as const) {
        const p = scaledRows(rows, dim, rows * 31 + dim + lo, lo, hi);
        for (let i = 0; i < p.data.length; i += 5) if (p.data[i] === 0) p.data[i] = 1;
        const expected = prepareRows(p, true, false).data;
        const { data } = inMemory(p, (at) => wasm().unitRows(at, rows, dim));
        expect(data, `${rows} x ${dim}, scales 2^-${lo}..2^${hi}`).toEqual(expected);
      }
    }
  });

  it("scaled L2 rows and the largest value equal prepareRows'", () => {
    for (const [rows, dim] of shapes) {
      for (const [lo, hi] of [
        [140, -60],
        [-60, 120],
        [3, 3],
      ] as const) {
        const p = scaledRows(rows, dim, rows + dim * 7 + hi, lo, hi);
        for (const squared of [false, true]) {
          const expected = prepareRows(p, false, squared);
          const { result, data } = inMemory(p, (at) => {
            expect(wasm().scanRows(at, rows, dim, 0)).toBe(-1);
            const largest = wasm().scanLargest();
            const { scale } = scaling(largest, squared);
            if (scale !== 1) wasm().scaleValues(at, p.data.length, scale);
            return largest;
          });
          let largest = 0;
          for (const x of p.data) largest = Math.max(largest, Math.abs(x));
          expect(result).toBe(largest);
          expect(scaling(largest, squared)).toEqual({
            scale: expected.scale,
            weightScale: expected.weightScale,
          });
          expect(data).toEqual(expected.data);
        }
      }
    }
  });

  it("scanRows finds the value or row toPoints refuses, and the same message", () => {
    const random = rng(7);
    const bad = [NaN, Infinity, -Infinity];
    let refusals = 0;
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(random() * 9);
      const dim = 1 + Math.floor(random() * 11);
      const p = scaledRows(rows, dim, trial, 3, 3);
      // a few zero rows and a few non-finite values, anywhere
      for (let i = 0; i < rows; i++) if (random() < 0.15) p.data.fill(0, i * dim, (i + 1) * dim);
      for (let j = 0; j < p.data.length; j++) {
        if (random() < 0.03) p.data[j] = bad[Math.floor(random() * 3)];
      }
      for (const nonZero of [false, true]) {
        const expected = jsRefusal(p, nonZero);
        const { result } = inMemory(p, (at) => wasm().scanRows(at, rows, dim, nonZero ? 1 : 0));
        if (expected === undefined) expect(result).toBe(-1);
        else {
          refusals++;
          expect(result).not.toBe(-1);
          expect(valueError(p, "points", result as number).message).toBe(expected);
        }
      }
    }
    expect(refusals).toBeGreaterThan(100);
  });
});
