// The worker of a pool (src/pool.ts): a worker_threads worker in Node, a
// module Web Worker in browsers. It instantiates the module the pool
// compiled (its own instance and memory), then runs one task at a time.
//
// What a worker may hold in its WebAssembly memory between tasks:
//
//   a graph   resident, as on the main thread (src/resident.ts), for
//             Dijkstra and all-pairs tasks; replaced by another graph
//   a kNN job the points, their norms, the k-lists of the rows this worker
//             ranks, the labels and nearest rows of a bridging round, the
//             screening scratch of assembly/topk.ts (panels, screened
//             lists) and room for another worker's screened lists:
//
//     lowest: points f32[rows * dim] | norms f32[rows] | weight norms
//             f32[rows] | ids i32[rows * k] | keys f32[rows * k]
//             | counts i32[rows] | worst f32[rows] | labels i32[rows]
//             | near i32[rows] | nearKeys f32[rows] | screening scratch
//             | other lists | per-call arena ...
//
// Holding one drops the other. Results go into the pool's shared buffers
// when it sends them, else back with the reply (transferred, not copied).

import { allPairs } from "./allpairs.js";
import { BUILT, Graph } from "./graph.js";
import { METRIC_CODE, type Metric } from "./metric.js";
import { geodesicFrom, shortestPaths, type ShortestPathOptions } from "./paths.js";
import { arena, bytesOf, checkFits, initSync, wasm } from "./wasm.js";
import { knnSliceBytes } from "./knn.js";

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
  | {
      kind: "knnBegin";
      /** The rows knnGraph ranks (unit rows for the cosine metrics). */
      points: PointsRef;
      /** The metric of the edge weights, which each worker refines its ranked rows to. */
      metric: Metric;
      k: number;
      /** This worker's place in `lists`. */
      slot: number;
      /** Every worker's screened lists, published as they grow, when memory is shared. */
      lists?: ScreenLists[];
      /** Where ranked rows go when memory is shared: the k-lists. */
      out?: RankedRows;
    }
  | {
      kind: "nearestBegin";
      labels: Int32Array;
      /** Where ranked rows go when memory is shared: nearest rows and their keys. */
      out?: RankedRows;
    }
  | { kind: "screenRange"; from: number; to: number }
  | { kind: "screenPublish" }
  | { kind: "screenOthers"; lists: ScreenLists[] }
  | { kind: "rank"; from: number; to: number };

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

/**
 * A worker's screened lists (assembly/topk.ts, `screenList`): `wide`
 * candidates a row by screening key, how many each row holds, and the key
 * every candidate it dropped is at least (+inf for none).
 */
export interface ScreenLists {
  ids: Int32Array;
  keys: Float32Array;
  counts: Int32Array;
  worst: Float32Array;
}

/** Rows as a worker ranked them: k-lists, or each row's nearest other-component row. */
export interface RankedRows {
  ids: Int32Array;
  keys: Float32Array;
}

interface Job {
  rows: number;
  dim: number;
  k: number;
  /** knnGraph's ranking metric (squared L2) and its norms, then the weights' and theirs. */
  metric: number;
  points: number;
  norms: number;
  weightMetric: number;
  weightNorms: number;
  ids: number;
  keys: number;
  counts: number;
  worst: number;
  labels: number;
  near: number;
  nearKeys: number;
  /** Screening scratch (assembly/topk.ts), 0 when knnSelect ranks every pair directly. */
  scratch: number;
  /** Room for another worker's screened lists: ids, keys i32/f32[rows * wide], counts, worst. */
  other: number;
  /** Candidates a row of the screened lists holds: k + 8 for the kNN lists, 8 when bridging. */
  wide: number;
  /** What the rank tasks compute: the k-lists or the nearest other-component rows. */
  ranking: "knn" | "nearest";
  slot: number;
  /** Every worker's lists when memory is shared, else none. */
  lists?: ScreenLists[];
  /** The other workers' lists: shared, or sent once screening is over. */
  others: ScreenLists[];
  out?: RankedRows;
}

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
      return none(knnBegin(task));
    case "nearestBegin":
      return none(nearestBegin(task));
    case "screenRange":
      return none(screenRange(task.from, task.to));
    case "screenPublish":
      return screenPublish();
    case "screenOthers":
      return none(screenOthers(task.lists));
    case "rank":
      return rank(task.from, task.to);
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
  const graph = new Graph({ ...ref.arrays, directed: ref.directed }, BUILT);
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

