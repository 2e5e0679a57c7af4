// createPool: the async twins of knnGraph, shortestPaths, geodesicFrom and
// allPairs, spread over worker threads (worker_threads in Node, module Web
// Workers in browsers).
//
// Every worker gets the module this thread compiled, and makes its own
// instance and memory. Inputs go to the workers once, in SharedArrayBuffers
// where the platform has them (Node; browsers when cross-origin isolated),
// and workers write their rows straight into a shared result; elsewhere
// inputs are copied to each worker and results copied back.
//
// What is split, and why the results equal the single-thread ones bit for
// bit:
//   - kNN build: knnSelect's own steps (assembly/topk.ts), split. Each
//     worker screens the pairs (i, j), i < j, whose lower row lies in the
//     ranges it takes (balanced by pair count), into per-row lists of
//     candidates. Between ranges it publishes its lists and prunes against
//     the others' (a row's list only needs the candidates below the k + 8th
//     smallest key of all its pairs, which every worker's lists bound), so
//     the workers keep about as few as one thread would. Then each worker
//     ranks a share of the rows from every worker's lists merged, exactly
//     as knnSelect ranks them; the ranking is exact whatever the lists hold
//     (pruning by a bound read mid-write costs time, never a neighbour), so
//     the lists equal the single-thread ones bit for bit, ties by the lower
//     id; the worker refines them to edge weights with knnGraph's kernel.
//     The main thread then runs the very same CSR and components kernels,
//     and bridges with the same Borůvka rounds (each round's nearest pairs
//     found by nearestOther's steps, split the same way).
//   - Dijkstra and all pairs: the sources; each row is computed by one
//     worker running the single-thread function.
// Calls run one after another, each over every worker.

import { compiledModule, init, arena, checkFits, wasm } from "./wasm.js";
import { checkChoice, checkIds, checkInteger, checkKeys, rangeError, typeError } from "./errors.js";
import { BUILT, Graph } from "./graph.js";
import {
  checkKnnArgs,
  fromLists,
  knnBytes,
  knnSliceBytes,
  scaledWeight,
  type KnnOptions,
} from "./knn.js";
import { checkGeodesicArgs, checkGraph } from "./paths.js";
import type { GeodesicOptions, ShortestPathOptions, ShortestPaths } from "./paths.js";
import { METRIC_CODE, isCosineLike, type Metric } from "./metric.js";
import type { Mode } from "./metric.js";
import { prepareRows, type Points, type PointsInput } from "./points.js";
import type { Csr } from "./csr.js";
import { Boruvka, withBridges } from "./connect.js";
import { allocateResult, planAllPairs, type AllPairsOptions } from "./allpairs.js";
import type { GraphRef, RankedRows, Reply, Request, ScreenLists, Task } from "./worker.js";
import type { WireError } from "./worker.js";

export interface PoolOptions {
  /** Worker threads, 1 to 256. Default: the machine's available parallelism. */
  threads?: number;
  /**
   * The worker script. Default: worker.js beside this module (dist/worker.js
   * of the package). Pass it when a bundler or a CDN moves the file.
   */
  worker?: string | URL;
}

