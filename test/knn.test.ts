import { beforeAll, describe, expect, it } from "vitest";
import { Graph, components, initSync, knnGraph, type Metric, type Mode } from "../src/index.js";
import { componentLabels, referenceKnnGraph } from "../src/reference/index.js";
import { randomPoints, rng } from "./random.js";

beforeAll(() => initSync());

const METRICS: Metric[] = ["euclidean", "sqeuclidean", "cosine", "angular"];
const MODES: Mode[] = ["union", "mutual", "directed"];

function expectSameGraph(graph: Graph, ref: ReturnType<typeof referenceKnnGraph>, rel = 1e-5) {
  expect(Array.from(graph.offsets)).toEqual(Array.from(ref.offsets));
  expect(Array.from(graph.targets)).toEqual(Array.from(ref.targets));
  for (let e = 0; e < ref.weights.length; e++) {
    const want = ref.weights[e];
    expect(Math.abs(graph.weights[e] - want)).toBeLessThanOrEqual(rel * Math.max(want, 1e-3));
  }
}

describe("knnGraph", () => {
  for (const metric of METRICS) {
    for (const mode of MODES) {
      it(`knnGraph(points, { metric: ${metric}, mode: ${mode} }) equals the reference`, () => {
        const p = randomPoints(157, 13, 7);
        const graph = knnGraph(p, { k: 6, metric, mode, connect: "none" });
        const ref = referenceKnnGraph(p.data, p.rows, p.dim, {
          k: 6,
          metric,
          mode,
          connect: "none",
        });
        expectSameGraph(graph, ref);
        expect(graph.directed).toBe(mode === "directed");
      });
    }
  }

  it("knnGraph(points) handles dims that are not a multiple of 4 and row counts not of 4", () => {
    for (const [rows, dim] of [
      [5, 1],
      [6, 3],
      [9, 5],
      [31, 7],
      [42, 9],
    ]) {
      const p = randomPoints(rows, dim, rows * dim);
      const k = Math.min(4, rows - 1);
      const graph = knnGraph(p, { k, connect: "none" });
      expectSameGraph(graph, referenceKnnGraph(p.data, rows, dim, { k, connect: "none" }));
    }
  });

  it("knnGraph(points far from the origin) keeps the exact neighbour order", () => {
    // regression: ranking by |a|² + |b|² - 2 a·b in float32 lost the order
    // once |a|² (here ~1e6) dwarfed the gaps between neighbour distances
    const p = randomPoints(300, 10, 31);
    for (let i = 0; i < p.data.length; i++) p.data[i] += 316;
    const graph = knnGraph(p, { k: 8, connect: "none" });
    expectSameGraph(graph, referenceKnnGraph(p.data, 300, 10, { k: 8, connect: "none" }));
  });

  it("knnGraph(near-parallel points, cosine) keeps the exact neighbour order", () => {
    // regression: ranking by 1 - cos in float32 cancelled for rows whose
    // directions differ by ~1e-3, so most rows got a wrong neighbour set
    const p = randomPoints(200, 64, 41);
    const base = randomPoints(1, 64, 42).data;
    for (let i = 0; i < p.data.length; i++) p.data[i] = base[i % 64] + 1e-3 * p.data[i];
    for (const metric of ["cosine", "angular"] as const) {
      const graph = knnGraph(p, { k: 5, metric, mode: "directed", connect: "none" });
      const ref = referenceKnnGraph(p.data, 200, 64, { k: 5, metric, mode: "directed" });
      expect(Array.from(graph.targets)).toEqual(Array.from(ref.targets));
    }
  });

  it("knnGraph(points at 1e20 and at 1e-30) scales instead of overflowing float32", () => {
    // regression: squares of coordinate differences above ~1.8e19 overflowed
    // to Infinity, and those below ~1e-23 underflowed to 0
    for (const scale of [1e20, 1e-30]) {
      const pts = [[0], [1 * scale], [3 * scale], [7 * scale]];
      const graph = knnGraph(pts, { k: 1, mode: "directed" });
      expect(Array.from(graph.targets)).toEqual([1, 0, 1, 2]);
      const want = [1, 1, 2, 4].map((x) => Math.fround(x * scale));
      graph.weights.forEach((w, e) => expect(w / want[e]).toBeCloseTo(1, 6));
    }
    const cos = knnGraph([[1, 0], [1e-40, 0], [0, 1]], { k: 1, metric: "cosine" });
    expect(Array.from(cos.weights).every((w) => Number.isFinite(w))).toBe(true);
  });

  it("knnGraph(points) breaks distance ties by the lower index", () => {
    // points on a line at integer positions: every interior point has two
    // neighbours at distance 1, and with k = 1 must keep the lower one
    const pts = Array.from({ length: 8 }, (_, i) => [i]);
    const graph = knnGraph(pts, { k: 1, mode: "directed", connect: "none" });
    expect(Array.from(graph.targets)).toEqual([1, 0, 1, 2, 3, 4, 5, 6]);
  });

  it("knnGraph(points) keeps zero-weight edges between duplicates", () => {
    const pts = [
      [0, 0],
      [0, 0],
      [0, 0],
      [5, 5],
      [5, 5],
      [9, 9],
    ];
    const graph = knnGraph(pts, { k: 2, connect: "none" });
    const ref = referenceKnnGraph(new Float32Array(pts.flat()), 6, 2, { k: 2, connect: "none" });
    expectSameGraph(graph, ref);
    expect(graph.weights.filter((w) => w === 0).length).toBe(8);
  });

  it("knnGraph(all identical points) gives a graph with every weight 0", () => {
    const pts = Array.from({ length: 10 }, () => [3, -1, 2]);
    const graph = knnGraph(pts, { k: 3 });
    expect(graph.components).toBe(1);
    expect(graph.weights.every((w) => w === 0)).toBe(true);
  });

  it("knnGraph(2 points, k 1) and (k + 1 points) connect everything", () => {
    const two = knnGraph(
      [
        [0, 0],
        [3, 4],
      ],
      { k: 1 },
    );
    expect(Array.from(two.targets)).toEqual([1, 0]);
    expect(Array.from(two.weights)).toEqual([5, 5]);
    const p = randomPoints(6, 4, 3);
    const full = knnGraph(p, { k: 5 });
    expect(full.edges).toBe(30);
  });

  it("knnGraph(one point) is refused: no k satisfies 1 <= k < rows", () => {
    expect(() => knnGraph([[1, 2]], { k: 1 })).toThrow(/points.rows is 1; expected at least 2/);
  });

  it("knnGraph(two far clusters, connect bridge) adds their closest pair, as the reference", () => {
    const random = rng(11);
    const pts: number[][] = [];
    for (let i = 0; i < 60; i++) pts.push([random(), random(), random() + (i < 30 ? 0 : 100)]);
    const data = new Float32Array(pts.flat());
    const none = knnGraph(pts, { k: 3, connect: "none" });
    expect(none.components).toBe(2);
    const bridged = knnGraph(pts, { k: 3 });
    const ref = referenceKnnGraph(data, 60, 3, { k: 3 });
    expect(bridged.components).toBe(1);
    expect(bridged.bridges.map((b) => [b.source, b.target])).toEqual(
      ref.bridges.map((b) => [b.source, b.target]),
    );
    expectSameGraph(bridged, ref);
    expect(() => knnGraph(pts, { k: 3, connect: "error" })).toThrow(/2 connected components/);
  });

  it("knnGraph(many components, mutual) bridges them into one, as Kruskal over components", () => {
    const p = randomPoints(120, 4, 5);
    for (const mode of ["mutual", "directed"] as Mode[]) {
      const graph = knnGraph(p, { k: 1, mode });
      const ref = referenceKnnGraph(p.data, p.rows, p.dim, { k: 1, mode });
      expect(graph.components).toBe(1);
      expect(graph.bridges.length).toBe(ref.bridges.length);
      expectSameGraph(graph, ref);
    }
  });
});

