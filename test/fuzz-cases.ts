// Fuzz targets over every input the library and the command line take from
// outside: the graph builders, the .npy reader, the table and review readers,
// and the `geodesic` command's arguments. Each target pairs a fast-check
// arbitrary of hostile, mutated and valid values with a check that throws
// when the input crashes the code, is refused with an error of the wrong kind
// or one not naming the argument, is accepted with a wrong result, or leaves
// a later valid call answering wrong. Used by test/fuzz.test.ts (a bounded
// run) and scripts/fuzz.ts (as long as asked). No vitest: node:assert only.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { Graph, knnGraph, shortestPaths } from "../src/index.js";
import { parseNpy, writeNpy, type NpyData } from "../src/io/npy.js";
import { parseCsv, parseJsonl } from "../src/io/tables.js";
import {
  mergeOposum,
  parseAmazon,
  parseOposumAspects,
  type Entity,
} from "../src/summarize/datasets.js";
import { parseEntitiesJsonl } from "../src/summarize/jsonl.js";
import {
  componentLabels,
  csrFromEdges,
  dijkstra,
  type ReferenceCsr,
} from "../src/reference/index.js";
import { referenceFromNeighbors } from "../src/reference/neighbors.js";
import { randomPoints } from "./random.js";

export const ROOT = join(import.meta.dirname, "..");

/** A fuzz target: what to generate and how to judge one value. */
export interface FuzzTarget<T> {
  name: string;
  /** What the check asserts, as a test title. */
  title: string;
  arbitrary: fc.Arbitrary<T>;
  check: (value: T) => void | Promise<void>;
  /** Runs relative to the other in-process targets in test/fuzz.test.ts. */
  weight?: number;
}

// ---------------------------------------------------------------------------
// values and containers

/** Values that are wrong as an id, a count, an offset or a weight somewhere. */
const junkNumber = fc.constantFrom(
  NaN,
  -1,
  -0,
  0.5,
  -2.5,
  Infinity,
  -Infinity,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 + 2,
  1e300,
  Number.MIN_VALUE,
  3.5e38,
);
const junkValue = fc.oneof(
  junkNumber,
  fc.constantFrom<unknown>("1", "", null, undefined, true, 1n, {}, [], [1], Symbol.iterator),
);

/** How an array of numbers is handed over. */
type Container =
  | "array"
  | "Int32Array"
  | "Float32Array"
  | "Float64Array"
  | "Uint32Array"
  | "Int8Array"
  | "BigInt64Array"
  | "shared Int32Array"
  | "shared Float32Array"
  | "subarray Int32Array"
  | "subarray Float64Array"
  | "holey array"
  | "array-like object"
  | "DataView"
  | "string"
  | "null";

const containers = fc.constantFrom<Container>(
  "array",
  "array",
  "array",
  "Int32Array",
  "Float32Array",
  "Float64Array",
  "Uint32Array",
  "Int8Array",
  "BigInt64Array",
  "shared Int32Array",
  "shared Float32Array",
  "subarray Int32Array",
  "subarray Float64Array",
  "holey array",
  "array-like object",
  "DataView",
  "string",
  "null",
);

const num = (x: unknown): number => (typeof x === "number" ? x : Number.NaN);

/** `values` in the given container; typed arrays coerce them as JavaScript does. */
function contain(values: readonly unknown[], kind: Container): unknown {
  const nums = values.map(num);
  const n = nums.length;
  switch (kind) {
    case "array":
      return values.slice();
    case "Int32Array":
      return Int32Array.from(nums);
    case "Float32Array":
      return Float32Array.from(nums);
    case "Float64Array":
      return Float64Array.from(nums);
    case "Uint32Array":
      return Uint32Array.from(nums);
    case "Int8Array":
      return Int8Array.from(nums);
    case "BigInt64Array":
      return BigInt64Array.from(nums, (x) => (Number.isSafeInteger(x) ? BigInt(x) : -7n));
    case "shared Int32Array": {
      const a = new Int32Array(new SharedArrayBuffer(4 * n));
      a.set(nums);
      return a;
    }
    case "shared Float32Array": {
      const a = new Float32Array(new SharedArrayBuffer(4 * n));
      a.set(nums);
      return a;
    }
    case "subarray Int32Array": {
      const a = new Int32Array(n + 5).fill(-9);
      a.set(nums, 3);
      return a.subarray(3, 3 + n);
    }
    case "subarray Float64Array": {
      const a = new Float64Array(n + 5).fill(NaN);
      a.set(nums, 2);
      return a.subarray(2, 2 + n);
    }
    case "holey array": {
      const a = values.slice();
      if (n > 0) delete a[n >> 1];
      return a;
    }
    case "array-like object":
      return Object.assign({ length: n }, values);
    case "DataView":
      return new DataView(new ArrayBuffer(4 * n));
    case "string":
      return nums.join(",");
    case "null":
      return null;
  }
}

/** What a container holds when read element by element, as the library reads it. */
function readBack(value: unknown): unknown[] {
  const list = value as ArrayLike<unknown>;
  return Array.from({ length: list.length }, (_, i) => list[i]);
}

/** Edits of a valid array: a value made junk, the length changed, nothing. */
type Edit = { at: number; value: unknown } | { grow: unknown } | { shrink: true } | null;

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.record({ at: fc.nat(), value: junkValue }) },
  { weight: 1, arbitrary: fc.record({ grow: junkValue }) },
  { weight: 1, arbitrary: fc.constant({ shrink: true as const }) },
);

function applyEdit(values: readonly unknown[], e: Edit): unknown[] {
  const out = values.slice();
  if (e === null) return out;
  if ("at" in e) {
    if (out.length > 0) out[e.at % out.length] = e.value;
  } else if ("grow" in e) out.push(e.grow);
  else out.pop();
  return out;
}

/** An array argument: valid values, maybe edited, in some container (mostly a plain array). */
function arrayArg(values: readonly unknown[]) {
  return fc
    .tuple(edit, fc.oneof({ weight: 3, arbitrary: fc.constant<Container>("array") }, containers))
    .map(([e, kind]) => ({ edit: e, kind, value: contain(applyEdit(values, e), kind) }));
}

// ---------------------------------------------------------------------------
// refusals and recovery

