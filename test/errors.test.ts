import { beforeAll, describe, expect, it } from "vitest";
import {
  Graph,
  components,
  geodesicFrom,
  initSync,
  knnGraph,
  shortestPaths,
} from "../src/index.js";
import { referenceKnnGraph } from "../src/reference/index.js";
import { randomPoints } from "./random.js";

beforeAll(() => initSync());

// after every refusal the next call must still give the right answer
const good = randomPoints(40, 3, 1);
function stillWorks() {
  const graph = knnGraph(good, { k: 3 });
  const ref = referenceKnnGraph(good.data, 40, 3, { k: 3 });
  expect(Array.from(graph.targets)).toEqual(Array.from(ref.targets));
  expect(shortestPaths(graph, [0]).distances[0]).toBe(0);
}

type Case = [string, () => unknown, ErrorConstructor, RegExp];

const withNaN = { data: Float32Array.from([0, 1, NaN, 2]), rows: 2, dim: 2 };
const withInf = [
  [0, 1],
  [Infinity, 2],
  [3, 3],
];
const zeroRow = [
  [0, 0],
  [1, 0],
  [0, 1],
];
const graph3 = () =>
  Graph.fromEdges({ nodes: 3, sources: [0, 1], targets: [1, 2], weights: [1, 1] });

