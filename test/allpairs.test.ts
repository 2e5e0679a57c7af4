import { beforeAll, describe, expect, it } from "vitest";
import { Graph, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { allPairs } from "../src/allpairs.js";
import { wasm } from "../src/wasm.js";
import { referenceAllPairs } from "../src/reference/allpairs.js";
import { randomGraph, randomPoints } from "./random.js";

beforeAll(() => initSync());

describe("allPairs", () => {
  for (const directed of [false, true]) {
    it(`allPairs(graph) equals float32 shortestPaths, the reference (directed ${directed})`, () => {
      const graph = randomGraph(260, 700, directed ? 5 : 6, directed);
      const all = allPairs(graph);
      expect(all.length).toBe(260 * 260);
      const every = Array.from({ length: 260 }, (_, i) => i);
      const rows = shortestPaths(graph, every).distances;
      expect(Array.from(all)).toEqual(Array.from(rows, Math.fround));
      const ref = referenceAllPairs(graph, every);
      for (let i = 0; i < ref.length; i++) {
        if (ref[i] === Infinity) expect(all[i]).toBe(Infinity);
        else expect(Math.abs(all[i] - ref[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, ref[i]));
      }
    });
  }

  it("allPairs(graph, { sources }) gives those rows, in that order, repeats included", () => {
    const graph = knnGraph(randomPoints(300, 5, 2), { k: 4 });
    const full = allPairs(graph);
    const sources = [299, 0, 17, 17];
    const some = allPairs(graph, { sources });
    sources.forEach((s, r) => {
      expect(Array.from(some.subarray(r * 300, (r + 1) * 300))).toEqual(
        Array.from(full.subarray(s * 300, (s + 1) * 300)),
      );
    });
    expect(Array.from(allPairs(graph, { sources: 5 }))).toEqual(
      Array.from(full.subarray(5 * 300, 6 * 300)),
    );
    expect(allPairs(graph, { sources: [] }).length).toBe(0);
  });

  it("allPairs(undirected graph) is symmetric, 0 on the diagonal, triangle-true", () => {
    const graph = knnGraph(randomPoints(200, 6, 9), { k: 5 });
    const n = graph.nodes;
    const d = allPairs(graph);
    for (let i = 0; i < n; i++) {
      expect(d[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) expect(d[i * n + j]).toBe(d[j * n + i]);
      for (let e = graph.offsets[i]; e < graph.offsets[i + 1]; e++) {
        const j = graph.targets[e];
        for (let s = 0; s < n; s += 37) {
          expect(d[s * n + j]).toBeLessThanOrEqual((d[s * n + i] + graph.weights[e]) * (1 + 1e-6));
        }
      }
    }
  });

  it("allPairs(graph with two components) is Infinity across them", () => {
    const graph = Graph.fromEdges({ nodes: 4, sources: [0, 2], targets: [1, 3], weights: [1, 2] });
    expect(Array.from(allPairs(graph))).toEqual([
      0,
      1,
      Infinity,
      Infinity,
      1,
      0,
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      0,
      2,
      Infinity,
      Infinity,
      2,
      0,
    ]);
  });

  it("allPairs(graph, { out }) writes into the caller's array", () => {
    const graph = randomGraph(50, 120, 3, false);
    const out = new Float32Array(2 * 50).fill(-1);
    expect(allPairs(graph, { sources: [3, 4], out })).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(allPairs(graph, { sources: [3, 4] })));
    expect(() => allPairs(graph, { sources: [3], out })).toThrow(
      /options.out is a Float32Array of length 100; expected a Float32Array of length 50/,
    );
  });

  it("allPairs(graph of 70,000 nodes) is refused before any work, with the bytes it needs", () => {
    const graph = Graph.fromEdges({ nodes: 70_000, sources: [0], targets: [1], weights: [1] });
    const before = wasm().memory.buffer.byteLength;
    expect(() => allPairs(graph)).toThrow(
      new RegExp(
        "options.sources.length is 70000; expected at most 61356 rows of 70000 nodes: " +
          "the result would need 19600000000 bytes",
      ),
    );
    expect(wasm().memory.buffer.byteLength).toBe(before);
    expect(allPairs(graph, { sources: [0] }).subarray(0, 3)).toEqual(
      new Float32Array([0, 1, Infinity]),
    );
  });

  it("allPairs(bad arguments) is refused with the argument named", () => {
    const graph = randomGraph(10, 20, 1, false);
    expect(() => allPairs({} as Graph)).toThrow(/graph is an Object; expected a Graph/);
    expect(() => allPairs(graph, { sources: [10] })).toThrow(
      /options.sources\[0\] is 10; expected an integer node id in \[0, 9\]/,
    );
    expect(() => allPairs(graph, null as never)).toThrow(TypeError);
  });
});