/** What every pool method accepts besides its own options. */
export interface CallOptions {
  /** Cancels the call: it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A set of worker threads with the async twins of the single-thread
 * functions. Their typed-array results hold the same values; where the
 * platform has SharedArrayBuffer they are views over one (the workers wrote
 * into it), so `result.buffer` is a SharedArrayBuffer, not an ArrayBuffer.
 */
export interface Pool {
  /** Number of worker threads. */
  readonly threads: number;
  /** `knnGraph` over the workers; the same graph, bit for bit. */
  knnGraph(points: PointsInput, options: KnnOptions & CallOptions): Promise<Graph>;
  /**
   * `shortestPaths` over the workers, sources split between them; the same
   * distances. With `reduce: "min"` the one multi-source run goes to one worker.
   */
  shortestPaths(
    graph: Graph,
    sources: number | ArrayLike<number>,
    options?: ShortestPathOptions & CallOptions,
  ): Promise<ShortestPaths>;
  /** `geodesicFrom` on a worker, off the calling thread. */
  geodesicFrom(
    graph: Graph,
    points: PointsInput,
    query: ArrayLike<number>,
    options?: GeodesicOptions & CallOptions,
  ): Promise<Float64Array>;
  /** `allPairs` over the workers, sources split between them; the same values. */
  allPairs(
    graph: Graph,
    options?: Omit<AllPairsOptions, "out"> & CallOptions,
  ): Promise<Float32Array>;
  /** Each worker's WebAssembly memory in bytes, as of its last task (memory never shrinks). */
  memoryBytes(): number[];
  /** Ends every worker; later calls reject. */
  close(): Promise<void>;
}

/**
 * Starts `threads` workers, each with its own instance of the module this
 * thread compiles (`init` is called if it was not). Resolves once every
 * worker is ready. In Node, idle workers do not keep the process alive;
 * still, `close()` a pool that is no longer needed.
 */
export async function createPool(options: PoolOptions = {}): Promise<Pool> {
  if (typeof options !== "object" || options === null) {
    throw typeError("options", options, "{ threads, worker }");
  }
  checkKeys("options", options, ["threads", "worker"]);
  const threads = checkInteger("options.threads", options.threads ?? defaultThreads(), 1, 256);
  const url = workerUrl(options.worker);
  await init();
  const module = compiledModule()!;
  const list = Array.from({ length: threads }, () => new Thread(url, module));
  try {
    await Promise.all(list.map((t) => t.whenReady()));
  } catch (error) {
    await Promise.all(list.map((t) => t.close()));
    throw error;
  }
  return new WorkerPool(list);
}

function defaultThreads(): number {
  const os = nodeModule<{ availableParallelism?: () => number }>("node:os");
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, os?.availableParallelism?.() ?? nav?.hardwareConcurrency ?? 2);
}

function workerUrl(given: unknown): URL {
  if (given === undefined) return new URL("./worker.js", import.meta.url);
  if (typeof given === "string" || given instanceof URL)
    return new URL(String(given), import.meta.url);
  throw typeError("options.worker", given, "a URL or a string naming the worker script");
}

// a Node built-in without a static import, so browser bundles stay free of it
function nodeModule<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

// ---------------------------------------------------------------------------
// one worker

interface WorkerHandle {
  post(message: Request, transfer?: Transferable[]): void;
  terminate(): Promise<void>;
  /** Node: whether the worker keeps the process alive. */
  keepAlive(on: boolean): void;
}

interface NodeWorker {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(event: string, listener: (value: never) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}

function spawn(url: URL, onReply: (r: Reply) => void, onFailure: (e: Error) => void): WorkerHandle {
  const threads = nodeModule<{ Worker: new (url: URL) => NodeWorker }>("node:worker_threads");
  let over = false;
  const fail = (error: Error) => {
    if (over) return;
    over = true;
    onFailure(error);
  };
  if (threads) {
    const w = new threads.Worker(url);
    w.on("message", (reply: Reply) => onReply(reply));
    w.on("error", (error: Error) => fail(error));
    w.on("messageerror", (error: Error) => fail(error));
    w.on("exit", (code: number) => fail(new Error(`a pool worker exited with code ${code}`)));
    return {
      post: (message, transfer) => w.postMessage(message, transfer),
      terminate: async () => {
        over = true;
        await w.terminate();
      },
      keepAlive: (on) => (on ? w.ref() : w.unref()),
    };
  }
  const w = new Worker(url, { type: "module" });
  w.onmessage = (event: MessageEvent<Reply>) => onReply(event.data);
  w.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    fail(new Error(event.message || "a pool worker failed"));
  };
  w.onmessageerror = () => fail(new Error("a pool worker sent a message that could not be read"));
  return {
    post: (message, transfer) => w.postMessage(message, transfer ?? []),
    terminate: async () => {
      over = true;
      w.terminate();
    },
    keepAlive: () => {},
  };
}

interface Pending {
  id: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** One worker slot: a crashed or cancelled worker is replaced by a fresh one. */
class Thread {
  /** The graph id the worker holds, -1 for none. */
  graphId = -1;
  memoryBytes = 0;
  private worker!: WorkerHandle;
  private ready!: Promise<void>;
  // rejects `ready` while it is pending (a no-op once it has settled)
  private failReady: (e: unknown) => void = () => {};
  private started = false;
  private closed = false;
  private pending: Pending | undefined;
  private nextId = 1;

