// The WebAssembly module: compiled once, instantiated once per thread, and
// its linear memory managed as a bump arena that every call resets.
//
// linear memory:
//
//   0 ........ heapBase ............ residentEnd ................ top
//   | static data | resident graph (offsets, targets, weights) | per-call arena |
//
// A view over `memory.buffer` is detached whenever memory grows, so views are
// taken through `u8()/i32()/f32()/f64()`, which rebuild them after growth; no
// view is kept across a call that can grow memory.

import { hasRelaxedSimd, shipped } from "./features.js";

/** The functions the module exports; pointers are byte offsets. */
export interface Kernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  /** Rows the last knnSelect or nearestOther had to scan directly (tests). */
  knnUncertified(): number;
  rowNorms(points: number, rows: number, dim: number, metric: number, out: number): void;
  pairDistance(
    a: number,
    b: number,
    dim: number,
    metric: number,
    invA: number,
    invB: number,
  ): number;
  queryDistances(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    query: number,
    queryInv: number,
    out: number,
  ): void;
  knnSelect(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    k: number,
    ids: number,
    keys: number,
    counts: number,
    worst: number,
  ): void;
  knnRefine(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    k: number,
    ids: number,
    keys: number,
  ): void;
  selectSmallest(
    values: number,
    n: number,
    k: number,
    ids: number,
    keys: number,
    counts: number,
    worst: number,
  ): void;
  nearestOther(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    labels: number,
    ids: number,
    keys: number,
  ): void;
  knnEdges(
    rows: number,
    k: number,
    ids: number,
    keys: number,
    symmetric: number,
    src: number,
    dst: number,
    w: number,
  ): number;
  reverseEdges(m: number, src: number, dst: number, w: number): void;
  buildCSR(
    n: number,
    m: number,
    src: number,
    dst: number,
    w: number,
    mutual: number,
    offsets: number,
    targets: number,
    weights: number,
    tmpSrc: number,
    tmpDst: number,
    tmpW: number,
    counts: number,
  ): number;
  dijkstra(
    n: number,
    offsets: number,
    targets: number,
    weights: number,
    sources: number,
    starts: number,
    count: number,
    limit: number,
    mask: number,
    wanted: number,
    dist: number,
    pred: number,
    label: number,
    heapIds: number,
    heapKeys: number,
    pos: number,
  ): number;
  /** Bytes of scratch knnSelect and screenBegin lay out; 0 when they rank every pair directly. */
  knnScratchBytes(rows: number, dim: number, k: number): number;
  // the steps of knnSelect and nearestOther, which the pool's workers run in parts
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
  screenList(part: number): number;
  screenTighten(from: number, rows: number, keys: number, counts: number, worst: number): void;
  screenMerge(
    from: number,
    to: number,
    ids: number,
    keys: number,
    counts: number,
    worst: number,
  ): void;
  screenRank(
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
    worst: number,
  ): number;
  nearestBegin(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    labels: number,
    scratch: number,
  ): void;
  knnRefineRows(
    points: number,
    dim: number,
    metric: number,
    norms: number,
    k: number,
    from: number,
    to: number,
    ids: number,
    keys: number,
  ): void;
  nearestRank(
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
  ): number;
  radiusEdges(
    points: number,
    rows: number,
    dim: number,
    metric: number,
    norms: number,
    radius: number,
    from: number,
    src: number,
    dst: number,
    w: number,
    capacity: number,
    next: number,
  ): number;
  scanRows(data: number, rows: number, dim: number, nonZero: number): number;
  scanLargest(): number;
  unitRows(data: number, rows: number, dim: number): void;
  scaleValues(data: number, count: number, scale: number): void;
  connectedComponents(
    n: number,
    offsets: number,
    targets: number,
    parent: number,
    labels: number,
  ): number;
}

/** What `init` accepts: where the .wasm is, its bytes, or a compiled module. */
export type WasmSource =
  URL | string | Response | BufferSource | WebAssembly.Module | Promise<Response>;

const PAGE_BYTES = 65536;
/** 32-bit WebAssembly addresses at most 4 GiB. */
export const MAX_MEMORY_BYTES = 65536 * PAGE_BYTES;
const NOT_INITIALIZED =
  "geodesic-knn is not initialized: await init() (or call initSync()) before this call";

