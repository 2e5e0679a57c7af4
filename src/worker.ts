// The worker of a pool (src/pool.ts): a worker_threads worker in Node, a
// module Web Worker in browsers. It instantiates the module the pool
// compiled (its own instance and memory), then runs one task at a time.
//
// What a worker may hold in its WebAssembly memory between tasks:
//
//   a graph   resident, as on the main thread (src/resident.ts), for
//             Dijkstra and all-pairs tasks; replaced by another graph
//   a kNN job the points, their norms, this worker's partial lists, the
//             labels and nearest rows of a bridging round, and the
//             screening scratch of assembly/screen.ts (panels, candidates):
//
//     lowest: points f32[rows * dim] | norms f32[rows] | ids i32[rows * k]
//             | keys f32[rows * k] | counts i32[rows] | labels i32[rows]
//             | near i32[rows] | nearKeys f32[rows] | screening scratch
//             | per-call arena ...
//
// Holding one drops the other. Results go into the pool's shared buffers
// when it sends them, else back with the reply (transferred, not copied).

import { allPairs } from "./allpairs.js";
import { Graph } from "./graph.js";
import { METRIC_CODE, type Metric } from "./metric.js";
import { geodesicFrom, shortestPaths, type ShortestPathOptions } from "./paths.js";
import { arena, bytesOf, checkFits, initSync, wasm, type Kernels } from "./wasm.js";

/** A graph as sent to a worker: its arrays only when the worker lacks them. */
export interface GraphRef {
  id: number;
  directed: boolean;
  arrays?: { offsets: Int32Array; targets: Int32Array; weights: Float32Array };
}

/** Points as sent to a worker: `data` is a view over shared or copied memory. */
export interface PointsRef {
  data: Float32Array;
  rows: number;
  dim: number;
}

export type Task =
  | {
      kind: "paths";
      graph: GraphRef;
      sources: Int32Array;
      options: Omit<ShortestPathOptions, "targets"> & { targets?: Int32Array };
      rowStart: number;
      out?: { distances: SharedArrayBuffer; predecessors?: SharedArrayBuffer };
    }
  | {
      kind: "allPairs";
      graph: GraphRef;
      sources: Int32Array;
      rowStart: number;
      out?: SharedArrayBuffer;
    }
  | {
      kind: "geodesic";
      graph: GraphRef;
      points: PointsRef;
      query: Float32Array;
      k: number;
      metric: Metric;
      predecessors: boolean;
    }
  | { kind: "knnBegin"; points: PointsRef; metric: Metric; k: number }
  | { kind: "knnRange"; from: number; to: number }
  | { kind: "knnLists" }
  | { kind: "nearestBegin"; labels: Int32Array }
  | { kind: "nearestRange"; from: number; to: number }
  | { kind: "nearestEnd" };

export type Request =
  { op: "init"; module: WebAssembly.Module } | { op: "task"; id: number; task: Task };

export type Reply =
  | { op: "ready" }
  | { op: "failed"; error: WireError }
  | { op: "done"; id: number; result: unknown; memoryBytes: number }
  | { op: "error"; id: number; error: WireError; memoryBytes: number };

/** An error as it crosses threads: rebuilt with the same class and message. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

/** The kernels of assembly/blocks.ts and screen.ts, beside the shared ones. */
interface BlockKernels extends Kernels {
  screenScratchBytes(rows: number, dim: number, k: number): number;
  screenBegin(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    k: number,
    scratch: number,
  ): void;
  screenRange(rows: number, dim: number, from: number, to: number): void;
  screenRank(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    k: number,
    ids: number,
    keys: number,
    counts: number,
    ranges: number,
    count: number,
  ): number;
  knnSelectRange(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    k: number,
    from: number,
    to: number,
    ids: number,
    keys: number,
    counts: number,
  ): void;
  nearestOtherRange(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    labels: number,
    from: number,
    to: number,
    ids: number,
    keys: number,
  ): void;
}

interface Job {
  rows: number;
  dim: number;
  k: number;
  metric: number;
  points: number;
  norms: number;
  ids: number;
  keys: number;
  counts: number;
  labels: number;
  near: number;
  nearKeys: number;
  /** Screening scratch (assembly/screen.ts), 0 for the brute-force path. */
  scratch: number;
  /** The ranges of lower rows this worker took, for the screened ranking. */
  ranges: [number, number][];
}

// below this many rows, packing panels costs more than it saves (as knnSelect)
const DIRECT_ROWS = 16;

let held: { id: number; graph: Graph } | undefined;
let job: Job | undefined;