const cases: Case[] = [
  [
    "NaN in points",
    () => knnGraph(withNaN, { k: 1 }),
    RangeError,
    /points row 1, column 0 is NaN; expected a finite number/,
  ],
  [
    "Infinity in points",
    () => knnGraph(withInf, { k: 1 }),
    RangeError,
    /points row 1, column 0 is Infinity; expected a finite number/,
  ],
  [
    "k < 1",
    () => knnGraph(good, { k: 0 }),
    RangeError,
    /options.k is 0; expected an integer in \[1, 39\]/,
  ],
  [
    "k >= rows",
    () => knnGraph(good, { k: 40 }),
    RangeError,
    /options.k is 40; expected an integer in \[1, 39\]/,
  ],
  ["k not an integer", () => knnGraph(good, { k: 2.5 }), RangeError, /options.k is 2.5/],
  [
    "k missing",
    () => knnGraph(good, {} as never),
    TypeError,
    /options.k is undefined; expected an integer/,
  ],
  [
    "rows * dim mismatch",
    () => knnGraph({ data: new Float32Array(7), rows: 2, dim: 3 }, { k: 1 }),
    RangeError,
    /points.data.length is 7; expected rows \* dim = 2 \* 3 = 6/,
  ],
  [
    "ragged rows",
    () => knnGraph([[1, 2], [3]], { k: 1 }),
    RangeError,
    /points\[1\].length is 1; expected 2/,
  ],
  [
    "data not Float32Array",
    () => knnGraph({ data: [1, 2], rows: 1, dim: 2 } as never, { k: 1 }),
    TypeError,
    /points.data is an array of length 2; expected a Float32Array/,
  ],
  [
    "zero vector with cosine",
    () => knnGraph(zeroRow, { k: 1, metric: "cosine" }),
    RangeError,
    /points row 0 is a zero vector; expected a non-zero vector for the cosine and angular metrics/,
  ],
  [
    "unknown metric",
    () => knnGraph(good, { k: 1, metric: "manhattan" as never }),
    RangeError,
    /options.metric is "manhattan"; expected one of "euclidean", "sqeuclidean", "cosine"/,
  ],
  [
    "unknown mode",
    () => knnGraph(good, { k: 1, mode: "both" as never }),
    RangeError,
    /options.mode is "both"; expected one of "union", "mutual", "directed"/,
  ],
  [
    "unknown connect",
    () => knnGraph(good, { k: 1, connect: 1 as never }),
    TypeError,
    /options.connect is 1; expected one of/,
  ],
  [
    "source out of range",
    () => shortestPaths(graph3(), [0, 3]),
    RangeError,
    /sources\[1\] is 3; expected an integer node id in \[0, 2\]/,
  ],
  ["source negative", () => shortestPaths(graph3(), -1), RangeError, /sources is -1/],
  [
    "source not an integer",
    () => shortestPaths(graph3(), [1.5]),
    RangeError,
    /sources\[0\] is 1.5/,
  ],
  [
    "source not a number",
    () => shortestPaths(graph3(), ["0"] as never),
    RangeError,
    /sources\[0\] is "0"/,
  ],
  [
    "target out of range",
    () => shortestPaths(graph3(), 0, { targets: [9] }),
    RangeError,
    /targets\[0\] is 9/,
  ],
  [
    "limit negative",
    () => shortestPaths(graph3(), 0, { limit: -1 }),
    RangeError,
    /options.limit is -1; expected a non-negative number/,
  ],
  [
    "reduce unknown",
    () => shortestPaths(graph3(), 0, { reduce: "max" as never }),
    RangeError,
    /options.reduce is "max"; expected one of "min"/,
  ],
  [
    "negative weight",
    () => Graph.fromCSR({ offsets: [0, 1, 1], targets: [1], weights: [-2] }),
    RangeError,
    /csr.weights\[0\] is -2; expected a non-negative number/,
  ],
  [
    "NaN weight",
    () => Graph.fromEdges({ nodes: 2, sources: [0], targets: [1], weights: [NaN] }),
    RangeError,
    /edges.weights\[0\] is NaN; expected a non-negative number/,
  ],
  [
    "offsets decreasing",
    () => Graph.fromCSR({ offsets: [0, 2, 1, 2], targets: [1, 2], weights: [1, 1] }),
    RangeError,
    /csr.offsets\[2\] is 1; expected offsets that never decrease \(>= 2\)/,
  ],
  [
    "offsets not starting at 0",
    () => Graph.fromCSR({ offsets: [1, 1], targets: [], weights: [] }),
    RangeError,
    /csr.offsets\[0\] is 1; expected 0/,
  ],
  [
    "offsets end != targets",
    () => Graph.fromCSR({ offsets: [0, 1, 3], targets: [1], weights: [1] }),
    RangeError,
    /csr.targets.length is 1; expected 3/,
  ],
  [
    "target id out of range",
    () => Graph.fromCSR({ offsets: [0, 1], targets: [5], weights: [1] }),
    RangeError,
    /csr.targets\[0\] is 5; expected a node id in \[0, 0\]/,
  ],
  [
    "query of the wrong length",
    () => geodesicFrom(knnGraph(good, { k: 3 }), good, [1, 2]),
    RangeError,
    /query.length is 2; expected 3/,
  ],
  [
    "points of another graph",
    () => geodesicFrom(graph3(), good, [1, 2, 3]),
    RangeError,
    /points.rows is 40; expected 3, the graph's node count/,
  ],
  [
    "points.rows given as a string",
    () => knnGraph({ data: new Float32Array(4), rows: "2" as never, dim: 2 }, { k: 1 }),
    TypeError,
    /^points\.rows is "2"; expected a non-negative integer/,
  ],
  [
    "a bigint source",
    () => shortestPaths(knnGraph(good, { k: 3 }), 1n as never),
    TypeError,
    /^sources is 1n \(a bigint\); expected/,
  ],
  [
    "a misspelt knnGraph option",
    () => knnGraph(good, { k: 3, metrc: "cosine" } as never),
    TypeError,
    /^options has an unknown key "metrc"; expected only k, metric, mode, connect$/,
  ],
  [
    "a misspelt shortestPaths option",
    () => shortestPaths(knnGraph(good, { k: 3 }), 0, { limt: 1 } as never),
    TypeError,
    /^options has an unknown key "limt"/,
  ],
  [
    "a misspelt geodesicFrom option",
    () => geodesicFrom(knnGraph(good, { k: 3 }), good, [0, 0, 0], { attach: 2 } as never),
    TypeError,
    /^options has an unknown key "attach"; expected only k, metric, predecessors$/,
  ],
  [
    "not a graph",
    () => shortestPaths({} as never, 0),
    TypeError,
    /graph is an Object; expected a Graph/,
  ],
];