function describeValue(value: unknown): string {
  try {
    return fc.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Runs `call`; a throw must be a RangeError or TypeError whose message starts
 * with one of `names` (the arguments). Returns the result, or undefined when
 * refused.
 */
function refusedOrDone<T>(call: () => T, names: readonly string[]): T | undefined {
  try {
    return call();
  } catch (error) {
    assert.ok(
      error instanceof RangeError || error instanceof TypeError,
      `expected a RangeError or TypeError, got ${describeValue(error)}`,
    );
    const message = (error as Error).message;
    assert.ok(
      names.some((n) => message.startsWith(n)),
      `the message does not name the argument (${names.join(", ")}): ${message}`,
    );
    assert.doesNotMatch(message, /Maximum call stack|allocation failed|out of memory/i);
    return undefined;
  }
}

// a graph built before any fuzzing and queried after every case: its copy
// in WebAssembly memory and the library's state must survive every refusal
let kept: { graph: Graph; want: Float64Array; points: ReturnType<typeof randomPoints> } | null =
  null;

/** Checks that valid calls still give the reference's answers. */
export function stillWorks(): void {
  if (kept === null) {
    const points = randomPoints(25, 3, 11);
    const graph = knnGraph(points, { k: 3 });
    kept = { graph, points, want: dijkstra(graph, [0, 7]).distances };
  }
  const got = shortestPaths(kept.graph, [0, 7], { reduce: "min" }).distances;
  sameDistances(got, kept.want);
  const fresh = Graph.fromEdges({
    nodes: 4,
    sources: [0, 1, 2, 0],
    targets: [1, 2, 3, 3],
    weights: [1, 2, 0.5, 4],
  });
  assert.deepEqual(Array.from(shortestPaths(fresh, 0).distances), [0, 1, 3, 3.5]);
}

/** A graph built by the library equals the reference CSR, and so do its distances. */
function sameAsReference(graph: Graph, ref: ReferenceCsr, nodes: number): void {
  assert.ok(graph.nodes === nodes, `${graph.nodes} nodes; expected ${nodes}`);
  assert.deepEqual(Array.from(graph.offsets), Array.from(ref.offsets));
  assert.deepEqual(Array.from(graph.targets), Array.from(ref.targets));
  assert.deepEqual(Array.from(graph.weights), Array.from(ref.weights, Math.fround));
  if (nodes > 0) {
    const float32 = { ...ref, weights: ref.weights.map(Math.fround) };
    sameDistances(shortestPaths(graph, 0).distances, dijkstra(float32, [0]).distances);
  }
}

/** Path lengths equal up to the order of float64 sums. */
function sameDistances(got: ArrayLike<number>, want: ArrayLike<number>): void {
  assert.equal(got.length, want.length);
  for (let v = 0; v < want.length; v++) {
    const ok =
      want[v] === Infinity
        ? got[v] === Infinity
        : Math.abs(got[v] - want[v]) <= 1e-9 * Math.max(1, want[v]);
    assert.ok(ok, `distance to ${v} is ${got[v]}; the reference says ${want[v]}`);
  }
}

// ---------------------------------------------------------------------------
// graph builders

// a small valid edge list; weights are float32 so the reference sees what the library keeps
const edgeList = fc.integer({ min: 0, max: 12 }).chain((nodes) =>
  fc.record({
    nodes: fc.constant(nodes),
    edges:
      nodes === 0
        ? fc.constant([] as [number, number, number][])
        : fc.array(
            fc.tuple(
              fc.nat({ max: nodes - 1 }),
              fc.nat({ max: nodes - 1 }),
              fc.oneof(
                fc.constant(0),
                fc.integer({ min: 1, max: 5 }),
                fc.float({ min: 0, max: 100, noNaN: true }).map(Math.fround),
              ),
            ),
            { maxLength: 24 },
          ),
    directed: fc.oneof(fc.boolean(), fc.constant(undefined), junkValue),
  }),
);

const hugeCount = fc.constantFrom(2 ** 29, 2 ** 30, 2 ** 31 - 2, 2 ** 31 - 1, 2 ** 32, 1e15);

export const fromEdgesTarget: FuzzTarget<unknown> = {
  name: "Graph.fromEdges",
  title: "Graph.fromEdges(fuzzed edge list) equals csrFromEdges, or throws naming edges",
  weight: 3,
  arbitrary: edgeList.chain(({ nodes, edges, directed }) =>
    fc.record({
      nodes: fc.oneof({ weight: 6, arbitrary: fc.constant<unknown>(nodes) }, junkValue, hugeCount),
      sources: arrayArg(edges.map((e) => e[0])),
      targets: arrayArg(edges.map((e) => e[1])),
      weights: arrayArg(edges.map((e) => e[2])),
      directed: fc.constant(directed),
      whole: fc.oneof({ weight: 20, arbitrary: fc.constant(true) }, fc.constant(false)),
    }),
  ),
  check(input) {
    const c = input as {
      nodes: unknown;
      sources: { value: unknown };
      targets: { value: unknown };
      weights: { value: unknown };
      directed: unknown;
      whole: boolean;
    };
    const list = c.whole
      ? {
          nodes: c.nodes,
          sources: c.sources.value,
          targets: c.targets.value,
          weights: c.weights.value,
          directed: c.directed,
        }
      : c.sources.value;
    const graph = refusedOrDone(() => Graph.fromEdges(list as never), ["edges"]);
    if (graph !== undefined) {
      const l = list as Record<string, unknown>;
      const src = readBack(l.sources) as number[];
      const dst = readBack(l.targets) as number[];
      const w = (readBack(l.weights) as number[]).map(Math.fround);
      const ref = csrFromEdges(l.nodes as number, src, dst, w, l.directed !== true);
      sameAsReference(graph, ref, l.nodes as number);
      assert.equal(graph.directed, l.directed === true);
    }
    stillWorks();
  },
};

export const fromCSRTarget: FuzzTarget<unknown> = {
  name: "Graph.fromCSR",
  title: "Graph.fromCSR(fuzzed CSR arrays) equals csrFromEdges, or throws naming csr",
  weight: 3,
  arbitrary: edgeList.chain(({ nodes, edges, directed }) => {
    // the valid CSR of the edges, rows in the order given
    const sorted = edges.slice().sort((a, b) => a[0] - b[0]);
    const offsets = new Array<number>(nodes + 1).fill(0);
    for (const [u] of sorted) offsets[u + 1]++;
    for (let u = 0; u < nodes; u++) offsets[u + 1] += offsets[u];
    return fc.record({
      offsets: fc.oneof(
        { weight: 4, arbitrary: arrayArg(offsets) },
        // offsets that decrease, or start past 0
        fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 })).map(([at, by]) => ({
          value: offsets.map((o, i) => (i === at % offsets.length ? o + by : o)),
        })),
      ),
      targets: arrayArg(sorted.map((e) => e[1])),
      weights: arrayArg(sorted.map((e) => e[2])),
      directed: fc.constant(directed),
      junk: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, junkValue),
    });
  }),
  check(input) {
    const c = input as {
      offsets: { value: unknown };
      targets: { value: unknown };
      weights: { value: unknown };
      directed: unknown;
      junk: unknown;
    };
    const csr =
      c.junk !== undefined
        ? c.junk
        : {
            offsets: c.offsets.value,
            targets: c.targets.value,
            weights: c.weights.value,
            directed: c.directed,
          };
    const graph = refusedOrDone(() => Graph.fromCSR(csr as never), ["csr"]);
    if (graph !== undefined) {
      const l = csr as Record<string, unknown>;
      const offsets = readBack(l.offsets) as number[];
      const n = offsets.length - 1;
      const src: number[] = [];
      for (let u = 0; u < n; u++) for (let e = offsets[u]; e < offsets[u + 1]; e++) src.push(u);
      const dst = readBack(l.targets) as number[];
      const w = (readBack(l.weights) as number[]).map(Math.fround);
      sameAsReference(graph, csrFromEdges(n, src, dst, w, l.directed !== true), n);
    }
    stillWorks();
  },
};

