// radiusGraph against scikit-learn's radius_neighbors_graph (fixtures made
// by scripts/fixtures/make_radius_fixtures.py) and against the plain
// TypeScript reference.
//
// Both sides keep a pair when its distance is <= radius. scikit-learn
// stores exact duplicates as explicit zeros, which any elementwise sparse
// operation then drops; radiusGraph keeps them as zero-weight edges, and
// the "duplicates" fixture checks that they are there. Pairs within 1e-5
// (relative) of the radius, listed by the fixture, may fall either way
// (scikit-learn's GEMM expansion against float32 coordinates) and are skipped.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseNpy } from "../src/io/npy.js";
import { components, initSync, type Graph, type Metric } from "../src/index.js";
import { radiusGraph } from "../src/radius.js";
import { referenceRadiusGraph } from "../src/reference/radius.js";
import { randomPoints, rng } from "./random.js";

beforeAll(() => initSync());

const ROOT = join(import.meta.dirname, "fixtures", "radius");

interface Meta {
  case: string;
  metric: Metric;
  radius: number;
  rows: number;
  dim: number;
  stored: number;
  explicit_zeros: number;
  zeros_left_by_maximum: number;
  components: number;
  boundary: [number, number][];
}

function npy(dir: string, name: string): ArrayLike<number> {
  return parseNpy(readFileSync(join(dir, `${name}.npy`))).data as ArrayLike<number>;
}

/** Edges u -> v (u != v) with their weights, keyed u * n + v. */
function edgeMap(
  n: number,
  offsets: ArrayLike<number>,
  targets: ArrayLike<number>,
  w: ArrayLike<number>,
) {
  const map = new Map<number, number>();
  for (let u = 0; u < n; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) map.set(u * n + targets[e], w[e]);
  }
  return map;
}

function expectSameAsReference(graph: Graph, ref: ReturnType<typeof referenceRadiusGraph>) {
  expect(Array.from(graph.offsets)).toEqual(Array.from(ref.offsets));
  expect(Array.from(graph.targets)).toEqual(Array.from(ref.targets));
  for (let e = 0; e < ref.weights.length; e++) {
    const want = ref.weights[e];
    expect(Math.abs(graph.weights[e] - want)).toBeLessThanOrEqual(1e-5 * Math.max(want, 1e-2));
  }
}

const cases = existsSync(ROOT) ? readdirSync(ROOT).sort() : [];

describe("radiusGraph against scikit-learn", () => {
  it("the fixtures are there", () => expect(cases.length).toBeGreaterThanOrEqual(6));

  for (const name of cases) {
    it(`radiusGraph(${name}) has scikit-learn's edges, weights and components`, () => {
      const dir = join(ROOT, name);
      const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as Meta;
      const data = npy(dir, "points") as Float32Array;
      const graph = radiusGraph(
        { data, rows: meta.rows, dim: meta.dim },
        { radius: meta.radius, metric: meta.metric, connect: "none" },
      );
      const n = meta.rows;
      const ours = edgeMap(n, graph.offsets, graph.targets, graph.weights);
      const theirs = edgeMap(n, npy(dir, "indptr"), npy(dir, "indices"), npy(dir, "data"));
      const skip = new Set(meta.boundary.flatMap(([i, j]) => [i * n + j, j * n + i]));

      // the same pairs, off the boundary, explicit zeros included
      const missing = [...theirs.keys()].filter((e) => !ours.has(e) && !skip.has(e));
      const extra = [...ours.keys()].filter((e) => !theirs.has(e) && !skip.has(e));
      expect(missing).toEqual([]);
      expect(extra).toEqual([]);

      // weights: scikit-learn's float64 (float32 for cosine) against ours in float32
      const tolerance = meta.metric === "cosine" ? 2e-6 : 0;
      for (const [e, want] of theirs) {
        if (!ours.has(e)) continue;
        const got = ours.get(e)!;
        expect(Math.abs(got - want)).toBeLessThanOrEqual(tolerance + 1e-6 * want);
      }
      expect(graph.components).toBe(meta.components);
      if (name === "duplicates") {
        const zeros = graph.weights.filter((w) => w === 0).length;
        expect(zeros).toBe(meta.explicit_zeros);
        expect(meta.zeros_left_by_maximum).toBe(0);
      }
    });
  }
});

