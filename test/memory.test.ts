import { beforeAll, describe, expect, it } from "vitest";
import { Graph, geodesicFrom, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { wasm } from "../src/wasm.js";
import { referenceKnnGraph } from "../src/reference/index.js";
import { randomPoints } from "./random.js";

beforeAll(() => initSync());

describe("memory", () => {
  it("knnGraph(points larger than the initial WebAssembly memory) grows it and agrees", () => {
    const initial = 65536;
    const p = randomPoints(3000, 24, 17);
    expect(p.data.byteLength).toBeGreaterThan(initial * 4);
    const graph = knnGraph(p, { k: 5 });
    expect(wasm().memory.buffer.byteLength).toBeGreaterThan(p.data.byteLength);
    const sample = referenceKnnGraph(p.data, p.rows, p.dim, { k: 5 });
    expect(Array.from(graph.offsets)).toEqual(Array.from(sample.offsets));
    expect(Array.from(graph.targets)).toEqual(Array.from(sample.targets));
  });

  it("10,000 calls in a loop leave WebAssembly memory the size it had after warm-up", () => {
    const a = randomPoints(60, 8, 1);
    const b = randomPoints(200, 8, 2);
    const graphA = knnGraph(a, { k: 4 });
    const graphB = knnGraph(b, { k: 4 });
    const loop = (times: number) => {
      for (let i = 0; i < times; i++) {
        const g = i % 2 ? graphA : graphB;
        const pts = i % 2 ? a : b;
        if (i % 50 === 0) knnGraph(pts, { k: 3 });
        shortestPaths(g, [0, 1]);
        geodesicFrom(g, pts, pts.data.subarray(0, 8));
      }
    };
    loop(200);
    const warm = wasm().memory.buffer.byteLength;
    loop(10_000);
    expect(wasm().memory.buffer.byteLength).toBe(warm);
  });

  it("a job that cannot fit in 4 GiB is refused up front with the bytes it needs", () => {
    const before = wasm().memory.buffer.byteLength;
    const p = { data: new Float32Array(2_000_000), rows: 2_000_000, dim: 1 };
    expect(() => knnGraph(p, { k: 500 })).toThrow(
      /a kNN graph of 2000000 x 1 points with k = 500 needs \d+ bytes of WebAssembly memory/,
    );
    expect(wasm().memory.buffer.byteLength).toBe(before);
    const g = Graph.fromEdges({ nodes: 2, sources: [0], targets: [1], weights: [2] });
    expect(Array.from(shortestPaths(g, 0).distances)).toEqual([0, 2]);
  });

  it("a resident graph is replaced when another graph is queried, and results stay right", () => {
    const g1 = Graph.fromEdges({ nodes: 3, sources: [0, 1], targets: [1, 2], weights: [1, 1] });
    const g2 = Graph.fromEdges({ nodes: 3, sources: [0, 1], targets: [1, 2], weights: [5, 5] });
    for (let i = 0; i < 3; i++) {
      expect(Array.from(shortestPaths(g1, 0).distances)).toEqual([0, 1, 2]);
      expect(Array.from(shortestPaths(g2, 0).distances)).toEqual([0, 5, 10]);
    }
    g2.dispose();
    expect(Array.from(shortestPaths(g2, 2).distances)).toEqual([10, 5, 0]);
  });
});