export const fromNeighborsTarget: FuzzTarget<unknown> = {
  name: "Graph.fromNeighbors",
  title: "Graph.fromNeighbors(fuzzed rows) equals referenceFromNeighbors, or throws naming one",
  weight: 3,
  arbitrary: fc
    .record({ rows: fc.integer({ min: 0, max: 10 }), k: fc.integer({ min: 1, max: 4 }) })
    .chain(({ rows, k }) =>
      fc.record({
        rows: fc.constant(rows),
        k: fc.oneof({ weight: 6, arbitrary: fc.constant<unknown>(k) }, junkValue),
        indices: fc
          .array(fc.integer({ min: -1, max: Math.max(rows - 1, 0) }), {
            minLength: rows * k,
            maxLength: rows * k,
          })
          .chain((ids) => arrayArg(ids)),
        distances: fc
          .array(fc.float({ min: -1, max: 50, noNaN: true }).map(Math.fround), {
            minLength: rows * k,
            maxLength: rows * k,
          })
          .chain((d) => arrayArg(d)),
        mode: fc.oneof(fc.constantFrom("union", "mutual", "directed", undefined), junkValue),
        squared: fc.oneof(fc.boolean(), fc.constant(undefined), junkValue),
        nodes: fc.oneof(
          { weight: 4, arbitrary: fc.constant<unknown>(undefined) },
          fc.integer({ min: 0, max: rows + 3 }),
          junkValue,
          hugeCount,
        ),
        metric: fc.constantFrom<unknown>(undefined, "cosine", "euclidean", "manhattan", 3),
        optionsJunk: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, junkValue),
      }),
    ),
  check(input) {
    const c = input as Record<string, unknown> & {
      indices: { value: unknown };
      distances: { value: unknown };
    };
    const options =
      c.optionsJunk !== undefined
        ? c.optionsJunk
        : { k: c.k, mode: c.mode, squared: c.squared, nodes: c.nodes, metric: c.metric };
    const names = ["indices", "distances", "options"];
    const graph = refusedOrDone(
      () =>
        Graph.fromNeighbors(c.indices.value as never, c.distances.value as never, options as never),
      names,
    );
    if (graph !== undefined) {
      const o = options as { k: number; mode?: "union"; squared?: boolean; nodes?: number };
      const ids = readBack(c.indices.value).map(Number);
      const d = readBack(c.distances.value) as number[];
      const ref = referenceFromNeighbors(ids, d, o.k, o);
      sameAsReference(graph, ref, o.nodes ?? ids.length / o.k);
    }
    stillWorks();
  },
};

export const constructorTarget: FuzzTarget<unknown> = {
  name: "new Graph",
  title: "new Graph(fuzzed parts) gives the reference's distances, or throws naming the part",
  weight: 3,
  arbitrary: edgeList.chain(({ nodes, edges }) => {
    const ref = csrFromEdges(
      nodes,
      edges.map((e) => e[0]),
      edges.map((e) => e[1]),
      edges.map((e) => e[2]),
      true,
    );
    const part = (values: ArrayLike<number>, kind: "i32" | "f32") =>
      fc
        .tuple(fc.constantFrom("plain", "plain", "shared", "subarray", "float64", "array"), edit)
        .map(([how, e]) => {
          const list = applyEdit(Array.from(values), e).map(num);
          const Ctor = kind === "i32" ? Int32Array : Float32Array;
          if (how === "array") return list;
          if (how === "float64") return Float64Array.from(list);
          if (how === "shared") {
            const a = new Ctor(new SharedArrayBuffer(4 * list.length) as unknown as ArrayBuffer);
            a.set(list);
            return a;
          }
          if (how === "subarray") {
            const a = new Ctor(list.length + 4);
            a.set(list, 2);
            return a.subarray(2, 2 + list.length);
          }
          return Ctor.from(list);
        });
    return fc.record({
      offsets: part(ref.offsets, "i32"),
      targets: part(ref.targets, "i32"),
      weights: part(ref.weights, "f32"),
      directed: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, junkValue),
      bridges: fc.oneof(
        { weight: 4, arbitrary: fc.constant<unknown>(undefined) },
        fc.constant([]),
        fc.array(
          fc.record({
            source: fc.oneof(fc.nat({ max: Math.max(nodes - 1, 0) }), junkNumber),
            target: fc.oneof(fc.nat({ max: Math.max(nodes - 1, 0) }), junkNumber),
            weight: fc.oneof(fc.float({ min: 0, max: 10, noNaN: true }), junkNumber),
          }),
          { maxLength: 2 },
        ),
        junkValue,
      ),
      metric: fc.constantFrom<unknown>(undefined, "euclidean", "angular", "taxicab", 1),
      k: fc.oneof({ weight: 4, arbitrary: fc.constant<unknown>(undefined) }, fc.nat(5), junkValue),
      junk: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, junkValue),
    });
  }),
  check(input) {
    const c = input as Record<string, unknown>;
    const parts = c.junk !== undefined ? c.junk : { ...c, junk: undefined };
    const names = ["parts", "offsets", "targets", "weights", "directed", "bridges", "metric", "k"];
    const graph = refusedOrDone(() => new Graph(parts as never), names);
    if (graph !== undefined) {
      const p = parts as { offsets: Int32Array; targets: Int32Array; weights: Float32Array };
      assert.ok(typeof graph.directed === "boolean", "directed is a boolean");
      // wrapped as they are: Dijkstra over them agrees with the reference
      if (graph.nodes > 0) {
        sameDistances(shortestPaths(graph, 0).distances, dijkstra(p, [0]).distances);
      }
      assert.equal(graph.components, componentLabels(p).count);
    }
    stillWorks();
  },
};