describe("radiusGraph", () => {
  const METRICS: Metric[] = ["euclidean", "sqeuclidean", "cosine", "angular"];
  for (const metric of METRICS) {
    it(`radiusGraph(points, { metric: ${metric} }) equals the reference`, () => {
      const p = randomPoints(203, 9, 12);
      const radius = { euclidean: 3.2, sqeuclidean: 9, cosine: 0.45, angular: 0.95 }[metric];
      const graph = radiusGraph(p, { radius, metric, connect: "none" });
      expect(graph.edges).toBeGreaterThan(200);
      expectSameAsReference(graph, referenceRadiusGraph(p.data, p.rows, p.dim, radius, metric));
    });
  }

  it("radiusGraph(grid, { radius: 1 }) keeps pairs at exactly the radius (<=)", () => {
    const pts = [];
    for (let x = 0; x < 4; x++) for (let y = 0; y < 3; y++) pts.push([x, y]);
    const at = radiusGraph(pts, { radius: 1, connect: "none" });
    expect(at.edges).toBe(2 * 17);
    expect(Array.from(at.weights).every((w) => w === 1)).toBe(true);
    const below = radiusGraph(pts, { radius: 0.999999, connect: "none" });
    expect(below.edges).toBe(0);
    expect(below.components).toBe(12);
  });

  it("radiusGraph(duplicates, { radius: 0 }) joins exact copies by zero-weight edges", () => {
    const pts = [
      [1, 2],
      [3, 4],
      [1, 2],
      [1, 2],
      [3, 4.000001],
    ];
    const graph = radiusGraph(pts, { radius: 0, connect: "none" });
    expect(graph.edges).toBe(6);
    expect(Array.from(graph.weights)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(components(graph).count).toBe(3);
  });

  it("radiusGraph(points, { mode }) gives the same edges; directed stores them as arcs", () => {
    const p = randomPoints(120, 4, 3);
    const union = radiusGraph(p, { radius: 1.5, connect: "none" });
    const mutual = radiusGraph(p, { radius: 1.5, mode: "mutual", connect: "none" });
    const directed = radiusGraph(p, { radius: 1.5, mode: "directed", connect: "none" });
    expect(Array.from(mutual.targets)).toEqual(Array.from(union.targets));
    expect(Array.from(directed.targets)).toEqual(Array.from(union.targets));
    expect(union.directed).toBe(false);
    expect(directed.directed).toBe(true);
  });

  it("radiusGraph(points, { connect }) bridges isolated points, leaves them, or throws", () => {
    const random = rng(8);
    const pts = Array.from({ length: 80 }, (_, i) => [
      random() * 2,
      random(),
      i % 20 === 0 ? 50 + i : 0,
    ]);
    const apart = radiusGraph(pts, { radius: 0.6, connect: "none" });
    expect(apart.components).toBeGreaterThan(1);
    const joined = radiusGraph(pts, { radius: 0.6 });
    expect(joined.components).toBe(1);
    expect(joined.bridges.length).toBe(apart.components - 1);
    for (const b of joined.bridges) expect(b.weight).toBeGreaterThan(0.6);
    expect(() => radiusGraph(pts, { radius: 0.6, connect: "error" })).toThrow(
      /radiusGraph: the graph has \d+ connected components with radius = 0.6/,
    );
  });

  it("radiusGraph(points far apart) makes more edges than one buffer holds, all of them", () => {
    // 1,600 points within a radius of each other: 1.28 million pairs, more
    // than the 2^20 edges drained from WebAssembly memory at a time
    const p = randomPoints(1600, 2, 5);
    const graph = radiusGraph(p, { radius: 100, connect: "none" });
    expect(graph.edges).toBe(1600 * 1599);
  });

  it("radiusGraph(points, bad options) is refused with the argument named", () => {
    const p = randomPoints(10, 3, 1);
    expect(() => radiusGraph(p, { radius: -1 })).toThrow(
      /options.radius is -1; expected a finite number >= 0/,
    );
    expect(() => radiusGraph(p, { radius: NaN })).toThrow(RangeError);
    expect(() => radiusGraph(p, { radius: Infinity })).toThrow(RangeError);
    expect(() => radiusGraph(p, { radius: "1" as unknown as number })).toThrow(TypeError);
    expect(() => radiusGraph(p, { radius: 1, metric: "l1" as Metric })).toThrow(
      /options.metric is "l1"/,
    );
    expect(() =>
      radiusGraph(
        [
          [0, 0],
          [1, 1],
        ],
        { radius: 1, metric: "cosine" },
      ),
    ).toThrow(/points row 0 is a zero vector/);
  });
});
