// The kNN screening (|x|² + |y|² - 2 x·y over centred rows, in float32) only
// shortlists candidates; the order comes from the direct Σ (a - b)². These
// tests build inputs where the screening's own order is wrong, and check
// that the graph is still the exact one, and that the relaxed-SIMD build
// (fused multiply-adds in the screening) builds the same graphs bit for bit.

import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { beforeAll, describe, expect, it } from "vitest";
import { initSync, knnGraph } from "../src/index.js";
import { knnLists } from "../src/reference/index.js";
import { wasm } from "../src/wasm.js";
import { gaussian, randomPoints, rng } from "./random.js";

beforeAll(() => initSync());

const uncertified = () => wasm().knnUncertified();

// two groups of points around -offset and +offset on every axis
function twoGroups(rows: number, dim: number, offset: number, seed: number) {
  const g = gaussian(rng(seed));
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < dim; d++) data[i * dim + d] = (i % 2 ? offset : -offset) + g();
  }
  return { data, rows, dim };
}

// each row's k nearest as the screening alone would rank them, emulated in
// float32: centred rows, products summed in dimension order
function screeningOrder(p: { data: Float32Array; rows: number; dim: number }, k: number) {
  const f = Math.fround;
  const { data, rows, dim } = p;
  const mean = new Float64Array(dim);
  for (let i = 0; i < rows * dim; i++) mean[i % dim] += data[i];
  const x = data.map((v, i) => f(v - f(mean[i % dim] / rows)));
  const squared = Array.from({ length: rows }, (_, i) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d] ** 2;
    return f(s);
  });
  return Array.from({ length: rows }, (_, i) => {
    const keys: [number, number][] = [];
    for (let j = 0; j < rows; j++) {
      if (j === i) continue;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot = f(dot + f(x[i * dim + d] * x[j * dim + d]));
      keys.push([f(f(squared[i] + squared[j]) - f(dot + dot)), j]);
    }
    keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return keys.slice(0, k).map(([, j]) => j);
  });
}

function sortedRow(ids: ArrayLike<number>, from: number, to: number): string {
  return Array.from(ids)
    .slice(from, to)
    .sort((a, b) => a - b)
    .join();
}

function expectExact(p: { data: Float32Array; rows: number; dim: number }, k: number) {
  const graph = knnGraph(p, { k, mode: "directed", connect: "none" });
  const ref = knnLists(p.data, p.rows, p.dim, k, "euclidean");
  for (let i = 0; i < p.rows; i++) {
    // CSR rows are sorted by target: compare the neighbour sets
    const got = sortedRow(graph.targets, graph.offsets[i], graph.offsets[i + 1]);
    expect(got, `row ${i}`).toBe(sortedRow(ref.ids, i * k, (i + 1) * k));
  }
}

describe("knnGraph screening", () => {
  it("knnGraph(two groups far from their mean) re-ranks the candidates within the margin", () => {
    // centring cannot help here (the mean lies between the groups), and the
    // screening's rounding, ~1e-7 of |x|² ~ 2e4, swaps near-equal neighbours
    const p = twoGroups(400, 8, 50, 7);
    const k = 5;
    const screened = screeningOrder(p, k);
    const ref = knnLists(p.data, p.rows, p.dim, k, "euclidean");
    const swapped = screened.filter(
      (ids, i) => sortedRow(ids, 0, k) !== sortedRow(ref.ids, i * k, (i + 1) * k),
    ).length;
    expect(swapped).toBeGreaterThan(0);

    expectExact(p, k);
    // every row was settled by the margin and the direct key, none by a scan
    expect(uncertified()).toBe(0);
  });

  it("knnGraph(groups so far apart the margin proves nothing) scans every row directly", () => {
    const p = twoGroups(300, 8, 300, 9);
    expectExact(p, 5);
    expect(uncertified()).toBe(300);
  });

  it("knnGraph(points on a small integer grid) keeps the lower index among equal distances", () => {
    // many exact ties at the k-th distance: rows whose ties reach past the
    // shortlist are scanned directly, the others ranked from it
    const random = rng(5);
    const data = Float32Array.from({ length: 500 * 3 }, () => Math.floor(random() * 4));
    expectExact({ data, rows: 500, dim: 3 }, 6);
  });
});

// the raw kernels of one build: select and refine, then copy the lists out
function rawLists(module: WebAssembly.Module, data: Float32Array, rows: number, dim: number) {
  const k = 7;
  const metricCodes = [0, 1, 2, 3];
  const e = new WebAssembly.Instance(module, {}).exports as unknown as {
    memory: WebAssembly.Memory;
    heapBase(): number;
    rowNorms(...args: number[]): void;
    knnSelect(...args: number[]): void;
    knnRefine(...args: number[]): void;
  };
  const out: number[][] = [];
  for (const metric of metricCodes) {
    const bytes = (n: number) => Math.ceil(n / 16) * 16;
    const points = bytes(e.heapBase());
    const norms = points + bytes(data.length * 4);
    const ids = norms + bytes(rows * 4);
    const keys = ids + bytes(rows * k * 4);
    const counts = keys + bytes(rows * k * 4);
    const worst = counts + bytes(rows * 4);
    const need = worst + bytes(rows * 4) - e.memory.buffer.byteLength;
    if (need > 0) e.memory.grow(Math.ceil(need / 65536));
    new Float32Array(e.memory.buffer).set(data, points >> 2);
    e.rowNorms(points, rows, dim, metric, norms);
    e.knnSelect(points, rows, dim, metric, norms, k, ids, keys, counts, worst);
    e.knnRefine(points, rows, dim, metric, norms, k, ids, keys);
    out.push(Array.from(new Int32Array(e.memory.buffer, ids, rows * k)));
    out.push(Array.from(new Float32Array(e.memory.buffer, keys, rows * k)));
  }
  return out;
}

describe("relaxed-SIMD build", () => {
  const relaxedUrl = new URL("../build/geodesic-relaxed.wasm", import.meta.url);
  const defaultUrl = new URL("../build/geodesic.wasm", import.meta.url);

  it("knnSelect in the relaxed build gives the default build's lists bit for bit", () => {
    // Node 20 validates relaxed SIMD only behind a flag, which can be set
    // before the first module that needs it is compiled
    setFlagsFromString("--experimental-wasm-relaxed-simd");
    const relaxedBytes = readFileSync(relaxedUrl);
    expect(WebAssembly.validate(relaxedBytes)).toBe(true);
    const relaxed = new WebAssembly.Module(relaxedBytes);
    const plain = new WebAssembly.Module(readFileSync(defaultUrl));
    for (const [rows, dim, seed] of [
      [300, 13, 1],
      [517, 100, 2],
      [260, 384, 3],
    ]) {
      const p = randomPoints(rows, dim, seed);
      for (let i = 0; i < p.data.length; i++) p.data[i] += (i % 3) * 20;
      expect(rawLists(relaxed, p.data, rows, dim)).toEqual(rawLists(plain, p.data, rows, dim));
    }
  });
});