// ---------------------------------------------------------------------------
// .npy

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

function npyFile(major: number, header: string, body: Uint8Array, lengthField?: number) {
  const text = new TextEncoder().encode(header);
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + text.length + body.length);
  out.set(MAGIC);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  const length = lengthField ?? text.length;
  if (major === 1) view.setUint16(8, length & 0xffff, true);
  else view.setUint32(8, length >>> 0, true);
  out.set(text, pre);
  out.set(body, pre + text.length);
  return out;
}

const ITEM: Record<string, number> = { f4: 4, f8: 8, i1: 1, i2: 2, i4: 4, i8: 8, u1: 1, b1: 1 };

const dim = fc.oneof(
  { weight: 6, arbitrary: fc.nat(5) },
  fc.constantFrom(-1, 2 ** 31, 2 ** 40, 2 ** 53, 2 ** 64, 1e30),
);

const headerText = fc
  .record({
    descr: fc.constantFrom(
      "'<f4'",
      "'<f8'",
      "'<i4'",
      "'|u1'",
      "'|b1'",
      "'<i8'",
      "'|i1'",
      "'<i2'",
      "'>f4'",
      "'<f2'",
      "'<U3'",
      "'f4'",
      "'|f4'",
      '"<f4"',
      "[('a', '<f4')]",
      "1",
      "True",
      "'<c8'",
    ),
    fortran: fc.constantFrom("False", "True", "0", "'False'"),
    shape: fc.oneof(
      { weight: 6, arbitrary: fc.array(dim, { maxLength: 3 }) },
      fc.constantFrom("()", "(3)", "[2, 2]", "(2L,)", "((2,),)", "(2,,)", "(-0,)", "'2'"),
      fc.constantFrom(3, 40, 30000).map((d) => "(".repeat(d) + "2" + ")".repeat(d)),
    ),
    extra: fc.constantFrom(
      "",
      "",
      "",
      "'extra': 1, ",
      "'__proto__': (1,), ",
      "'constructor': 1, ",
      "'descr': '<f8', ",
      "'toString': 'x', ",
    ),
    order: fc.nat(5),
    pad: fc.nat(70),
  })
  .map(({ descr, fortran, shape, extra, order, pad }) => {
    const tuple = Array.isArray(shape)
      ? shape.length === 1
        ? `(${shape[0]},)`
        : `(${shape.join(", ")})`
      : shape;
    const items = [`'descr': ${descr}, `, `'fortran_order': ${fortran}, `, `'shape': ${tuple}, `];
    const rotated = items.slice(order % 3).concat(items.slice(0, order % 3));
    if (order >= 3) rotated.reverse();
    const text = `{${extra}${rotated.join("")}}`;
    const size = Array.isArray(shape) ? shape.reduce((a, b) => a * b, 1) : 1;
    const code = /'[<>|]?(\w\d)'/.exec(descr)?.[1] ?? "f4";
    // a key besides descr, fortran_order and shape makes it no .npy file
    const extraKey = extra !== "" && !extra.startsWith("'descr'");
    return { text: text + " ".repeat(pad) + "\n", bytes: size * (ITEM[code] ?? 4), extraKey };
  });

/** Mutations of a file's bytes. */
const byteMutation = fc.oneof(
  { weight: 5, arbitrary: fc.constant<null | object>(null) },
  fc.record({ flip: fc.nat(), to: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ cut: fc.nat() }),
  fc.record({ append: fc.uint8Array({ maxLength: 9 }) }),
);

function mutateBytes(bytes: Uint8Array, m: null | object): Uint8Array {
  if (m === null) return bytes;
  if ("flip" in m) {
    const out = bytes.slice();
    const { flip, to } = m as { flip: number; to: number };
    if (out.length > 0) out[flip % out.length] = to;
    return out;
  }
  if ("cut" in m) return bytes.slice(0, (m as { cut: number }).cut % (bytes.length + 1));
  const extra = (m as { append: Uint8Array }).append;
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes);
  out.set(extra, bytes.length);
  return out;
}

const npyDtypes = [
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
] as const;

// files that must be refused whatever else is in them
const refuse = new WeakSet<Uint8Array>();

const npyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  // a valid file from writeNpy
  fc
    .record({
      type: fc.nat(npyDtypes.length - 1),
      shape: fc.array(fc.nat(4), { maxLength: 3 }),
    })
    .map(({ type, shape }) => {
      const count = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: count }, (_, i) => (i * 7) % 13);
      const data = npyDtypes[type].from(values) as NpyData;
      return writeNpy(data, shape);
    }),
  // a hand-written header with a body of about the right size
  fc
    .record({
      major: fc.constantFrom(1, 1, 2, 3, 4, 0),
      header: headerText,
      slack: fc.integer({ min: -2, max: 2 }),
      length: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        fc.constantFrom(0, 1, 65535, 2 ** 32 - 1),
      ),
    })
    .map(({ major, header, slack, length }) => {
      const size = Math.max(0, Math.min(header.bytes, 4096) + slack);
      const file = npyFile(major, header.text, new Uint8Array(size).fill(0x3f), length);
      if (header.extraKey) refuse.add(file);
      return file;
    }),
  // noise, with and without the magic
  fc.uint8Array({ maxLength: 80 }),
  fc.uint8Array({ maxLength: 80 }).map((b) => Uint8Array.from([...MAGIC, 1, 0, ...b])),
);

const npyInput = fc.record({
  bytes: fc.tuple(npyBytes, byteMutation).map(([b, m]) => {
    const out = mutateBytes(b, m);
    if (refuse.has(b)) refuse.add(out);
    return out;
  }),
  how: fc.constantFrom(
    "Uint8Array",
    "Uint8Array",
    "ArrayBuffer",
    "unaligned",
    "shared",
    "Buffer",
    "Int8Array",
    "array",
    "string",
    "null",
  ),
});