  constructor(
    private readonly url: URL,
    private readonly module: WebAssembly.Module,
  ) {
    this.start();
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  private start(): void {
    this.graphId = -1;
    let settle!: { resolve(): void; reject(e: unknown): void };
    this.ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    this.ready.catch(() => {});
    this.failReady = settle.reject;
    const worker = spawn(
      this.url,
      (reply) => this.receive(reply, settle),
      (error) => this.crash(worker, error, settle.reject),
    );
    this.worker = worker;
    worker.post({ op: "init", module: this.module });
  }

  private receive(reply: Reply, settle: { resolve(): void; reject(e: unknown): void }): void {
    if (reply.op === "ready") {
      this.started = true;
      this.worker.keepAlive(false);
      return settle.resolve();
    }
    if (reply.op === "failed") return settle.reject(rebuild(reply.error));
    const pending = this.pending;
    if (!pending || pending.id !== reply.id) return;
    this.pending = undefined;
    this.memoryBytes = reply.memoryBytes || this.memoryBytes;
    this.worker.keepAlive(false);
    if (reply.op === "done") return pending.resolve(reply.result);

    // what the worker holds after a failed task is unknown: send the graph again
    this.graphId = -1;
    pending.reject(rebuild(reply.error));
  }

  // the worker died: fail its task, and start a new one if it had ever worked
  private crash(worker: WorkerHandle, error: Error, failReady: (e: unknown) => void): void {
    if (worker !== this.worker) return;
    failReady(error);
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
    if (this.started && !this.closed) this.start();
  }

  /**
   * Runs one task on this worker, once it is ready: `make` builds it then, so
   * that it sees what the worker holds at that time. `dropped` tells whether
   * the task's call has ended meanwhile (failed or aborted while this worker
   * restarted): then nothing is sent.
   */
  async send(make: () => ReturnType<Make>, dropped: () => boolean): Promise<unknown> {
    await this.ready;
    if (this.closed) throw new Error("the pool is closed");
    if (dropped()) throw new Error("the call ended before this worker was ready");
    const { task, transfer = [] } = make();
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending = { id, resolve, reject };
      this.worker.keepAlive(true);
      this.worker.post({ op: "task", id, task }, transfer);
    });
  }

  /** Ends the worker mid-task (a failed or cancelled call) and starts a fresh one. */
  replace(reason: unknown): void {
    if (this.closed) return;
    void this.worker.terminate();
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(reason);
    this.start();
  }

  close(): Promise<void> {
    this.closed = true;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(new Error("the pool is closed"));
    // a worker still starting never reports once terminated: fail its waiters
    this.failReady(new Error("the pool is closed"));
    return this.worker.terminate();
  }
}

function rebuild(wire: WireError): Error {
  const Kind =
    wire.name === "RangeError" ? RangeError : wire.name === "TypeError" ? TypeError : Error;
  const error = new Kind(wire.message);
  if (Kind === Error && wire.name !== "Error") error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  return error;
}

// ---------------------------------------------------------------------------
// the pool

/** Builds a thread's task; called when that thread takes it. */
type Make = (thread: Thread) => { task: Task; transfer?: Transferable[] };