interface Port {
  post(message: Reply, transfer?: Transferable[]): void;
  listen(handler: (message: Request) => void): void;
}

// node:worker_threads without a static import, so browser bundles stay free of it
function nodePort(): Port | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = proc?.getBuiltinModule?.("node:worker_threads") as
    | {
        parentPort: {
          postMessage(m: unknown, t?: unknown[]): void;
          on(e: string, f: (m: never) => void): void;
        } | null;
      }
    | undefined;
  const parent = threads?.parentPort;
  if (!parent) return undefined;
  return {
    post: (message, transfer) => parent.postMessage(message, transfer as unknown[]),
    listen: (handler) => parent.on("message", handler),
  };
}

function webPort(): Port {
  const scope = globalThis as unknown as {
    postMessage(m: unknown, t?: Transferable[]): void;
    addEventListener(type: "message", f: (event: MessageEvent<Request>) => void): void;
  };
  return {
    post: (message, transfer) => scope.postMessage(message, transfer ?? []),
    listen: (handler) => scope.addEventListener("message", (event) => handler(event.data)),
  };
}

function wire(error: unknown): WireError {
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: String(error) };
}

const port = nodePort() ?? webPort();
port.listen((message) => {
  if (message.op === "init") {
    try {
      initSync(message.module);
      port.post({ op: "ready" });
    } catch (error) {
      port.post({ op: "failed", error: wire(error) });
    }
    return;
  }
  let memoryBytes = 0;
  try {
    const { result, transfer } = run(message.task);
    memoryBytes = wasm().memory.buffer.byteLength;
    port.post({ op: "done", id: message.id, result, memoryBytes }, transfer);
  } catch (error) {
    port.post({ op: "error", id: message.id, error: wire(error), memoryBytes });
  }
});

function run(task: Task): { result: unknown; transfer: Transferable[] } {
  switch (task.kind) {
    case "paths":
      return paths(task);
    case "allPairs":
      return pairs(task);
    case "geodesic":
      return geodesic(task);
    case "knnBegin":
      return none(knnBegin(task.points, task.metric, task.k));
    case "knnRange":
      return none(knnRange(task.from, task.to));
    case "knnLists":
      return knnLists();
    case "nearestBegin":
      return none(nearestBegin(task.labels));
    case "nearestRange":
      return none(nearestRange(task.from, task.to));
    case "nearestEnd":
      return nearestEnd();
  }
}

function none(_: void): { result: undefined; transfer: Transferable[] } {
  return { result: undefined, transfer: [] };
}

/** The graph of `ref`, held (and resident) until another one comes. */
function holdGraph(ref: GraphRef): Graph {
  if (held && held.id === ref.id) return held.graph;
  if (!ref.arrays) throw new Error(`worker: graph ${ref.id} was not sent to this worker`);
  job = undefined;
  held?.graph.dispose();
  const graph = new Graph({ ...ref.arrays, directed: ref.directed });
  held = { id: ref.id, graph };
  return graph;
}

function paths(task: Extract<Task, { kind: "paths" }>) {
  const graph = holdGraph(task.graph);
  const n = graph.nodes;
  const result = shortestPaths(graph, task.sources, task.options);
  if (!task.out) return { result, transfer: buffersOf(result) };
  new Float64Array(task.out.distances).set(result.distances, task.rowStart * n);
  if (task.out.predecessors && result.predecessors) {
    new Int32Array(task.out.predecessors).set(result.predecessors, task.rowStart * n);
  }
  return { result: undefined, transfer: [] };
}

function pairs(task: Extract<Task, { kind: "allPairs" }>) {
  const graph = holdGraph(task.graph);
  const n = graph.nodes;
  const rows = task.sources.length;
  const out = task.out
    ? new Float32Array(task.out, task.rowStart * n * 4, rows * n)
    : new Float32Array(rows * n);
  allPairs(graph, { sources: task.sources, out });
  return task.out ? { result: undefined, transfer: [] } : { result: out, transfer: [out.buffer] };
}

function geodesic(task: Extract<Task, { kind: "geodesic" }>) {
  const graph = holdGraph(task.graph);
  const predecessors = task.predecessors ? new Int32Array(graph.nodes) : undefined;
  const distances = geodesicFrom(graph, task.points, task.query, {
    k: task.k,
    metric: task.metric,
    predecessors,
  });
  const transfer: Transferable[] = [distances.buffer];
  if (predecessors) transfer.push(predecessors.buffer);
  return { result: { distances, predecessors }, transfer };
}

