import { beforeAll, describe, expect, it } from "vitest";
import { Graph, geodesicFrom, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { dijkstra, distanceTo } from "../src/reference/index.js";
import { randomGraph, randomPoints } from "./random.js";

beforeAll(() => initSync());

function closeTo(got: number, want: number, rel = 1e-9) {
  if (want === Infinity) return expect(got).toBe(Infinity);
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want)));
}

describe("shortestPaths", () => {
  for (const directed of [false, true]) {
    it(`shortestPaths(graph, sources) equals the reference (directed: ${directed})`, () => {
      const graph = randomGraph(300, 900, directed ? 2 : 1, directed);
      const sources = [0, 17, 299, 17];
      const { distances } = shortestPaths(graph, sources);
      expect(distances.length).toBe(4 * 300);
      sources.forEach((s, r) => {
        const want = dijkstra(graph, [s]).distances;
        for (let v = 0; v < 300; v++) closeTo(distances[r * 300 + v], want[v]);
      });
    });
  }

  it("shortestPaths(graph, sources, { reduce: min }) equals a multi-source reference", () => {
    const graph = randomGraph(400, 1200, 4, false);
    const sources = [5, 250, 399];
    const got = shortestPaths(graph, sources, { reduce: "min", predecessors: true });
    const want = dijkstra(graph, sources);
    for (let v = 0; v < 400; v++) closeTo(got.distances[v], want.distances[v]);

    // the nearest source really is at that distance
    const rows = shortestPaths(graph, sources).distances;
    for (let v = 0; v < 400; v++) {
      const s = got.sources![v];
      if (s < 0) expect(got.distances[v]).toBe(Infinity);
      else closeTo(rows[s * 400 + v], got.distances[v]);
    }
  });

  it("shortestPaths(graph) keeps d(s,s) = 0, symmetry and the triangle inequality", () => {
    const p = randomPoints(250, 8, 9);
    const graph = knnGraph(p, { k: 5 });
    const n = graph.nodes;
    const all = Array.from({ length: n }, (_, i) => i);
    const { distances } = shortestPaths(graph, all);
    const broken: string[] = [];
    for (let s = 0; s < n; s++) {
      if (distances[s * n + s] !== 0) broken.push(`d(${s},${s}) != 0`);
      for (let u = 0; u < n; u++) {
        const du = distances[s * n + u];
        if (Math.abs(du - distances[u * n + s]) > 1e-9 * Math.max(1, du)) {
          broken.push(`d(${s},${u}) != d(${u},${s})`);
        }
        for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
          const v = graph.targets[e];
          if (distances[s * n + v] > du + graph.weights[e] + 1e-9) {
            broken.push(`d(${s},${v}) > d(${s},${u}) + w(${u},${v})`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("shortestPaths(graph, s, { predecessors }) reconstructs paths of the reported length", () => {
    const graph = randomGraph(200, 700, 6, true);
    const { distances, predecessors } = shortestPaths(graph, [3], { predecessors: true });
    for (let v = 0; v < 200; v++) {
      if (distances[v] === Infinity) {
        expect(predecessors![v]).toBe(-1);
        continue;
      }
      let length = 0;
      let steps = 0;
      for (let x = v; predecessors![x] !== -1; x = predecessors![x]) {
        const u = predecessors![x];
        let w = Infinity;
        for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
          if (graph.targets[e] === x) w = Math.min(w, graph.weights[e]);
        }
        length += w;
        expect(++steps).toBeLessThan(200);
      }
      closeTo(length, distances[v]);
    }
    expect(predecessors![3]).toBe(-1);
  });

  it("shortestPaths(graph, s, { limit, targets }) never changes a settled distance", () => {
    const graph = randomGraph(500, 2000, 8, false);
    const full = shortestPaths(graph, [0]).distances;
    const limited = shortestPaths(graph, [0], { limit: 6 }).distances;
    const targeted = shortestPaths(graph, [0], { targets: [10, 20] }).distances;
    let cut = 0;
    for (let v = 0; v < 500; v++) {
      if (full[v] <= 6) expect(limited[v]).toBe(full[v]);
      else {
        expect(limited[v]).toBe(Infinity);
        cut++;
      }
      if (targeted[v] !== Infinity) expect(targeted[v]).toBe(full[v]);
    }
    expect(cut).toBeGreaterThan(0);
    expect(targeted[10]).toBe(full[10]);
    expect(targeted[20]).toBe(full[20]);
    expect(targeted.filter((d) => d === Infinity).length).toBeGreaterThan(0);
  });

  it("shortestPaths(graph with an isolated node) reports Infinity and predecessor -1", () => {
    const graph = Graph.fromEdges({ nodes: 4, sources: [0, 1], targets: [1, 2], weights: [1, 2] });
    const r = shortestPaths(graph, [0, 3], { predecessors: true });
    expect(Array.from(r.distances)).toEqual([0, 1, 3, Infinity, Infinity, Infinity, Infinity, 0]);
    expect(Array.from(r.predecessors!)).toEqual([-1, 0, 1, -1, -1, -1, -1, -1]);
  });

  it("shortestPaths(graph with no edges, one node) is just the source", () => {
    const one = Graph.fromCSR({ offsets: [0], targets: [], weights: [] });
    expect(one.nodes).toBe(0);
    const single = Graph.fromCSR({ offsets: [0, 0], targets: [], weights: [] });
    expect(Array.from(shortestPaths(single, 0).distances)).toEqual([0]);
  });
});

describe("geodesicFrom", () => {
  it("geodesicFrom(graph, points, query) equals attach-then-Dijkstra in the reference", () => {
    for (const metric of ["euclidean", "cosine", "angular"] as const) {
      const p = randomPoints(300, 10, 12);
      const graph = knnGraph(p, { k: 7, metric });
      const query = Array.from(randomPoints(1, 10, 99).data);
      const got = geodesicFrom(graph, p, query, { k: 4 });

      // attach the query to its 4 nearest points (ties by lower index)
      const d = Array.from({ length: 300 }, (_, j) => distanceTo(query, p.data, 10, j, metric));
      const order = d
        .map((x, j) => [x, j])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .slice(0, 4);
      const want = dijkstra(
        graph,
        order.map((o) => o[1]),
        { starts: order.map((o) => o[0]) },
      );
      for (let v = 0; v < 300; v++) closeTo(got[v], want.distances[v], 1e-5);
    }
  });

  it("geodesicFrom(graph, points, query, { predecessors }) fills paths back to the query", () => {
    const p = randomPoints(100, 5, 2);
    const graph = knnGraph(p, { k: 5 });
    const pred = new Int32Array(100);
    const dist = geodesicFrom(graph, p, [0, 0, 0, 0, 0], { k: 3, predecessors: pred });
    expect(pred.filter((x) => x === -1).length).toBeGreaterThanOrEqual(1);
    for (let v = 0; v < 100; v++) {
      if (pred[v] >= 0) expect(dist[pred[v]]).toBeLessThanOrEqual(dist[v]);
    }
  });

  it("geodesicFrom defaults k to the graph's k and the metric to the graph's", () => {
    const p = randomPoints(80, 6, 21);
    const graph = knnGraph(p, { k: 4, metric: "cosine" });
    const q = Array.from(p.data.subarray(0, 6));
    const got = geodesicFrom(graph, p, q);
    expect(got[0]).toBeCloseTo(0, 6);
    expect(got).toEqual(geodesicFrom(graph, p, q, { k: 4, metric: "cosine" }));
  });
});