/** SharedArrayBuffer where it can be used (cross-origin isolated in browsers). */
const canShare =
  typeof SharedArrayBuffer === "function" &&
  (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;

/** A copy of `array` in shared memory, or `array` itself where there is none. */
function shared<T extends Int32Array | Float32Array>(array: T): T {
  if (canShare && array.buffer instanceof SharedArrayBuffer) return array;

  // without shared memory the view is cloned, with its whole buffer: cut it to size
  if (!canShare) return array.byteLength === array.buffer.byteLength ? array : (array.slice() as T);
  const copy = new (array.constructor as new (b: SharedArrayBuffer) => T)(
    new SharedArrayBuffer(array.byteLength),
  );
  copy.set(array);
  return copy;
}

// shared copies of graphs, made once each: a Graph's arrays are read-only
const graphIds = new WeakMap<Graph, Required<GraphRef>>();
let nextGraphId = 1;

class WorkerPool implements Pool {
  readonly threads: number;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly list: Thread[]) {
    this.threads = list.length;
  }

  memoryBytes(): number[] {
    return this.list.map((t) => t.memoryBytes);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.list.map((t) => t.close()));
  }

  // calls run one after another: workers hold one job's state at a time
  private async serial<T>(signal: AbortSignal | undefined, job: () => Promise<T>): Promise<T> {
    checkSignal(signal);
    const run = this.tail.then(() => {
      if (this.closed) throw new Error("the pool is closed");
      signal?.throwIfAborted();
      return job();
    });
    this.tail = run.catch(() => {});
    return run;
  }

  /**
   * Runs tasks, each on the next idle worker (or, with `pinned`, task t on
   * worker t). The first failure or an abort rejects at once, and the
   * workers still busy with this call are replaced, so the pool stays usable.
   */
  private dispatch(makers: Make[], signal: AbortSignal | undefined, pinned = false) {
    return new Promise<unknown[]>((resolve, reject) => {
      // a signal aborted between two steps of a call fires no event for this one
      if (signal?.aborted) return reject(signal.reason);
      const results = new Array<unknown>(makers.length);
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        signal?.removeEventListener("abort", onAbort);
        for (const t of this.list) if (t.busy) t.replace(error);
        reject(error);
      };
      const onAbort = () => fail(signal!.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      const finish = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(results);
      };

      const take = (thread: Thread, index: number): void => {
        thread
          .send(
            () => makers[index](thread),
            () => failed,
          )
          .then((result) => {
            if (failed) return;
            results[index] = result;
            if (++done === makers.length) return finish();
            if (!pinned && next < makers.length) take(thread, next++);
          }, fail);
      };
      if (makers.length === 0) return finish();
      if (pinned) this.list.forEach((t, i) => take(t, i));
      else for (const t of this.list) if (next < makers.length) take(t, next++);
    });
  }

  private broadcast(make: Make, signal: AbortSignal | undefined): Promise<unknown[]> {
    return this.dispatch(
      this.list.map(() => make),
      signal,
      true,
    );
  }

  private graphRef(graph: Graph, thread: Thread): GraphRef {
    let ref = graphIds.get(graph);
    if (!ref) {
      ref = {
        id: nextGraphId++,
        directed: graph.directed,
        arrays: {
          offsets: shared(graph.offsets),
          targets: shared(graph.targets),
          weights: shared(graph.weights),
        },
      };
      graphIds.set(graph, ref);
    }
    if (thread.graphId === ref.id) return { id: ref.id, directed: ref.directed };
    thread.graphId = ref.id;
    return ref;
  }

  // -------------------------------------------------------------------------
  // kNN graph

  async knnGraph(points: PointsInput, options: KnnOptions & CallOptions): Promise<Graph> {
    const { p, metric, mode, connect, k } = checkKnnArgs(points, options, ["signal"]);
    const n = p.rows;
    const m = mode === "directed" ? n * k : 2 * n * k;
    const what = `a kNN graph of ${n} x ${p.dim} points with k = ${k}`;
    checkFits(knnBytes(p, k, m), what);
    checkFits(knnSliceBytes(n, p.dim, k), what);
    const signal = options.signal;

    // the rows knnGraph ranks: unit rows for cosine metrics, ranked by L2
    const prepared = prepareRows(p, isCosineLike(metric), metric === "sqeuclidean");
    const ready = { ...p, data: prepared.data };
    const scale = prepared.weightScale;

    return this.serial(signal, async () => {
      // each worker: the points, then knnSelect's steps over its shares
      const ref = { data: shared(ready.data), rows: n, dim: p.dim };
      const screened = wasm().knnScratchBytes(n, p.dim, k) > 0;
      const wide = Math.min(k + 8, n - 1);
      const lists = canShare && screened ? this.list.map(() => sharedLists(n, wide)) : undefined;
      const out = canShare ? sharedRows(n * k) : undefined;
      await this.broadcast((t) => {
        t.graphId = -1;
        const slot = this.list.indexOf(t);
        return { task: { kind: "knnBegin", points: ref, metric, k, slot, lists, out } };
      }, signal);
      const found = await this.screenAndRank(n, k, screened, out, signal);

      // here: what knnGraph does with the exact lists
      const { csr, labels, count } = finishLists(p, metric, mode, k, m, found, scale);
      const done = (c: Csr, bridges: Graph["bridges"]) =>
        new Graph({ ...c, directed: mode === "directed", metric, k, bridges }, BUILT);
      if (count === 1 || connect === "none") return done(csr, []);
      if (connect === "error") {
        throw new Error(
          `knnGraph: the graph has ${count} connected components with k = ${k}; ` +
            'raise k, or pass connect: "bridge" or "none"',
        );
      }
      const bridges = await this.bridge(
        ready,
        metric,
        labels,
        count,
        scale,
        screened,
        lists,
        signal,
      );
      return done(withBridges(csr, bridges), bridges);
    });
  }

  /**
   * The steps after a begin task (knnBegin, nearestBegin): the ranges of
   * pairs screened, the lists exchanged where memory is not shared, then
   * the rows ranked, `slots` a row, into `out` or back with the replies.
   */
  private async screenAndRank(
    n: number,
    slots: number,
    screened: boolean,
    out: RankedRows | undefined,
    signal: AbortSignal | undefined,
  ): Promise<RankedRows> {
    if (screened) {
      // equal shares of the pairs, the first three quarters of them merged
      // two by two: the small ranges at the end even out when workers finish
      const fine = pairRanges(n, this.threads * 16, 4);
      const cut = Math.floor((fine.length * 3) / 4) & ~1;
      const ranges: number[][] = [];
      for (let r = 0; r < cut; r += 2) ranges.push([fine[r][0], fine[r + 1][1]]);
      ranges.push(...fine.slice(cut));
      await this.dispatch(
        ranges.map(([from, to]) => () => ({ task: { kind: "screenRange", from, to } })),
        signal,
      );
      if (!out) {
        const all = (await this.broadcast(
          () => ({ task: { kind: "screenPublish" } }),
          signal,
        )) as ScreenLists[];
        await this.broadcast((t) => {
          const lists = all.filter((_, slot) => slot !== this.list.indexOf(t));
          return { task: { kind: "screenOthers", lists } };
        }, signal);
      }
    }
    const rows = screened ? chunksOf(n, Math.ceil(n / (this.threads * 4))) : [[0, n]];
    const ranked = (await this.dispatch(
      rows.map(([from, to]) => () => ({ task: { kind: "rank", from, to } })),
      signal,
    )) as RankedRows[];
    return out ?? joinRanked(ranked, rows, n, slots);
  }

  // Borůvka rounds, each row's nearest other-component row found by the workers
  private async bridge(
    p: Points,
    metric: Metric,
    labels: Int32Array,
    count: number,
    scale: number,
    screened: boolean,
    lists: ScreenLists[] | undefined,
    signal: AbortSignal | undefined,
  ) {
    const rounds = new Boruvka(labels, count);
    while (rounds.count > 1) {
      const current = shared(rounds.labels);
      const out = canShare ? sharedRows(p.rows) : undefined;
      for (const list of lists ?? []) {
        list.counts.fill(0);
        list.worst.fill(Infinity);
      }
      await this.broadcast(
        () => ({ task: { kind: "nearestBegin", labels: current, out } }),
        signal,
      );
      const near = await this.screenAndRank(p.rows, 1, screened, out, signal);
      rounds.round(near.ids, near.keys, (i, j) => scaledWeight(pairWeight(p, metric, i, j), scale));
    }
    return rounds.bridges;
  }

  // -------------------------------------------------------------------------
  // shortest paths

  async shortestPaths(
    graph: Graph,
    sources: number | ArrayLike<number>,
    options: ShortestPathOptions & CallOptions = {},
  ): Promise<ShortestPaths> {
    const n = checkGraph(graph);
    if (typeof options !== "object" || options === null) {
      throw typeError("options", options, "{ limit, targets, predecessors, reduce, signal }");
    }
    checkKeys("options", options, ["limit", "targets", "predecessors", "reduce", "signal"]);
    const ids = checkIds("sources", sources, n);
    const limit = options.limit;
    if (limit !== undefined && (typeof limit !== "number" || Number.isNaN(limit) || limit < 0)) {
      throw rangeError("options.limit", limit, "a non-negative number or Infinity");
    }
    const targets =
      options.targets === undefined ? undefined : checkIds("targets", options.targets, n);
    const predecessors = checkFlag("options.predecessors", options.predecessors);
    const reduce =
      options.reduce === undefined
        ? undefined
        : checkChoice("options.reduce", options.reduce, ["min"]);
    const rows = reduce === "min" ? 1 : ids.length;
    if (rows * n > 2 ** 31 - 1) {
      throw rangeError(
        "sources.length",
        ids.length,
        `at most ${Math.floor((2 ** 31 - 1) / n)} rows of ${n} nodes`,
      );
    }
    const signal = options.signal;
    const base = { limit, targets, predecessors, reduce };

    return this.serial(signal, async () => {
      // the multi-source run is one Dijkstra: it goes to one worker whole
      if (reduce === "min") {
        const [result] = await this.dispatch(
          [
            (t) => ({
              task: {
                kind: "paths",
                graph: this.graphRef(graph, t),
                sources: ids,
                options: base,
                rowStart: 0,
              },
            }),
          ],
          signal,
        );
        return result as ShortestPaths;
      }

      const out = canShare
        ? {
            distances: new SharedArrayBuffer(rows * n * 8),
            predecessors: predecessors ? new SharedArrayBuffer(rows * n * 4) : undefined,
          }
        : undefined;
      const chunks = chunksOf(rows, Math.ceil(rows / (this.threads * 4)));
      const results = (await this.dispatch(
        chunks.map(([a, b]) => (t) => ({
          task: {
            kind: "paths",
            graph: this.graphRef(graph, t),
            sources: ids.slice(a, b),
            options: base,
            rowStart: a,
            out,
          },
        })),
        signal,
      )) as (ShortestPaths | undefined)[];

      const distances = out ? new Float64Array(out.distances) : new Float64Array(rows * n);
      const preds = out?.predecessors
        ? new Int32Array(out.predecessors)
        : predecessors
          ? new Int32Array(rows * n)
          : undefined;
      if (!out) {
        chunks.forEach(([a], c) => {
          distances.set(results[c]!.distances, a * n);
          if (preds) preds.set(results[c]!.predecessors!, a * n);
        });
      }
      return preds ? { distances, predecessors: preds } : { distances };
    });
  }

  // -------------------------------------------------------------------------
  // geodesic distances from a query

  async geodesicFrom(
    graph: Graph,
    points: PointsInput,
    query: ArrayLike<number>,
    options: GeodesicOptions & CallOptions = {},
  ): Promise<Float64Array> {
    // the worker's geodesicFrom checks the values of the points (in WebAssembly)
    const { n, metric, p, q, k, pred } = checkGeodesicArgs(graph, points, query, options, false, [
      "signal",
    ]);
    const signal = options.signal;

    return this.serial(signal, async () => {
      const ref = { data: shared(p.data), rows: n, dim: p.dim };
      const [result] = await this.dispatch(
        [
          (t) => ({
            task: {
              kind: "geodesic",
              graph: this.graphRef(graph, t),
              points: ref,
              query: q,
              k,
              metric,
              predecessors: pred !== undefined,
            },
          }),
        ],
        signal,
      );
      const { distances, predecessors } = result as {
        distances: Float64Array;
        predecessors?: Int32Array;
      };
      if (pred && predecessors) pred.set(predecessors);
      return distances;
    });
  }

  // -------------------------------------------------------------------------
  // all pairs

  async allPairs(
    graph: Graph,
    options: Omit<AllPairsOptions, "out"> & CallOptions = {},
  ): Promise<Float32Array> {
    const { nodes: n, sources, length } = planAllPairs(graph, options, ["signal"]);
    if ((options as AllPairsOptions).out !== undefined) {
      throw typeError(
        "options.out",
        (options as AllPairsOptions).out,
        "undefined: the pool allocates a shared result",
      );
    }
    const rows = sources.length;
    const what = `allPairs from ${rows} sources over ${n} nodes`;
    const signal = options.signal;

    return this.serial(signal, async () => {
      const out = canShare ? sharedResult(length, what) : undefined;
      const size = Math.min(256, Math.max(1, Math.ceil(rows / (this.threads * 8))));
      const chunks = chunksOf(rows, size);
      const results = await this.dispatch(
        chunks.map(([a, b]) => (t) => ({
          task: {
            kind: "allPairs",
            graph: this.graphRef(graph, t),
            sources: sources.slice(a, b),
            rowStart: a,
            out,
          },
        })),
        signal,
      );
      if (out) return new Float32Array(out);
      const result = allocateResult(length, what);
      chunks.forEach(([a], c) => result.set(results[c] as Float32Array, a * n));
      return result;
    });
  }
}