function buffersOf(result: object): Transferable[] {
  return Object.values(result)
    .filter((v): v is ArrayBufferView => ArrayBuffer.isView(v))
    .map((v) => v.buffer as ArrayBuffer);
}

/** Uploads the points and empties this worker's lists; see the layout at the top. */
function knnBegin(points: PointsRef, metric: Metric, k: number): void {
  const w = wasm() as BlockKernels;
  const n = points.rows;
  held?.graph.dispose();
  held = undefined;
  job = undefined;
  arena.setBase(arena.lowest);
  const screenBytes = n > DIRECT_ROWS ? w.screenScratchBytes(n, points.dim, k) : 0;
  const bytes =
    bytesOf(points.data.length, 4) + 2 * bytesOf(n * k, 4) + 5 * bytesOf(n, 4) + screenBytes;
  checkFits(bytes, `a kNN slice of ${n} x ${points.dim} points with k = ${k}`);
  const at = (size: number) => arena.alloc(size);
  const next: Job = {
    rows: n,
    dim: points.dim,
    k,
    metric: METRIC_CODE[metric],
    points: at(points.data.length * 4),
    norms: at(n * 4),
    ids: at(n * k * 4),
    keys: at(n * k * 4),
    counts: at(n * 4),
    labels: at(n * 4),
    near: at(n * 4),
    nearKeys: at(n * 4),
    scratch: screenBytes > 0 ? at(screenBytes) : 0,
    ranges: [],
  };
  arena.setBase(arena.alloc(0));
  arena.f32().set(points.data, next.points >> 2);
  arena.i32().fill(0, next.counts >> 2, (next.counts >> 2) + n);
  w.rowNorms(next.points, n, points.dim, next.metric, next.norms);
  if (next.scratch) {
    w.screenBegin(next.points, n, points.dim, next.metric, next.norms, k, next.scratch);
  }
  job = next;
}

function heldJob(): Job {
  if (!job) throw new Error("worker: no kNN job is held (knnBegin first)");
  return job;
}

function knnRange(from: number, to: number): void {
  const j = heldJob();
  const w = wasm() as BlockKernels;
  if (j.scratch) {
    w.screenRange(j.rows, j.dim, from, to);
    j.ranges.push([from, to]);
    return;
  }
  w.knnSelectRange(
    j.points,
    j.rows,
    j.dim,
    j.metric,
    j.norms,
    j.k,
    from,
    to,
    j.ids,
    j.keys,
    j.counts,
  );
}

/** This worker's k-lists: when screening, ranked from its screened candidates first. */
function knnLists() {
  const j = heldJob();
  if (j.scratch) {
    arena.scoped(() => {
      const ranges = arena.alloc(j.ranges.length * 8);
      arena.i32().set(j.ranges.flat(), ranges >> 2);
      const w = wasm() as BlockKernels;
      w.screenRank(
        j.points,
        j.rows,
        j.dim,
        j.metric,
        j.norms,
        j.k,
        j.ids,
        j.keys,
        j.counts,
        ranges,
        j.ranges.length,
      );
    });
    j.scratch = 0;
  }
  const size = j.rows * j.k;
  const ids = arena.i32().slice(j.ids >> 2, (j.ids >> 2) + size);
  const keys = arena.f32().slice(j.keys >> 2, (j.keys >> 2) + size);
  const counts = arena.i32().slice(j.counts >> 2, (j.counts >> 2) + j.rows);
  return { result: { ids, keys, counts }, transfer: [ids.buffer, keys.buffer, counts.buffer] };
}

function nearestBegin(labels: Int32Array): void {
  const j = heldJob();
  arena.i32().set(labels, j.labels >> 2);
  arena.i32().fill(-1, j.near >> 2, (j.near >> 2) + j.rows);
  arena.f32().fill(Infinity, j.nearKeys >> 2, (j.nearKeys >> 2) + j.rows);
}

function nearestRange(from: number, to: number): void {
  const j = heldJob();
  const w = wasm() as BlockKernels;
  w.nearestOtherRange(
    j.points,
    j.rows,
    j.dim,
    j.metric,
    j.norms,
    j.labels,
    from,
    to,
    j.near,
    j.nearKeys,
  );
}

function nearestEnd() {
  const j = heldJob();
  const near = arena.i32().slice(j.near >> 2, (j.near >> 2) + j.rows);
  const keys = arena.f32().slice(j.nearKeys >> 2, (j.nearKeys >> 2) + j.rows);
  return { result: { near, keys }, transfer: [near.buffer, keys.buffer] };
}