// The smallest module that uses a SIMD128 instruction, `(func (result v128) v128.const 0)`:
// a runtime without SIMD128 fails to compile the real module with a message about an unknown
// opcode, so this is validated first to say what is actually missing.
// prettier-ignore
const SIMD_PROBE = /* @__PURE__ */ new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code section: no locals, v128.const
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x0b, // end
]);
const NO_SIMD =
  "this runtime lacks WebAssembly SIMD128 (fixed-width SIMD), which geodesic-knn requires: " +
  "expected Node 16.4+, Deno 1.9+, Chrome or Edge 91+, Firefox 89+ or Safari 16.4+";

let compiled: WebAssembly.Module | undefined;
let kernels: Kernels | undefined;
let compiling: Promise<void> | undefined;

// ---- which build: default or relaxed SIMD (see src/features.ts) ----------
// Where the engine has relaxed SIMD and the relaxed build ships beside the
// default one, that build is loaded: same results, faster kNN screening.
function defaultUrl(): URL {
  const relaxed = new URL("../build/geodesic-relaxed.wasm", import.meta.url);
  if (hasRelaxedSimd() && shipped(relaxed)) return relaxed;
  return new URL("../build/geodesic.wasm", import.meta.url);
}
// ---- end of the build choice ----------------------------------------------

type NodeFs = {
  readFileSync(path: URL): Uint8Array<ArrayBuffer>;
  promises: { readFile(path: URL): Promise<Uint8Array<ArrayBuffer>> };
};

// node:fs without a static import, so browser bundles stay free of it
function nodeFs(): NodeFs | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:fs") as NodeFs | undefined;
}

/** Throws a clear error where SIMD128 is missing, before anything is compiled. */
function requireSimd(caller: string): void {
  if (!WebAssembly.validate(SIMD_PROBE)) throw new Error(`${caller}: ${NO_SIMD}`);
}

function instantiate(module: WebAssembly.Module): void {
  compiled = module;
  const instance = new WebAssembly.Instance(module, {});
  kernels = instance.exports as unknown as Kernels;
  arena.reset(kernels);
}

async function compileFrom(source: WasmSource | undefined): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source as BufferSource);
  }
  if (source !== undefined && typeof source === "object" && "then" in source) {
    return compileFrom(await source);
  }
  if (typeof Response !== "undefined" && source instanceof Response) {
    // an error page compiled as .wasm would fail with a message about magic bytes
    if (!source.ok) {
      throw new Error(
        `init: the response for ${source.url || "the .wasm"} is HTTP ${source.status}`,
      );
    }
    return WebAssembly.compile(await source.arrayBuffer());
  }
  if (source !== undefined && typeof source !== "string" && !(source instanceof URL)) {
    throw new TypeError(
      `init: source is ${describe(source)}; expected a URL, a string, a Response, ` +
        "an ArrayBuffer or typed array of .wasm bytes, or a WebAssembly.Module",
    );
  }
  const url = source === undefined ? defaultUrl() : new URL(String(source), import.meta.url);
  const fs = url.protocol === "file:" ? nodeFs() : undefined;
  if (fs) return WebAssembly.compile(await fs.promises.readFile(url));
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`init: fetching ${url.href} failed with HTTP ${response.status}`);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Compiles and instantiates the WebAssembly module. Idempotent: later calls
 * resolve at once. By default the .wasm beside the package is read (Node)
 * or fetched (browsers); pass a URL, a Response, bytes or a compiled module
 * to host it yourself. Rejects with an error that says so where the runtime
 * lacks WebAssembly SIMD128.
 */
export function init(source?: WasmSource): Promise<void> {
  if (kernels) return Promise.resolve();
  compiling ??= Promise.resolve()
    .then(() => requireSimd("init"))
    .then(() => compileFrom(source))
    .then(instantiate, (error: unknown) => {
      compiling = undefined;
      throw error;
    });
  return compiling;
}

/**
 * Synchronous `init` for Node and workers: reads the .wasm from the package
 * folder (or takes bytes or a compiled module) and instantiates it.
 */
