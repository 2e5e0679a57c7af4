// fast-check arbitraries for the property tests: point sets with duplicates
// and extreme magnitudes, and random edge lists.

import fc from "fast-check";
import type { Connect, Metric, Mode } from "../src/index.js";

/** The seed of every property run: FC_SEED overrides it to replay a failure. */
export const SEED = Number(process.env.FC_SEED || 20261204);

/** Runs per property: bounded so the whole file stays fast. */
export const RUNS = Number(process.env.FC_RUNS || 100);

export const METRICS: Metric[] = ["euclidean", "sqeuclidean", "cosine", "angular"];
export const MODES: Mode[] = ["union", "mutual", "directed"];

export interface PointCase {
  data: Float32Array;
  rows: number;
  dim: number;
  k: number;
  metric: Metric;
  mode: Mode;
  connect: Connect;
  scale: number;
  /** dyadic values at a power-of-two scale, no noise: ties are exact */
  exact: boolean;
}

// dyadic values times a power of two: every sum and product is exact, so
// mathematically tied distances stay tied in any summation order
const dyadic = fc.oneof(
  fc.integer({ min: -8, max: 8 }).map((m) => m / 4),
  fc.constant(-0),
);
const dyadicScale = fc.constantFrom(1, 2 ** -100, 2 ** 100, 2 ** -20, 2 ** 20);

// values of no special form (ties only between copied rows), all within
// three decades of each other: wider spreads are the regression
// "points 1e-25 apart beside a point at 1" in property.test.ts
const continuous = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.double({ min: 1e-3, max: 1, noNaN: true }), fc.boolean())
      .map(([x, negative]) => (negative ? -x : x)),
  },
  fc.constant(-0),
  fc.constant(0),
);
const anyScale = fc.constantFrom(1, 1e-30, 1e30, 1e-3, 1e3);

// per-coordinate factors of the noise, so a noisy copy is not parallel to its row
const TWIST = [1, -0.5, 0.75, -1, 0.25];

// how each row is made: fresh, a copy of an earlier row, or a copy plus
// noise of 1e-6 relative to the copied value
const rowKind = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ copy: -1, noise: 0 }) },
  {
    weight: 1,
    arbitrary: fc.record({ copy: fc.nat(), noise: fc.constantFrom(0, 1e-6, -1e-6) }),
  },
);

// cosine of dyadic vectors is still rounded, so mathematically tied
// cosines can differ in their last bit: exact ties only for euclidean
function valuesFor(metric: Metric, length: number): fc.Arbitrary<[number[], number, boolean]> {
  const any = fc.tuple(
    fc.array(continuous, { minLength: length, maxLength: length }),
    anyScale,
    fc.constant(false),
  );
  if (metric === "cosine" || metric === "angular") return any;
  const exact = fc.tuple(
    fc.array(dyadic, { minLength: length, maxLength: length }),
    dyadicScale,
    fc.constant(true),
  );
  return fc.oneof(exact, any);
}

export const pointCase: fc.Arbitrary<PointCase> = fc
  .record({
    rows: fc.integer({ min: 2, max: 40 }),
    dim: fc.integer({ min: 1, max: 9 }),
    metric: fc.constantFrom(...METRICS),
  })
  .chain(({ rows, dim, metric }) =>
    fc.record({
      rows: fc.constant(rows),
      dim: fc.constant(dim),
      k: fc.integer({ min: 1, max: rows - 1 }),
      metric: fc.constant(metric),
      mode: fc.constantFrom(...MODES),
      connect: fc.constantFrom<Connect>("none", "bridge"),
      values: valuesFor(metric, rows * dim),
      kinds: fc.array(rowKind, { minLength: rows, maxLength: rows }),
    }),
  )
  .map(({ rows, dim, k, metric, mode, connect, values: [values, scale, exact], kinds }) => {
    const data = new Float32Array(rows * dim);
    let noisy = false;
    for (let i = 0; i < rows; i++) {
      const { copy, noise } = kinds[i];
      const from = i > 0 && copy >= 0 ? copy % i : -1;
      noisy ||= from >= 0 && noise !== 0;
      for (let d = 0; d < dim; d++) {
        data[i * dim + d] =
          from < 0
            ? values[i * dim + d] * scale
            : data[from * dim + d] * (1 + noise * TWIST[d % TWIST.length]);
      }
    }
    return { data, rows, dim, k, metric, mode, connect, scale, exact: exact && !noisy };
  });

