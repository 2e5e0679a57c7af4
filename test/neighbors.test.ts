import { beforeAll, describe, expect, it } from "vitest";
import { Graph, initSync, knnGraph, shortestPaths, type Mode } from "../src/index.js";
import { referenceFromNeighbors } from "../src/reference/neighbors.js";
import { randomPoints, rng } from "./random.js";

beforeAll(() => initSync());

const MODES: Mode[] = ["union", "mutual", "directed"];

/** The rows of a directed kNN graph, as flat lists of k ids and k distances. */
function listsOf(graph: Graph, k: number) {
  const indices = new Int32Array(graph.nodes * k);
  const distances = new Float32Array(graph.nodes * k);
  for (let u = 0; u < graph.nodes; u++) {
    expect(graph.offsets[u + 1] - graph.offsets[u]).toBe(k);
    indices.set(graph.targets.subarray(graph.offsets[u], graph.offsets[u + 1]), u * k);
    distances.set(graph.weights.subarray(graph.offsets[u], graph.offsets[u + 1]), u * k);
  }
  return { indices, distances };
}

function expectSame(
  got: Graph,
  want: { offsets: ArrayLike<number>; targets: ArrayLike<number>; weights: ArrayLike<number> },
) {
  expect(Array.from(got.offsets)).toEqual(Array.from(want.offsets));
  expect(Array.from(got.targets)).toEqual(Array.from(want.targets));
  expect(Array.from(got.weights)).toEqual(Array.from(want.weights, (w) => Math.fround(w)));
}

describe("Graph.fromNeighbors", () => {
  for (const mode of MODES) {
    it(`Graph.fromNeighbors(exact lists, { mode: ${mode} }) equals knnGraph bit for bit`, () => {
      const p = randomPoints(211, 6, 4);
      const { indices, distances } = listsOf(
        knnGraph(p, { k: 7, mode: "directed", connect: "none" }),
        7,
      );
      const graph = Graph.fromNeighbors(indices, distances, { k: 7, mode });
      const want = knnGraph(p, { k: 7, mode, connect: "none" });
      expectSame(graph, want);
      expect(graph.directed).toBe(mode === "directed");
      expect(graph.k).toBe(7);
    });
  }

  it("Graph.fromNeighbors(-1 padding, duplicate ids, self-loops) equals the reference", () => {
    const random = rng(21);
    const n = 150;
    const k = 9;
    const indices = new Int32Array(n * k);
    const distances = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < k; s++) {
        const r = random();
        // a mix of real ids, repeats of a few ids, the row itself and padding
        const id = r < 0.1 ? -1 : r < 0.2 ? i : r < 0.4 ? (i + 1) % n : Math.floor(random() * n);
        indices[i * k + s] = id;
        distances[i * k + s] = id === -1 ? Infinity : Math.fround(random() * 5);
      }
    }
    for (const mode of MODES) {
      const graph = Graph.fromNeighbors(indices, distances, { k, mode });
      expectSame(graph, referenceFromNeighbors(indices, distances, k, { mode }));
      for (let u = 0; u < n; u++) {
        const row = graph.targets.subarray(graph.offsets[u], graph.offsets[u + 1]);
        expect(new Set(row).size).toBe(row.length);
        expect(row.includes(u)).toBe(false);
      }
    }
  });

  it("Graph.fromNeighbors(an id listed twice) keeps its smallest distance, not mutual", () => {
    // rows 0 and 1 list one id twice; neither is listed back
    const indices = [1, 1, 2, 2, 0, -1];
    const distances = [4, 3, 1, 2, 1, Infinity];
    const union = Graph.fromNeighbors(indices, distances, { k: 2 });
    expect(Array.from(union.targets)).toEqual([1, 2, 0, 2, 0, 1]);
    expect(Array.from(union.weights)).toEqual([3, 1, 3, 1, 1, 1]);
    const mutual = Graph.fromNeighbors(indices, distances, { k: 2, mode: "mutual" });
    expect(mutual.edges).toBe(0);
  });

  it("Graph.fromNeighbors(squared, { squared: true }) takes square roots before summing", () => {
    // a path 0 - 1 - 2 with steps 3 and 4, as an L2 index reports it: 9 and 16
    const indices = [1, -1, 0, 2, 1, -1];
    const squared = [9, 3.4e38, 9, 16, 16, 3.4e38];
    const graph = Graph.fromNeighbors(indices, squared, { k: 2, squared: true });
    expect(Array.from(shortestPaths(graph, 0).distances)).toEqual([0, 3, 7]);

    // |a|² + |b|² - 2 a·b rounds below zero for near-duplicates: that is 0
    const dup = Graph.fromNeighbors([1, 0], [-1e-7, -1e-7], { k: 1, squared: true });
    expect(Array.from(dup.weights)).toEqual([0, 0]);
  });

  it("Graph.fromNeighbors(BigInt ids, fewer rows than nodes) keeps the other nodes", () => {
    const indices = new BigInt64Array([1n, 4n, 0n, -1n]);
    const graph = Graph.fromNeighbors(indices, [1, 2, 1, 0], { k: 2, nodes: 5, metric: "cosine" });
    expect(graph.nodes).toBe(5);
    expect(Array.from(graph.offsets)).toEqual([0, 2, 3, 3, 3, 4]);
    expect(graph.metric).toBe("cosine");
  });

  it("Graph.fromNeighbors(bad input) is refused with the argument, value and expectation", () => {
    expect(() => Graph.fromNeighbors([0, 1, 2], [1, 1, 1], { k: 2 })).toThrow(
      /indices.length is 3; expected a multiple of k = 2/,
    );
    expect(() => Graph.fromNeighbors([1, 0], [1], { k: 1 })).toThrow(/distances.length is 1/);
    expect(() => Graph.fromNeighbors([1, 7], [1, 1], { k: 1 })).toThrow(
      /indices\[1\] is 7; expected a node id in \[0, 1\], or -1 for padding/,
    );
    expect(() => Graph.fromNeighbors([1, -2], [1, 1], { k: 1 })).toThrow(/indices\[1\] is -2/);
    expect(() => Graph.fromNeighbors([1, 0], [1, NaN], { k: 1 })).toThrow(
      /distances\[1\] is NaN; expected a finite non-negative distance/,
    );
    expect(() => Graph.fromNeighbors([1, 0], [-1, 1], { k: 1 })).toThrow(/distances\[0\] is -1/);
    expect(() => Graph.fromNeighbors([1, 0], [1, 1], { k: 0 })).toThrow(/options.k is 0/);
    expect(() => Graph.fromNeighbors([1, 0], [1, 1], { k: 1, mode: "both" as Mode })).toThrow(
      /options.mode is "both"/,
    );
    expect(() => Graph.fromNeighbors([1, 0], [1, 1], { k: 1, nodes: 1 })).toThrow(
      /options.nodes is 1; expected an integer in \[2,/,
    );
    expect(() => Graph.fromNeighbors("01" as unknown as number[], [1, 1], { k: 1 })).toThrow(
      TypeError,
    );
  });
});