describe("components", () => {
  it("components(graph) agrees with a breadth-first search, ignoring direction", () => {
    const random = rng(3);
    const n = 200;
    const sources: number[] = [];
    const targets: number[] = [];
    for (let e = 0; e < 150; e++) {
      sources.push(Math.floor(random() * n));
      targets.push(Math.floor(random() * n));
    }
    const weights = sources.map(() => 1);
    const graph = Graph.fromEdges({ nodes: n, sources, targets, weights, directed: true });
    const got = components(graph);
    const want = componentLabels(graph);
    expect(got.count).toBe(want.count);
    expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
    expect(graph.components).toBe(want.count);
  });

  it("components(graph with no edges) counts every node", () => {
    const graph = Graph.fromCSR({ offsets: [0, 0, 0, 0], targets: [], weights: [] });
    expect(components(graph)).toEqual({ count: 3, labels: Int32Array.from([0, 1, 2]) });
  });
});

describe("Graph.fromCSR / Graph.fromEdges", () => {
  it("Graph.fromCSR(undirected) takes each edge both ways with the smaller weight", () => {
    const graph = Graph.fromCSR({ offsets: [0, 2, 3, 3], targets: [1, 2, 0], weights: [4, 1, 2] });
    expect(Array.from(graph.offsets)).toEqual([0, 2, 3, 4]);
    expect(Array.from(graph.targets)).toEqual([1, 2, 0, 0]);
    expect(Array.from(graph.weights)).toEqual([2, 1, 2, 1]);
  });

  it("Graph.fromEdges(directed) keeps direction, drops self-loops, merges parallel edges", () => {
    const graph = Graph.fromEdges({
      nodes: 3,
      sources: [0, 0, 1, 2, 0],
      targets: [1, 1, 1, 0, 2],
      weights: [3, 2, 5, 1, 7],
      directed: true,
    });
    expect(Array.from(graph.offsets)).toEqual([0, 2, 2, 3]);
    expect(Array.from(graph.targets)).toEqual([1, 2, 0]);
    expect(Array.from(graph.weights)).toEqual([2, 7, 1]);
  });
});