describe("bad input", () => {
  for (const [what, call, type, message] of cases) {
    it(`refuses ${what} with a ${type.name} naming the argument, and the next call works`, () => {
      expect(call).toThrow(type);
      expect(call).toThrow(message);
      stillWorks();
    });
  }
});

describe("Graph constructor and graph arguments", () => {
  it("new Graph(parts) checks the CSR invariants in place", () => {
    const parts = (targets: number[], weights: number[]) => ({
      offsets: Int32Array.from([0, 1, 2]),
      targets: Int32Array.from(targets),
      weights: Float32Array.from(weights),
      directed: false,
    });
    expect(() => new Graph(parts([5_000_000, 0], [1, 1]))).toThrow(
      /targets\[0\] is 5000000; expected a node id in \[0, 1\]/,
    );
    expect(() => new Graph(parts([1, 0], [-5, 1]))).toThrow(/weights\[0\] is -5/);
    expect(new Graph(parts([1, 0], [2, 2])).edges).toBe(2);
    // undirected: each edge in both rows, with one weight
    expect(() => new Graph(parts([1, 0], [2, 3]))).toThrow(
      /^targets and weights of row 0 do not mirror the edges into node 0 \(1 out, 1 in, or/,
    );
    expect(() => new Graph(parts([1, 1], [2, 2]))).toThrow(/^targets and weights of row 0 /);
    const oneWay = {
      offsets: Int32Array.from([0, 1, 1]),
      targets: Int32Array.from([1]),
      weights: Float32Array.from([1]),
    };
    expect(() => new Graph({ ...oneWay, directed: false })).toThrow(/, or directed: true$/);
    expect(new Graph({ ...oneWay, directed: true }).edges).toBe(1);
    stillWorks();
  });

  it("every builder refuses weights that float32 cannot hold, naming the argument", () => {
    // 1e40 would be stored as Infinity, and an infinite edge would join two
    // components that no path connects
    const edges = (weights: number[]) => () =>
      Graph.fromEdges({ nodes: 3, sources: [0, 1], targets: [1, 2], weights });
    expect(edges([1, 1e40])).toThrow(/^edges\.weights\[1\] is 1e\+40; expected a non-negative/);
    expect(edges([Infinity, 1])).toThrow(/^edges\.weights\[0\] is Infinity/);
    const csr = () =>
      Graph.fromCSR({ offsets: [0, 1, 1], targets: [1], weights: [1e40], directed: true });
    expect(csr).toThrow(/^csr\.weights\[0\] is 1e\+40/);
    expect(() => Graph.fromNeighbors([1, 0], [1e40, 1], { k: 1 })).toThrow(
      /^distances\[0\] is 1e\+40; expected a finite non-negative distance within float32/,
    );
    // a squared 1e40 is a 1e20 distance, which fits
    const squared = { k: 1, squared: true, mode: "directed" } as const;
    expect(Graph.fromNeighbors([1, 0], [1e40, 1], squared).weights[0]).toBe(Math.fround(1e20));
    const parts = {
      offsets: Int32Array.from([0, 1, 2]),
      targets: Int32Array.from([1, 0]),
      weights: Float32Array.from([Infinity, Infinity]),
      directed: false,
    };
    expect(() => new Graph(parts)).toThrow(/^weights\[0\] is Infinity/);
    stillWorks();
  });

  it("shortestPaths and components refuse what is not a Graph", () => {
    const lookalike = { offsets: new Int32Array(1), targets: new Int32Array(0), nodes: 0 };
    expect(() => shortestPaths(lookalike as never, 0)).toThrow(TypeError);
    expect(() => components(null as never)).toThrow(/graph is null; expected a Graph/);
  });
});