function npyArgument(bytes: Uint8Array, how: string): unknown {
  switch (how) {
    case "ArrayBuffer":
      return bytes.slice().buffer;
    case "unaligned": {
      const big = new Uint8Array(bytes.length + 3);
      big.set(bytes, 1);
      return big.subarray(1, 1 + bytes.length);
    }
    case "shared": {
      const s = new Uint8Array(new SharedArrayBuffer(bytes.length));
      s.set(bytes);
      return s;
    }
    case "Buffer":
      return Buffer.from(bytes);
    case "Int8Array":
      return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    case "array":
      return Array.from(bytes);
    case "string":
      return new TextDecoder("latin1").decode(bytes);
    case "null":
      return null;
    default:
      return bytes;
  }
}

const NPY_FIELDS = new RegExp(
  "^parseNpy: (bytes|magic|version|header length|header|header keys|descr|shape|" +
    "fortran_order|data length):",
);

const npySample = writeNpy(Float64Array.from([1.5, -2, 3e-9, 4, 5, 6]), [2, 3]);

export const npyTarget: FuzzTarget<unknown> = {
  name: "parseNpy",
  title: "parseNpy(fuzzed bytes) reads what writeNpy writes back, or throws naming the field",
  weight: 5,
  arbitrary: npyInput,
  check(input) {
    const { bytes, how } = input as { bytes: Uint8Array; how: string };
    const arg = npyArgument(bytes, how);
    let got;
    try {
      got = parseNpy(arg as Uint8Array);
    } catch (error) {
      assert.ok(
        error instanceof RangeError || error instanceof TypeError,
        `expected a RangeError or TypeError, got ${describeValue(error)}`,
      );
      assert.match((error as Error).message, NPY_FIELDS);
    }
    if (got !== undefined) {
      assert.ok(!refuse.has(bytes), "a header with a key besides descr, fortran_order, shape");
      const count = got.shape.reduce((a, b) => a * b, 1);
      assert.equal(got.data.length, count, "one element per cell of the shape");
      // what was read writes back to the same elements
      const again = parseNpy(writeNpy(got.data, got.shape));
      assert.deepEqual(again.shape, got.shape);
      assert.deepEqual(
        Array.from(again.data as ArrayLike<unknown>),
        Array.from(got.data as ArrayLike<unknown>),
      );
    }
    const sample = parseNpy(npySample);
    assert.deepEqual(sample.shape, [2, 3]);
    assert.deepEqual(Array.from(sample.data as Float64Array), [1.5, -2, 3e-9, 4, 5, 6]);
  },
};

// ---------------------------------------------------------------------------
// text readers

const palette = [
  "\t",
  "\n",
  "\r\n",
  " ",
  ",",
  "|",
  "-",
  ".",
  "0",
  "1",
  "7",
  "e",
  '"',
  "'",
  "{",
  "}",
  "[",
  "]",
  ":",
  "null",
  "nan",
  "inf",
  "#",
  "\u0000",
  "é",
  "\u{1F600}",
  "\\",
  "__proto__",
];

const noise = fc.string({ unit: fc.constantFrom(...palette), maxLength: 12 });

/** Text edits: a span deleted, noise inserted, a line doubled or dropped. */
const textEdit = fc.oneof(
  fc.record({ del: fc.nat(), length: fc.nat(8) }),
  fc.record({ ins: fc.nat(), text: noise }),
  fc.record({ line: fc.nat(), how: fc.constantFrom("double", "drop", "blank", "swap") }),
);

function applyTextEdit(text: string, e: Record<string, unknown>): string {
  if ("del" in e) {
    const at = (e.del as number) % (text.length + 1);
    return text.slice(0, at) + text.slice(at + (e.length as number));
  }
  if ("ins" in e) {
    const at = (e.ins as number) % (text.length + 1);
    return text.slice(0, at) + (e.text as string) + text.slice(at);
  }
  const lines = text.split("\n");
  const at = (e.line as number) % lines.length;
  if (e.how === "double") lines.splice(at, 0, lines[at]);
  else if (e.how === "drop") lines.splice(at, 1);
  else if (e.how === "blank") lines[at] = "";
  else if (at + 1 < lines.length) [lines[at], lines[at + 1]] = [lines[at + 1], lines[at]];
  return lines.join("\n");
}

/** Text from `samples`, edited a few times, or plain noise. */
function mutatedText(samples: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...samples), fc.array(textEdit, { maxLength: 4 }))
        .map(([text, edits]) => edits.reduce(applyTextEdit, text)),
    },
    fc.string({ unit: fc.constantFrom(...palette), maxLength: 60 }),
    fc.string({ unit: "binary", maxLength: 60 }),
  );
}

/** Runs a reader: a refusal is an Error whose message starts with the source name. */
function readerRefusedOrDone<T>(source: string, call: () => T): T | undefined {
  try {
    return call();
  } catch (error) {
    assert.ok(error instanceof Error, `expected an Error, got ${describeValue(error)}`);
    const message = (error as Error).message;
    assert.ok(message.startsWith(`${source}:`), `the message does not name ${source}: ${message}`);
    assert.doesNotMatch(message, /Maximum call stack|is not a function|undefined/);
    return undefined;
  }
}

const CSV_SAMPLES = ["x,y\n1,2\n3.5,-4e2\n", "1 2 3\n4 5 6\n# note\n", "a\tb\n1\tinf\n"];
const JSONL_SAMPLES = ["[1, 2]\n[3, null]\n", '{"a": 1, "b": 2}\n{"a": 3, "b": 4}\n'];

export const tablesTarget: FuzzTarget<unknown> = {
  name: "parseCsv and parseJsonl",
  title: "parseCsv, parseJsonl(fuzzed text) give rows x cols values, or throw naming the source",
  weight: 3,
  arbitrary: fc.oneof(
    mutatedText(CSV_SAMPLES).map((text) => ({ format: "csv", text })),
    mutatedText(JSONL_SAMPLES).map((text) => ({ format: "jsonl", text })),
  ),
  check(input) {
    const { format, text } = input as { format: string; text: string };
    const source = `points.${format}`;
    const table = readerRefusedOrDone(source, () =>
      format === "csv" ? parseCsv(text, source) : parseJsonl(text, source),
    );
    if (table !== undefined) {
      assert.equal(table.data.length, table.rows * table.cols, "rows x cols values");
      if (table.names) assert.equal(table.names.length, table.cols, "one name per column");
    }
    assert.deepEqual(Array.from(parseCsv(CSV_SAMPLES[0]).data), [1, 2, 3.5, -400]);
  },
};