function sharedResult(length: number, what: string): SharedArrayBuffer {
  try {
    return new SharedArrayBuffer(length * 4);
  } catch (error) {
    throw new RangeError(
      `${what} needs ${length * 4} bytes for its float32 result, which could not be ` +
        `allocated (${(error as Error).message}); compute it in blocks of sources`,
    );
  }
}

function checkSignal(signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw typeError("options.signal", signal, "an AbortSignal");
  }
}

function checkFlag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw typeError(name, value, "true or false");
  return value;
}

/** [start, end) chunks of `size` over `count` rows. */
function chunksOf(count: number, size: number): [number, number][] {
  const chunks: [number, number][] = [];
  for (let a = 0; a < count; a += size) chunks.push([a, Math.min(count, a + size)]);
  return chunks;
}

/**
 * Ranges of the lower row i that hold about equal numbers of pairs
 * (i, j), i < j: row i has rows - 1 - i of them, so early ranges are
 * short. Bounds are multiples of `align` (the kernel's four-row blocks).
 */
export function pairRanges(rows: number, parts: number, align: number): [number, number][] {
  const total = (rows * (rows - 1)) / 2;
  const b2 = 2 * rows - 1;
  const bounds = [0];
  for (let t = 1; t < parts; t++) {
    // the b with b (rows - 1) - b (b - 1) / 2 = total * t / parts
    const exact = (b2 - Math.sqrt(b2 * b2 - (8 * total * t) / parts)) / 2;
    const b = Math.min(rows, Math.round(exact / align) * align);
    if (b > bounds[bounds.length - 1] && b < rows) bounds.push(b);
  }
  bounds.push(rows);
  const ranges: [number, number][] = [];
  for (let r = 0; r + 1 < bounds.length; r++) ranges.push([bounds[r], bounds[r + 1]]);
  return ranges;
}