/** Uploads the points and empties the screened lists; see the layout at the top. */
function knnBegin(task: Extract<Task, { kind: "knnBegin" }>): void {
  const { points, k } = task;
  const w = wasm();
  const n = points.rows;
  held?.graph.dispose();
  held = undefined;
  job = undefined;
  arena.setBase(arena.lowest);
  checkFits(
    knnSliceBytes(n, points.dim, k),
    `a kNN slice of ${n} x ${points.dim} points with k = ${k}`,
  );
  const wide = Math.min(k + 8, n - 1);
  const screenBytes = w.knnScratchBytes(n, points.dim, k);
  const at = (size: number) => arena.alloc(size);
  const next: Job = {
    rows: n,
    dim: points.dim,
    k,
    metric: METRIC_CODE.sqeuclidean,
    points: at(points.data.length * 4),
    norms: at(n * 4),
    weightMetric: METRIC_CODE[task.metric],
    weightNorms: at(n * 4),
    ids: at(n * k * 4),
    keys: at(n * k * 4),
    counts: at(n * 4),
    worst: at(n * 4),
    labels: at(n * 4),
    near: at(n * 4),
    nearKeys: at(n * 4),
    scratch: screenBytes > 0 ? at(screenBytes) : 0,
    other: screenBytes > 0 ? at(2 * bytesOf(n * wide, 4) + 2 * bytesOf(n, 4)) : 0,
    wide,
    ranking: "knn",
    slot: task.slot,
    lists: task.lists,
    others: task.lists?.filter((_, slot) => slot !== task.slot) ?? [],
    out: task.out,
  };
  arena.setBase(arena.alloc(0));
  arena.f32().set(points.data, next.points >> 2);
  w.rowNorms(next.points, n, points.dim, next.metric, next.norms);
  w.rowNorms(next.points, n, points.dim, next.weightMetric, next.weightNorms);
  if (next.scratch) {
    w.screenBegin(next.points, n, points.dim, next.metric, next.norms, k, next.scratch);
  }
  job = next;
}

/** A bridging round over the held points: the labels, and screened lists of 8 emptied. */
function nearestBegin(task: Extract<Task, { kind: "nearestBegin" }>): void {
  const j = heldJob();
  const w = wasm();
  arena.i32().set(task.labels, j.labels >> 2);
  j.ranking = "nearest";
  j.out = task.out;
  if (j.scratch) {
    j.wide = Math.min(8, j.rows - 1);
    w.nearestBegin(j.points, j.rows, j.dim, j.metric, j.norms, j.labels, j.scratch);
  }
  if (!j.lists) j.others = [];
}

function heldJob(): Job {
  if (!job) throw new Error("worker: no kNN job is held (knnBegin first)");
  return job;
}

/** This worker's screened lists, as views over its memory. */
function ownLists(j: Job): ScreenLists {
  const w = wasm();
  const size = j.rows * j.wide;
  const i32 = arena.i32();
  const f32 = arena.f32();
  const ids = w.screenList(0) >> 2;
  const keys = w.screenList(1) >> 2;
  const counts = w.screenList(2) >> 2;
  const worst = w.screenList(3) >> 2;
  return {
    ids: i32.subarray(ids, ids + size),
    keys: f32.subarray(keys, keys + size),
    counts: i32.subarray(counts, counts + j.rows),
    worst: f32.subarray(worst, worst + j.rows),
  };
}

// where another worker's lists go in this worker's memory
function otherAt(j: Job) {
  const size = bytesOf(j.rows * j.wide, 4);
  const ids = j.other;
  const keys = ids + size;
  const counts = keys + size;
  return { ids, keys, counts, worst: counts + bytesOf(j.rows, 4) };
}

/**
 * Screens the pairs whose lower row lies in [from, to), which offers to
 * rows from `from` on only. With shared lists, the worst of those rows is
 * first lowered by what the other workers' lists, as last published,
 * prove; this worker's lists of those rows are published after.
 */