export interface EdgeCase {
  nodes: number;
  sources: number[];
  targets: number[];
  weights: number[];
  directed: boolean;
}

// zero, small integers (tied path lengths) and float32 reals
const weight = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 4 }),
  fc.float({ min: 0, max: 10, noNaN: true }).map(Math.fround),
);

export const edgeCase: fc.Arbitrary<EdgeCase> = fc
  .record({ nodes: fc.integer({ min: 1, max: 60 }), directed: fc.boolean() })
  .chain(({ nodes, directed }) =>
    fc.record({
      nodes: fc.constant(nodes),
      directed: fc.constant(directed),
      edges: fc.array(fc.tuple(fc.nat({ max: nodes - 1 }), fc.nat({ max: nodes - 1 }), weight), {
        maxLength: 3 * nodes,
      }),
    }),
  )
  .map(({ nodes, directed, edges }) => ({
    nodes,
    directed,
    sources: edges.map((e) => e[0]),
    targets: edges.map((e) => e[1]),
    weights: edges.map((e) => e[2]),
  }));

/** A graph with 1..5 source ids among its nodes. */
export const edgeCaseWithSources = edgeCase.chain((g) =>
  fc.record({
    graph: fc.constant(g),
    sources: fc.array(fc.nat({ max: g.nodes - 1 }), { minLength: 1, maxLength: 5 }),
    limit: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 12 }),
      fc.double({ min: 0, max: 20, noNaN: true }),
    ),
  }),
);

/** One call in a session mixing refused and valid calls. */
export type Call =
  | { kind: "knn"; rows: number; dim: number; k: number; seed: number; metric: Metric }
  | { kind: "paths"; graph: EdgeCase; source: number }
  | { kind: "nanPoints"; rows: number; dim: number; at: number; value: number }
  | { kind: "badK"; rows: number; k: number }
  | { kind: "badSource"; graph: EdgeCase; source: number }
  | { kind: "badWeight"; graph: EdgeCase; weight: number }
  | { kind: "badLimit"; graph: EdgeCase; limit: number };

const smallShape = fc.record({
  rows: fc.integer({ min: 2, max: 20 }),
  dim: fc.integer({ min: 1, max: 6 }),
});

const validKnn = smallShape.chain(({ rows, dim }) =>
  fc.record({
    kind: fc.constant("knn" as const),
    rows: fc.constant(rows),
    dim: fc.constant(dim),
    k: fc.integer({ min: 1, max: rows - 1 }),
    seed: fc.nat(),
    metric: fc.constantFrom(...METRICS),
  }),
);

const nonEmpty = edgeCase.filter((g) => g.sources.length > 0);

export const call: fc.Arbitrary<Call> = fc.oneof(
  validKnn,
  edgeCase.chain((graph) =>
    fc.record({
      kind: fc.constant("paths" as const),
      graph: fc.constant(graph),
      source: fc.nat({ max: graph.nodes - 1 }),
    }),
  ),
  smallShape.chain(({ rows, dim }) =>
    fc.record({
      kind: fc.constant("nanPoints" as const),
      rows: fc.constant(rows),
      dim: fc.constant(dim),
      at: fc.nat({ max: rows * dim - 1 }),
      value: fc.constantFrom(NaN, Infinity, -Infinity),
    }),
  ),
  fc.integer({ min: 2, max: 20 }).chain((rows) =>
    fc.record({
      kind: fc.constant("badK" as const),
      rows: fc.constant(rows),
      k: fc.constantFrom(0, -1, rows, rows + 7, 1.5, NaN, Infinity),
    }),
  ),
  edgeCase.chain((graph) =>
    fc.record({
      kind: fc.constant("badSource" as const),
      graph: fc.constant(graph),
      source: fc.constantFrom(-1, graph.nodes, graph.nodes + 5, 0.5, NaN),
    }),
  ),
  nonEmpty.map((graph) => ({ kind: "badWeight" as const, graph, weight: NaN })),
  nonEmpty.map((graph) => ({ kind: "badWeight" as const, graph, weight: -1 })),
  edgeCase.chain((graph) =>
    fc.record({
      kind: fc.constant("badLimit" as const),
      graph: fc.constant(graph),
      limit: fc.constantFrom(-1, NaN, -Infinity),
    }),
  ),
);