/** A worker's screened lists in shared memory: empty until it publishes, read as it writes. */
function sharedLists(n: number, wide: number): ScreenLists {
  const buffer = () => new SharedArrayBuffer(n * wide * 4);
  return {
    ids: new Int32Array(buffer()),
    keys: new Float32Array(buffer()),
    counts: new Int32Array(new SharedArrayBuffer(n * 4)),
    worst: new Float32Array(new SharedArrayBuffer(n * 4)).fill(Infinity),
  };
}

/** Room for `size` ranked slots in shared memory, which the workers fill. */
function sharedRows(size: number): RankedRows {
  return {
    ids: new Int32Array(new SharedArrayBuffer(size * 4)),
    keys: new Float32Array(new SharedArrayBuffer(size * 4)),
  };
}

/** Every row's slots from the ranked ranges (when there is no shared memory). */
function joinRanked(parts: RankedRows[], rows: number[][], n: number, slots: number) {
  const ids = new Int32Array(n * slots);
  const keys = new Float32Array(n * slots);
  rows.forEach(([from], r) => {
    ids.set(parts[r].ids, from * slots);
    keys.set(parts[r].keys, from * slots);
  });
  return { ids, keys };
}

/** From the exact lists, refined to edge weights, knnGraph's own steps (fromLists). */
function finishLists(
  p: Points,
  metric: Metric,
  mode: Mode,
  k: number,
  m: number,
  lists: RankedRows,
  scale: number,
): { csr: Csr; labels: Int32Array; count: number } {
  return arena.scoped(() => {
    const n = p.rows;
    const ids = arena.alloc(n * k * 4);
    const keys = arena.alloc(n * k * 4);
    arena.i32().set(lists.ids, ids >> 2);
    arena.f32().set(lists.keys, keys >> 2);
    const { csr, labels, count } = fromLists(p, metric, mode, k, m, ids, keys, scale);
    return { csr, labels: arena.i32().slice(labels >> 2, (labels >> 2) + n), count };
  });
}

// the exact weight of a bridge, by the same kernel as on a single thread
function pairWeight(p: Points, metric: Metric, i: number, j: number): number {
  const dim = p.dim;
  const code = METRIC_CODE[metric];
  return arena.scoped(() => {
    const w = wasm();
    const rows = arena.alloc(2 * dim * 4);
    const norms = arena.alloc(8);
    arena.f32().set(p.data.subarray(i * dim, (i + 1) * dim), rows >> 2);
    arena.f32().set(p.data.subarray(j * dim, (j + 1) * dim), (rows >> 2) + dim);
    w.rowNorms(rows, 2, dim, code, norms);
    const inv = arena.f32();
    return w.pairDistance(rows, rows + dim * 4, dim, code, inv[norms >> 2], inv[(norms >> 2) + 1]);
  });
}