function screenRange(from: number, to: number): void {
  const j = heldJob();
  const w = wasm();
  const [a, b] = [from * j.wide, j.rows * j.wide];
  for (const other of j.lists ? j.others : []) {
    const { keys, counts, worst } = otherAt(j);
    arena.f32().set(other.keys.subarray(a, b), (keys >> 2) + a);
    arena.i32().set(other.counts.subarray(from), (counts >> 2) + from);
    arena.f32().set(other.worst.subarray(from), (worst >> 2) + from);
    w.screenTighten(from, j.rows, keys, counts, worst);
  }
  w.screenRange(j.rows, j.dim, from, to);
  if (j.lists) {
    const mine = j.lists[j.slot];
    const own = ownLists(j);
    mine.ids.set(own.ids.subarray(a, b), a);
    mine.keys.set(own.keys.subarray(a, b), a);
    mine.counts.set(own.counts.subarray(from), from);
    mine.worst.set(own.worst.subarray(from), from);
  }
}

/** This worker's screened lists, copied out (when there is no shared memory). */
function screenPublish() {
  const own = ownLists(heldJob());
  const lists: ScreenLists = {
    ids: own.ids.slice(),
    keys: own.keys.slice(),
    counts: own.counts.slice(),
    worst: own.worst.slice(),
  };
  return { result: lists, transfer: Object.values(lists).map((a) => a.buffer as ArrayBuffer) };
}

/** The other workers' screened lists, for the ranking (when there is no shared memory). */
function screenOthers(lists: ScreenLists[]): void {
  heldJob().others = lists;
}

/**
 * Ranks rows [from, to): their screened lists merged with the other
 * workers', then knnSelect's ranking and knnGraph's refining to edge
 * weights (or nearestOther's ranking), into the shared result or back with
 * the reply. Without screening (tiny inputs), the single-thread kernel
 * itself, over [0, rows).
 */
function rank(from: number, to: number) {
  const j = heldJob();
  const w = wasm();
  const knn = j.ranking === "knn";
  if (j.scratch) {
    const size = (to - from) * j.wide;
    for (const other of j.others) {
      const { ids, keys, counts, worst } = otherAt(j);
      arena.i32().set(other.ids.subarray(from * j.wide, from * j.wide + size), ids >> 2);
      arena.f32().set(other.keys.subarray(from * j.wide, from * j.wide + size), keys >> 2);
      arena.i32().set(other.counts.subarray(from, to), counts >> 2);
      arena.f32().set(other.worst.subarray(from, to), worst >> 2);
      w.screenMerge(from, to, ids, keys, counts, worst);
    }
    if (knn) {
      const { points, rows, dim, metric, norms, k } = j;
      w.screenRank(points, rows, dim, metric, norms, k, from, to, j.ids, j.keys, j.counts, j.worst);
    } else {
      const { points, rows, dim, metric, norms, labels } = j;
      w.nearestRank(points, rows, dim, metric, norms, labels, from, to, j.near, j.nearKeys);
    }
  } else if (knn) {
    w.knnSelect(j.points, j.rows, j.dim, j.metric, j.norms, j.k, j.ids, j.keys, j.counts, j.worst);
  } else {
    const { points, rows, dim, metric, norms, labels } = j;
    w.nearestOther(points, rows, dim, metric, norms, labels, j.near, j.nearKeys);
  }

  if (knn) {
    const { points, dim, weightMetric, weightNorms, k } = j;
    w.knnRefineRows(points, dim, weightMetric, weightNorms, k, from, to, j.ids, j.keys);
  }

  // k slots a row for the k-lists, one for the nearest rows
  const slots = knn ? j.k : 1;
  const a = from * slots;
  const b = to * slots;
  const [idsAt, keysAt] = knn ? [j.ids >> 2, j.keys >> 2] : [j.near >> 2, j.nearKeys >> 2];
  const ids = arena.i32().subarray(idsAt + a, idsAt + b);
  const keys = arena.f32().subarray(keysAt + a, keysAt + b);
  if (j.out) {
    j.out.ids.set(ids, a);
    j.out.keys.set(keys, a);
    return { result: undefined, transfer: [] };
  }
  const rows: RankedRows = { ids: ids.slice(), keys: keys.slice() };
  return { result: rows, transfer: [rows.ids.buffer, rows.keys.buffer] };
}