const REVIEWS_JSONL = readFileSync(join(ROOT, "test", "fixtures", "cli", "reviews.jsonl"), "utf8");

const SHORT_JSONL = '{"id": 3, "text": "Nice."}\n{"id": "w", "sentences": ["One."]}\n';

const AMAZON = [
  "cat\tprod_id\trev1\trev2\tsumm1",
  "shoes\tB001\tGreat fit. Runs small!\tComfortable all day.\tFits well and is comfortable.",
  "bags\tB002\tStrap broke. Nice colour?\tRoomy inside\tRoomy bag, weak strap.",
  "",
].join("\n");

const OPOSUM = [
  "price|quality|looks",
  "B00X-0001",
  "cheap and good\t0 1",
  "looks great\t2",
  "",
  "B00Y-0002",
  "fell apart in a week\t1",
  "",
].join("\n");

/** Checks the shape of entities any reader returns. */
function entitiesHold(entities: Entity[]): void {
  for (const e of entities) {
    assert.ok(e.sentences.length > 0, `${e.id} has sentences`);
    assert.equal(e.review.length, e.sentences.length, "one review index per sentence");
    for (let i = 0; i < e.review.length; i++) {
      assert.ok(Number.isInteger(e.review[i]) && e.review[i] >= 0, "review indices are >= 0");
      if (i > 0) assert.ok(e.review[i] >= e.review[i - 1], "review indices never decrease");
    }
    for (const s of e.sentences) assert.equal(typeof s, "string");
    for (const r of e.references) assert.equal(typeof r, "string");
  }
}

const baseline = {
  jsonl: parseEntitiesJsonl(REVIEWS_JSONL, "reviews.jsonl"),
  amazon: parseAmazon(AMAZON, "amazon.csv"),
  oposum: parseOposumAspects(OPOSUM, "boots", "boots-dev.asp"),
};

export const reviewsTarget: FuzzTarget<unknown> = {
  name: "the review readers",
  title: "review readers(fuzzed text) give well-formed products, or throw naming the line",
  weight: 3,
  arbitrary: fc.oneof(
    mutatedText([REVIEWS_JSONL, SHORT_JSONL]).map((text) => ({ format: "jsonl", text })),
    mutatedText([AMAZON]).map((text) => ({ format: "amazon", text })),
    mutatedText([OPOSUM]).map((text) => ({ format: "oposum", text })),
  ),
  check(input) {
    const { format, text } = input as { format: string; text: string };
    if (format === "jsonl") {
      const got = readerRefusedOrDone("r.jsonl", () => parseEntitiesJsonl(text, "r.jsonl"));
      if (got) entitiesHold(got);
    } else if (format === "amazon") {
      const got = readerRefusedOrDone("a.csv", () => parseAmazon(text, "a.csv"));
      if (got) {
        entitiesHold(got);
        for (const e of got) assert.ok(e.references.length > 0, "every product has a summary");
      }
    } else {
      const got = readerRefusedOrDone("b.asp", () => parseOposumAspects(text, "boots", "b.asp"));
      if (got) {
        const lines = text.split(/\r?\n/);
        for (const review of got.reviews) {
          review.labels.forEach((labels, s) => {
            // the labels are exactly the integers written on the segment's line
            const cell = lines[review.line + s].split("\t")[1].trim().split(/\s+/);
            assert.deepEqual(labels, cell.map(Number), `labels of line ${review.line + s + 1}`);
            assert.ok(
              cell.every((t) => /^\d+$/.test(t)),
              `labels of line ${review.line + s + 1}`,
            );
            for (const l of labels) assert.ok(l >= 0 && l < got.aspectNames.length);
          });
        }
        const refs = new Map(got.reviews.map((r) => [r.product, ["a summary"]]));
        const merged = readerRefusedOrDone("b.asp", () => mergeOposum([got], refs, "refs"));
        if (merged && got.reviews.length > 0) entitiesHold(merged);
      }
    }
    assert.deepEqual(parseEntitiesJsonl(REVIEWS_JSONL, "reviews.jsonl"), baseline.jsonl);
    assert.deepEqual(parseAmazon(AMAZON, "amazon.csv"), baseline.amazon);
    assert.deepEqual(parseOposumAspects(OPOSUM, "boots", "boots-dev.asp"), baseline.oposum);
  },
};

// ---------------------------------------------------------------------------
// the command line

const CLI = join(ROOT, "dist", "cli.js");