export function initSync(source?: BufferSource | WebAssembly.Module): void {
  if (kernels) return;
  requireSimd("initSync");
  if (source instanceof WebAssembly.Module) return instantiate(source);
  if (source !== undefined) return instantiate(new WebAssembly.Module(source));
  const fs = nodeFs();
  if (!fs) {
    throw new Error("initSync: no synchronous file access here; use `await init()` instead");
  }
  instantiate(new WebAssembly.Module(fs.readFileSync(defaultUrl())));
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return `${typeof value} ${String(value)}`;
  return `a ${value.constructor?.name ?? "object"}`;
}

/** The compiled module, for handing to workers. */
export function compiledModule(): WebAssembly.Module | undefined {
  return compiled;
}

/** The module's exports; throws a clear error before `init`. */
export function wasm(): Kernels {
  if (!kernels) throw new Error(NOT_INITIALIZED);
  return kernels;
}

/** Bump allocator over linear memory; see the layout at the top of the file. */
class Arena {
  private floor = 0;
  private base = 0;
  private top = 0;
  private buffer: ArrayBuffer | undefined;
  private views:
    { u8: Uint8Array; i32: Int32Array; f32: Float32Array; f64: Float64Array } | undefined;

  reset(k: Kernels): void {
    this.floor = align(k.heapBase());
    this.base = this.floor;
    this.top = this.base;
  }

  /** The first free byte above the module's static data. */
  get lowest(): number {
    return this.floor;
  }

  /** Start of the per-call arena: above the resident graph, if any. */
  get start(): number {
    return this.base;
  }

  /** Moves the start of the per-call arena (after a resident graph). */
  setBase(at: number): void {
    this.base = align(at);
    this.top = this.base;
  }

  /**
   * Runs `job` with the per-call arena, which is empty again afterwards,
   * whether the job returns or throws: nothing a call allocates outlives it.
   */
  scoped<T>(job: () => T): T {
    this.top = this.base;
    try {
      return job();
    } finally {
      this.top = this.base;
    }
  }

  /** Reserves `bytes` (16-byte aligned) and grows memory to hold them. */
  alloc(bytes: number): number {
    const at = this.top;
    const end = align(at + bytes);
    ensureMemory(end);
    this.top = end;
    return at;
  }

  u8(): Uint8Array {
    return this.fresh().u8;
  }

  i32(): Int32Array {
    return this.fresh().i32;
  }

  f32(): Float32Array {
    return this.fresh().f32;
  }

  f64(): Float64Array {
    return this.fresh().f64;
  }

  private fresh() {
    const buffer = wasm().memory.buffer;
    if (this.buffer !== buffer || !this.views) {
      this.buffer = buffer;
      this.views = {
        u8: new Uint8Array(buffer),
        i32: new Int32Array(buffer),
        f32: new Float32Array(buffer),
        f64: new Float64Array(buffer),
      };
    }
    return this.views;
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

function ensureMemory(end: number): void {
  if (end > MAX_MEMORY_BYTES) {
    throw new RangeError(
      `this job needs ${end} bytes of WebAssembly memory; at most ${MAX_MEMORY_BYTES} ` +
        "(4 GiB) can be addressed",
    );
  }
  const memory = wasm().memory;
  const have = memory.buffer.byteLength;
  if (end > have) memory.grow(Math.ceil((end - have) / PAGE_BYTES));
}

/** The single arena of this thread's instance. */
export const arena = /* @__PURE__ */ new Arena();

/**
 * Refuses a job whose scratch would not fit in 4 GiB, before anything is
 * allocated. `bytes` is the caller's total, `what` names the job.
 */
export function checkFits(bytes: number, what: string): void {
  const total = arena.start + bytes;
  if (total > MAX_MEMORY_BYTES) {
    throw new RangeError(
      `${what} needs ${Math.ceil(bytes)} bytes of WebAssembly memory, more than the ` +
        `${MAX_MEMORY_BYTES - arena.start} bytes a 32-bit WebAssembly memory can hold`,
    );
  }
}

/** Bytes of `n` items of `size` bytes each, rounded up to the arena's alignment. */
export function bytesOf(n: number, size: number): number {
  return align(n * size);
}