/** Input files every CLI case gets in its own folder. */
function writeInputs(dir: string): void {
  const pts = randomPoints(12, 3, 5);
  const rows = Array.from({ length: 12 }, (_, i) =>
    Array.from(pts.data.subarray(i * 3, i * 3 + 3)),
  );
  writeFileSync(join(dir, "p.csv"), rows.map((r) => r.join(",")).join("\n") + "\n");
  writeFileSync(join(dir, "p.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  writeFileSync(join(dir, "p.npy"), writeNpy(pts.data, [12, 3]));
  writeFileSync(join(dir, "p.f32"), new Uint8Array(pts.data.buffer));
  writeFileSync(join(dir, "q.csv"), "0,0,0\n1,1,1\n");
  writeFileSync(join(dir, "g.csv"), "source,target,weight\n0,1,1.5\n1,2,2\n2,3,0\n5,4,1\n");
  writeFileSync(
    join(dir, "g.json"),
    JSON.stringify({ offsets: [0, 1, 2, 2], targets: [1, 2], weights: [1, 2], directed: true }),
  );
  writeFileSync(join(dir, "bad.json"), '{"offsets": [0, 5], "targets": [1], "weights": [-1]}');
  writeFileSync(join(dir, "bad.csv"), "1,2,3\n4,5\nx,y,z\n");
  writeFileSync(join(dir, "nan.csv"), "1,2,3\nnan,1,1\n3,3,3\n");
  writeFileSync(join(dir, "empty.csv"), "");
  writeFileSync(
    join(dir, "bad.npy"),
    npyFile(1, "{'descr': '<f4', 'shape': (2,", new Uint8Array(3)),
  );
  writeFileSync(join(dir, "trunc.npy"), writeNpy(pts.data, [12, 3]).subarray(0, 100));
  writeFileSync(join(dir, "reviews.jsonl"), REVIEWS_JSONL);
  writeFileSync(join(dir, "bad-reviews.jsonl"), REVIEWS_JSONL.slice(0, 90));
  writeFileSync(join(dir, "amazon.csv"), AMAZON);
  writeFileSync(
    join(dir, "emb.csv"),
    Array.from({ length: 13 }, (_, i) => `${i},1,${i % 3}`).join("\n"),
  );
  mkdirSync(join(dir, "folder"));
}

const pointFiles = ["p.csv", "p.jsonl", "p.npy", "p.f32", "q.csv"];
const badPointFiles = ["bad.csv", "nan.csv", "empty.csv", "bad.npy", "trunc.npy", "missing.csv"];
const otherFiles = ["folder", "-", "p", "x.xyz", "g.json"];
const graphFiles = [
  "g.csv",
  "g.json",
  "g.csv",
  "g.json",
  "bad.json",
  "bad.csv",
  "p.csv",
  "empty.csv",
];
const reviewFiles = ["reviews.jsonl", "reviews.jsonl", "bad-reviews.jsonl", "amazon.csv", "folder"];

/** Mostly one of `valid`, sometimes one of `invalid`. */
function pick(valid: readonly string[], invalid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
  );
}

const badNumbers = [
  "0",
  "-1",
  "1.5",
  "1e3",
  "abc",
  "",
  " 4",
  "99999999999999999999",
  "0x10",
  "NaN",
];
const count = pick(["1", "2", "3", "5"], badNumbers);
const length = pick(["0", "0.5", "2", "Infinity", "1e-300"], ["-1", "abc", "", "inf", "NaN"]);

const outputs = pick(
  ["out.csv", "out.npy", "out.jsonl", "-", "out.json"],
  ["out.txt", "out.bin", "folder", "p.csv", "nodir/out.csv", "outdir/x.jsonl", ""],
);
const output = fc.tuple(fc.constantFrom("--output", "-o"), outputs).map((t) => [...t]);
const to = pick(["npy", "jsonl", "csv", "table"], ["json", "html"]).map((v) => ["--to", v]);

const graphOption = fc.oneof(
  count.map((v) => ["--k", v]),
  count.map((v) => ["-k", v]),
  pick(["euclidean", "cosine", "angular", "sqeuclidean"], ["l1", ""]).map((v) => ["--metric", v]),
  pick(["union", "mutual", "directed"], ["any"]).map((v) => ["--mode", v]),
  pick(["bridge", "none"], ["all"]).map((v) => ["--connect", v]),
);
const readOption = fc.oneof(
  pick(["npy", "jsonl", "csv"], ["f32", "json", "xml"]).map((v) => ["--from", v]),
  pick(["3"], badNumbers).map((v) => ["--dim", v]),
);

/** The options of each command, mostly with values it takes. */
const OPTIONS: Record<string, fc.Arbitrary<string[]>> = {
  knn: fc.oneof(
    graphOption,
    readOption,
    output,
    to,
    pick(["edges", "csr"], ["dense"]).map((v) => ["--graph", v]),
  ),
  paths: fc.oneof(
    pick(["0", "0,1", "0-3", "all", "3-3"], ["5-1", "-1", "x", "", "0,99"]).map((v) => ["-s", v]),
    length.map((v) => ["--limit", v]),
    pick(["6", "9"], badNumbers).map((v) => ["--nodes", v]),
    fc.constant(["--directed"] as string[]),
    pick(["json", "csv", "jsonl"], ["npy", "f32"]).map((v) => ["--from", v]),
    output,
    to,
  ),
  geodesic: fc.oneof(
    graphOption,
    readOption,
    output,
    to,
    pick(
      ["0,0,0", "1,2,-3", "q.csv", "p.npy"],
      ["1,2", "nan,0,0", "missing.csv", "", "1e39,0,0"],
    ).map((v) => ["-q", v]),
    count.map((v) => ["--attach", v]),
  ),
  summarize: fc.oneof(
    pick(["jsonl"], ["oposum", "amazon", "yaml"]).map((v) => ["--format", v]),
    count.map((v) => ["--budget", v]),
    pick(["geodesic", "lead,cosine", "centroid,random"], ["nope", ",", ""]).map((v) => [
      "--methods",
      v,
    ]),
    pick(["emb.csv"], ["p.csv", "missing.npy"]).map((v) => ["--embeddings", v]),
    pick(["sif", "mean"], ["bert"]).map((v) => ["--embedder", v]),
    count.map((v) => ["--k", v]),
    fc.constant(["--json"] as string[]),
    pick(["outdir", "-"], ["p.csv", "folder/sub"]).map((v) => ["--out", v]),
  ),
};

// a short token that cannot be a path outside the case's folder
const junkToken = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "z", "0", "9", ".", ",", "=", " ", "é"), maxLength: 6 }),
  fc.constantFrom("", "-", "--", "---", "--nope", "-Z", "-kk", "--k=", "--help", "-h", "-V"),
);

/** Another command's option, or junk. */
const strayOption = fc.oneof(
  ...Object.values(OPTIONS),
  junkToken.map((t) => [t]),
  junkToken.map((t) => [t]),
);

export interface CliCase {
  argv: string[];
  /** A fuzzed input file written beside the others: z.csv, z.json, z.jsonl or z.npy. */
  file: { name: string; content: string | Uint8Array };
}

const CSR_JSON =
  '{"nodes": 3, "directed": false, "offsets": [0, 1, 2, 2], ' +
  '"targets": [1, 2], "weights": [0.5, 2]}\n';

/** An input file of mutated content, which the case's argv may name. */
const fuzzedFile = fc.oneof(
  mutatedText([...CSV_SAMPLES, "source,target,weight\n0,1,1.5\n1,2,2\n"]).map((content) => ({
    name: "z.csv",
    content,
  })),
  mutatedText([CSR_JSON]).map((content) => ({ name: "z.json", content })),
  mutatedText(JSONL_SAMPLES).map((content) => ({ name: "z.jsonl", content })),
  npyInput.map(({ bytes }) => ({ name: "z.npy", content: bytes as string | Uint8Array })),
);
const fuzzedNames = ["z.csv", "z.json", "z.jsonl", "z.npy"];

export const cliCase: fc.Arbitrary<CliCase> = fc
  .constantFrom(
    "knn",
    "knn",
    "paths",
    "paths",
    "geodesic",
    "geodesic",
    "summarize",
    "",
    "help",
    "bogus",
  )
  .chain((command) =>
    fc.record({
      command: fc.constant(command),
      input: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(...(command === "paths" ? graphFiles : pointFiles)),
        },
        { weight: 2, arbitrary: fc.constantFrom(...fuzzedNames) },
        fc.constantFrom(...badPointFiles),
        fc.constantFrom(...otherFiles),
      ),
      file: fuzzedFile,
      reviews: fc.constantFrom(...reviewFiles),
      options: fc.array(
        fc.oneof({ weight: 6, arbitrary: OPTIONS[command] ?? strayOption }, strayOption),
        { maxLength: 5 },
      ),
      positional: fc.constantFrom(1, 1, 1, 1, 1, 0, 2),
    }),
  )
  .map(({ command, input, reviews, options, positional, file }) => {
    const argv: string[] = command === "" ? [] : [command];
    // summarize always reads a small input: without one it reads all bundled data
    if (command === "summarize") argv.push("--input", reviews, "--methods", "lead,cosine");
    else for (let i = 0; i < positional; i++) argv.push(input);
    for (const o of options) argv.push(...o);
    if (command === "paths" && !options.some((o) => o[0] === "-s")) argv.push("-s", "0");
    if (command === "geodesic" && !options.some((o) => o[0] === "-q")) argv.push("-q", "0,0,0");
    if (command === "summarize" && !options.some((o) => o[0] === "--out")) argv.push("--out", "-");
    return { argv, file };
  });

/** Every file under `dir` with its size and content, relative to `dir`. */
function snapshot(dir: string, at = ""): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(join(dir, at))) {
    const rel = at === "" ? name : `${at}/${name}`;
    if (statSync(join(dir, rel)).isDirectory()) {
      files.set(rel + "/", "");
      for (const [k, v] of snapshot(dir, rel)) files.set(k, v);
    } else files.set(rel, readFileSync(join(dir, rel), "latin1"));
  }
  return files;
}

/** The paths the arguments allow the command to write: its --output, -o and --out. */
function allowedWrites(argv: readonly string[]): string[] {
  const allowed: string[] = [];
  argv.forEach((a, i) => {
    if (["--output", "-o", "--out"].includes(a) && i + 1 < argv.length) allowed.push(argv[i + 1]);
    const eq = /^--(output|out)=(.*)$/.exec(a) ?? /^-o(.+)$/.exec(a);
    if (eq) allowed.push(eq[eq.length - 1]);
  });
  if (argv[0] === "summarize") allowed.push("out");
  return allowed;
}

/** The last --output or -o of a graph command, which commander keeps. */
function lastOutput(argv: readonly string[]): string | undefined {
  if (!["knn", "paths", "geodesic"].includes(argv[0])) return undefined;
  let output: string | undefined;
  argv.forEach((a, i) => {
    if ((a === "--output" || a === "-o") && i + 1 < argv.length) output = argv[i + 1];
  });
  return output;
}

function allowedPath(rel: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => a !== "" && (rel === a || rel.startsWith(a.replace(/\/$/, "") + "/")));
}

const CLI_TIMEOUT_MS = 20_000;

/** Runs the built CLI once in a fresh folder; resolves with what it did. */
export function runCli(argv: readonly string[], file?: CliCase["file"]) {
  const dir = mkdtempSync(join(tmpdir(), "geodesic-fuzz-"));
  writeInputs(dir);
  if (file) writeFileSync(join(dir, file.name), file.content);
  const before = snapshot(dir);
  return new Promise<{
    code: number | null;
    signal: string | null;
    stderr: string;
    stdout: string;
    timedOut: boolean;
    dir: string;
    before: Map<string, string>;
  }>((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    delete env.GEODESIC_DEBUG;
    const child = spawn(process.execPath, [CLI, ...argv], { cwd: dir, env });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout.length < 1e6 ? (stdout += d) : undefined));
    child.stderr.on("data", (d) => (stderr.length < 1e6 ? (stderr += d) : undefined));
    child.stdin.end();
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, CLI_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stderr, stdout, timedOut, dir, before });
    });
  });
}

/** Runs one CLI case and checks what it did. */
export async function checkCli(c: CliCase): Promise<void> {
  const r = await runCli(c.argv, c.file);
  try {
    const what = `geodesic ${c.argv.map((a) => JSON.stringify(a)).join(" ")}`;
    assert.ok(!r.timedOut, `${what}: still running after ${CLI_TIMEOUT_MS} ms`);
    assert.equal(r.signal, null, `${what}: killed by ${r.signal}`);
    assert.ok([0, 1, 2].includes(r.code!), `${what}: exit code ${r.code}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `${what}: a stack trace\n${r.stderr}`);
    assert.doesNotMatch(
      r.stderr,
      /node:internal|Uncaught|FATAL|Segmentation/,
      `${what}: ${r.stderr}`,
    );
    if (r.code !== 0)
      assert.ok(r.stderr.trim().length > 0, `${what}: exit ${r.code} without a word`);
    if (r.code === 1) assert.match(r.stderr, /^geodesic: /m, `${what}: exit 1 without a message`);

    // a command that says it is done has written its --output
    const quiet = c.argv.some((a) => ["--help", "-h", "-V", "--version", "help"].includes(a));
    const output = lastOutput(c.argv);
    if (r.code === 0 && !quiet && output !== undefined && output !== "-") {
      assert.ok(existsSync(join(r.dir, output)), `${what}: exit 0 but no ${output}`);
    }

    // nothing written but where the arguments say
    const allowed = allowedWrites(c.argv);
    for (const [path, content] of snapshot(r.dir)) {
      if (allowedPath(path, allowed)) continue;
      assert.ok(r.before.has(path), `${what}: wrote ${path}, which it was not asked to`);
      assert.ok(r.before.get(path) === content, `${what}: changed ${path}`);
    }
  } finally {
    rmSync(r.dir, { recursive: true, force: true });
  }
}

export const cliTarget: FuzzTarget<CliCase> = {
  name: "geodesic CLI",
  title: "geodesic <fuzzed argv> exits 0, 1 or 2 with a message, writes only its outputs",
  arbitrary: cliCase,
  check: checkCli,
};

/** The in-process targets, cheapest first. */
export const TARGETS: FuzzTarget<unknown>[] = [
  fromEdgesTarget,
  fromCSRTarget,
  fromNeighborsTarget,
  constructorTarget,
  npyTarget,
  tablesTarget,
  reviewsTarget,
];
