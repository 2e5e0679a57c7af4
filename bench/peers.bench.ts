// This package side by side with its peers, in one process tree and one run:
// exact kNN graph build, Dijkstra from 32 sources, and the geodesic distance
// from an outside query, on seeded inputs, k = 10.
//
//   npm run bench:peers              full run (about 20 minutes)
//   npm run bench:peers -- --quick   a few seconds, small inputs
//
// Peers: scikit-learn and SciPy through bench/peers.py (Debian's python3,
// inputs passed as .npy files, timed inside Python around the call alone),
// the plain TypeScript reference (src/reference), umap-js's NN-descent and
// hnswlib-node (approximate: their recall is printed beside their time),
// graphology-shortest-path and ngraph.path. The relaxed-SIMD build runs in
// a child Node with --experimental-wasm-relaxed-simd. Every figure is the
// min and the median of several calls after a warm-up call, in ms; the
// ratio is the peer's min over this package's min (above 1: this package
// is faster). A peer that cannot be loaded is listed as missing.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hasRelaxedSimd } from "../src/features.js";
import {
  geodesicFrom,
  initSync,
  knnGraph,
  shortestPaths,
  type Graph,
  type Points,
} from "../src/index.js";
import { writeNpy } from "../src/io/npy.js";
import { dijkstra, knnLists } from "../src/reference/index.js";
import { gaussian, rng } from "../test/random.js";
import { clustered, wordVectors } from "./inputs.js";
import { machine } from "./machine.js";

const quick = process.argv.includes("--quick");
const child = process.argv.includes("--child-relaxed");
const K = 10;
const SOURCES = 32;
const PYTHON = "/usr/bin/python3";
/** float32 SIMD128 peak of one core here: 128-bit mul + add, 16 flops a cycle (see README). */
const SIMD128_PEAK_GFLOPS = 57;
let sink = 0;

type Input = Points & { label: string };

// useful flops of a kNN build (n(n-1)/2 pairs, 2 dim flops each) per second
function peakNote(rows: number, dim: number, ms: number, extra: string): string {
  const gflops = (rows * (rows - 1) * dim) / ms / 1e6;
  const share = (100 * gflops) / SIMD128_PEAK_GFLOPS;
  return (
    `${gflops.toFixed(1)} GFLOP/s useful, ${share.toFixed(0)}% of the ` +
    `${SIMD128_PEAK_GFLOPS} GFLOP/s SIMD128 peak; connect: "none"${extra}`
  );
}

function inputs(): Input[] {
  return quick
    ? [wordVectors(600), clustered(1500, 32, 3)]
    : [wordVectors(3000), clustered(20000, 384, 2), clustered(50000, 64, 3)];
}

interface Timing {
  minMs: number;
  medianMs: number;
  reps: number;
  samples?: number[];
}

interface Row {
  op: string;
  input: string;
  peer: string;
  minMs: number | null;
  medianMs: number | null;
  ratio: number | null;
  note?: string;
  // the timings behind the figures, read at the end (this package's may
  // still gain samples after the row is added)
  timing?: Timing | null;
  base?: Timing;
}

/** min and median of `reps` calls after one warm-up call (none when `warm` is false). */
// a slow peer timed on `few` of the sources, scaled to all of them
function scaledToAll(t: Timing, few: number): Timing {
  return { ...t, minMs: (t.minMs * SOURCES) / few, medianMs: (t.medianMs * SOURCES) / few };
}

function scaledNote(few: number): string {
  return few < SOURCES ? `; ${few} sources timed, scaled x${SOURCES / few}` : "";
}

function time(fn: () => void, reps: number, warm = true): Timing {
  if (warm) fn();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return merge({ minMs: Infinity, medianMs: NaN, reps: 0, samples: [] }, times);
}

// adds `times` to a timing: min and median over every sample
function merge(t: Timing, times: number[]): Timing {
  const all = [...(t.samples ?? []), ...times].sort((a, b) => a - b);
  t.samples = all;
  t.minMs = all[0];
  t.medianMs = all[Math.floor(all.length / 2)];
  t.reps = all.length;
  return t;
}

// exact neighbour sets, row by row, for the recall of the approximate peers
function exactSets(p: Input): Set<number>[] {
  const g = knnGraph(p, { k: K, mode: "directed", connect: "none" });
  return Array.from(
    { length: p.rows },
    (_, i) => new Set(g.targets.subarray(g.offsets[i], g.offsets[i + 1])),
  );
}

function recall(exact: Set<number>[], found: (i: number) => Iterable<number>): number {
  let hit = 0;
  for (let i = 0; i < exact.length; i++) {
    let taken = 0;
    for (const j of found(i)) {
      if (j === i || taken === K) continue;
      taken++;
      if (exact[i].has(j)) hit++;
    }
  }
  return hit / (exact.length * K);
}

function rowsOf(p: Input): number[][] {
  return Array.from({ length: p.rows }, (_, i) =>
    Array.from(p.data.subarray(i * p.dim, (i + 1) * p.dim)),
  );
}

// ---- the relaxed-SIMD child: times knnGraph and prints JSON ---------------

// knnSelect alone in both builds, instantiated side by side and timed in
// turns: the gain of relaxed SIMD without the noise between two processes
function kernelsSideBySide(p: Input): { defaultMs: number; relaxedMs: number } {
  type Raw = {
    memory: WebAssembly.Memory;
    heapBase(): number;
    rowNorms(...a: number[]): void;
    knnSelect(...a: number[]): void;
  };
  const builds = ["geodesic.wasm", "geodesic-relaxed.wasm"].map((file) => {
    const bytes = readFileSync(new URL(`../build/${file}`, import.meta.url));
    const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Raw;
    const align = (x: number) => Math.ceil(x / 16) * 16;
    const points = align(e.heapBase());
    const norms = points + align(p.data.length * 4);
    const ids = norms + align(p.rows * 4);
    const keys = ids + align(p.rows * K * 4);
    const counts = keys + align(p.rows * K * 4);
    const worst = counts + align(p.rows * 4);
    e.memory.grow(Math.ceil((worst + p.rows * 4) / 65536));
    new Float32Array(e.memory.buffer).set(p.data, points >> 2);
    e.rowNorms(points, p.rows, p.dim, 0, norms);
    return () => e.knnSelect(points, p.rows, p.dim, 0, norms, K, ids, keys, counts, worst);
  });
  const best = [Infinity, Infinity];
  for (let round = 0; round < (p.rows > 5000 ? 3 : 6); round++) {
    builds.forEach((run, b) => {
      const start = performance.now();
      run();
      best[b] = Math.min(best[b], performance.now() - start);
    });
  }
  return { defaultMs: best[0], relaxedMs: best[1] };
}

if (child) {
  const which = Number(process.argv[process.argv.indexOf("--child-relaxed") + 1]);
  const p = inputs()[which];
  initSync();
  const shipped = existsSync(new URL("../build/geodesic-relaxed.wasm", import.meta.url));
  const result = {
    relaxed: hasRelaxedSimd() && shipped,
    shipped,
    kernels: shipped ? kernelsSideBySide(p) : undefined,
    timing: time(
      () => (sink += knnGraph(p, { k: K, connect: "none" }).edges),
      p.rows > 5000 ? 3 : 5,
    ),
  };
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

// ---- peers -----------------------------------------------------------------

async function load<T>(name: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch {
    return undefined;
  }
}

const umapJs = await load<{ UMAP: new (o: object) => unknown }>("umap-js");
const hnsw = await load<{
  default: {
    HierarchicalNSW: new (
      space: string,
      dim: number,
    ) => {
      initIndex(n: number, m: number, ef: number, seed: number): void;
      addPoint(p: number[], label: number): void;
      setEf(ef: number): void;
      searchKnn(p: number[], k: number): { neighbors: number[] };
    };
  };
}>("hnswlib-node");
const graphology = await load<{ default: new (o: object) => GraphologyGraph }>("graphology");
const gsp = await load<{
  dijkstra: { singleSource(g: GraphologyGraph, s: string, w: string): Record<string, string[]> };
}>("graphology-shortest-path");
const ngraphGraph = await load<{ default: () => NgraphGraph }>("ngraph.graph");
const ngraphPath = await load<{
  aStar(
    g: NgraphGraph,
    o: { oriented: boolean; distance(a: unknown, b: unknown, l: { data: number }): number },
  ): { find(from: number, to: number): unknown[] };
}>("ngraph.path");

interface GraphologyGraph {
  addNode(n: string): void;
  addEdge(a: string, b: string, attrs: { weight: number }): void;
}
interface NgraphGraph {
  addNode(n: number): void;
  addLink(a: number, b: number, data: number): void;
}

function version(pkg: string): string {
  try {
    const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, "utf8")).version;
  } catch {
    return "missing";
  }
}

// the Python peers of one input, in one child with `threads` BLAS threads
interface PyTiming {
  min: number;
  median: number;
  reps: number;
  checksum?: number;
}
interface PyOut {
  python?: string;
  numpy?: string;
  scipy?: string;
  sklearn?: string;
  blas?: unknown;
  jobs: Record<string, unknown>[];
  error?: string;
}

function python(tasks: object, dir: string, threads: number): PyOut {
  if (!existsSync(PYTHON)) return { jobs: [], error: `${PYTHON} not found` };
  const file = join(dir, `tasks-${threads}.json`);
  writeFileSync(file, JSON.stringify(tasks));

  // OpenBLAS core-type overrides slow a current numpy: unset both, in this
  // child only, and let threadpoolctl report the kernel it then runs
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  for (const name of ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"]) {
    env[name] = String(threads);
  }
  const script = fileURLToPath(new URL("./peers.py", import.meta.url));
  const r = spawnSync(PYTHON, [script, file], { env, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) return { jobs: [], error: (r.stderr || String(r.error)).trim().slice(-400) };
  return JSON.parse(r.stdout) as PyOut;
}

function npy(dir: string, name: string, data: Float32Array | Int32Array, shape: number[]) {
  const file = join(dir, `${name}.npy`);
  writeFileSync(file, writeNpy(data, shape));
  return file;
}

// ---- the run ------------------------------------------------------------------

initSync();
const rows: Row[] = [];
const pyInfo: Record<string, unknown> = {};
const dir = mkdtempSync(join(tmpdir(), "geodesic-peers-"));
const selfFile = fileURLToPath(import.meta.url);

function add(
  op: string,
  input: string,
  peer: string,
  t: Timing | null,
  base: Timing,
  note?: string,
) {
  rows.push({
    op,
    input,
    peer,
    minMs: null,
    medianMs: null,
    ratio: null,
    ...(note ? { note } : {}),
    timing: t,
    base,
  });
}

function fromPy(job: Record<string, unknown> | undefined, key?: string): Timing | null {
  const t = (key ? job?.[key] : job) as PyTiming | undefined;
  return t && typeof t.min === "number"
    ? { minMs: t.min * 1000, medianMs: t.median * 1000, reps: t.reps }
    : null;
}

try {
  const all = inputs();
  for (const [index, p] of all.entries()) {
    const big = p.rows > 5000;
    const tag = p.label;
    console.error(`${tag}: kNN graph build`);

    // exact kNN graph: connect "none" builds what sklearn builds (no bridging)
    const op = "kNN graph build";
    const ours = time(() => (sink += knnGraph(p, { k: K, connect: "none" }).edges), big ? 3 : 5);
    add(op, tag, "geodesic-knn (SIMD128)", ours, ours, peakNote(p.rows, p.dim, ours.minMs, ""));
    const ourRow = rows[rows.length - 1];

    // the relaxed-SIMD build, in a child Node that has the feature
    const r = spawnSync(
      process.execPath,
      [
        "--experimental-wasm-relaxed-simd",
        "--import",
        "tsx",
        selfFile,
        "--child-relaxed",
        String(index),
        ...(quick ? ["--quick"] : []),
      ],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    );
    const relaxed = r.status === 0 ? JSON.parse(r.stdout) : undefined;
    if (relaxed?.relaxed) {
      const { defaultMs, relaxedMs } = relaxed.kernels;
      add(
        op,
        tag,
        "geodesic-knn (relaxed SIMD)",
        relaxed.timing,
        ours,
        `a child ${process.version} with --experimental-wasm-relaxed-simd; knnSelect alone, ` +
          `both builds in turns there: ${defaultMs.toFixed(1)} vs ${relaxedMs.toFixed(1)} ms ` +
          `(relaxed ${(defaultMs / relaxedMs).toFixed(2)}x faster)`,
      );
    } else {
      const why = relaxed && !relaxed.shipped ? "build/geodesic-relaxed.wasm not built" : r.stderr;
      add(op, tag, "geodesic-knn (relaxed SIMD)", null, ours, `missing: ${why.slice(-200)}`);
    }

    // the plain TypeScript reference answers a slice of rows on big inputs
    const slice = big ? Math.max(100, Math.floor(8e6 / p.rows)) : p.rows;
    const ref = time(
      () => (sink += knnLists(p.data, p.rows, p.dim, K, "euclidean", slice).ids[0]),
      big ? 2 : 3,
    );
    const scale = p.rows / slice;
    add(
      op,
      tag,
      "reference (plain TS, float64)",
      { ...ref, minMs: ref.minMs * scale, medianMs: ref.medianMs * scale },
      ours,
      scale > 1 ? `timed on ${slice} of ${p.rows} rows, scaled x${scale.toFixed(1)}` : undefined,
    );

    // approximate peers, with their recall of the exact neighbours
    const exact = exactSets(p);
    const arrays = rowsOf(p);
    if (umapJs) {
      let found: number[][] = [];
      const random = rng(42);
      const t = time(
        () => {
          const umap = new umapJs.UMAP({ nNeighbors: K + 1, random }) as {
            nearestNeighbors(x: number[][]): { knnIndices: number[][] };
          };
          found = umap.nearestNeighbors(arrays).knnIndices;
        },
        big ? 1 : 3,
        !big,
      );
      const rec = recall(exact, (i) => found[i]);
      add(op, tag, "umap-js NN-descent (approx.)", t, ours, `recall ${rec.toFixed(3)}`);
    } else add(op, tag, "umap-js NN-descent (approx.)", null, ours, "missing");

    if (hnsw) {
      let found: number[][] = [];
      const t = time(
        () => {
          const index = new hnsw.default.HierarchicalNSW("l2", p.dim);
          index.initIndex(p.rows, 16, 200, 100);
          for (let i = 0; i < p.rows; i++) index.addPoint(arrays[i], i);
          index.setEf(64);
          found = arrays.map((row) => index.searchKnn(row, K + 1).neighbors);
        },
        big ? 1 : 3,
        !big,
      );
      const rec = recall(exact, (i) => found[i]);
      add(
        op,
        tag,
        "hnswlib-node (approx.)",
        t,
        ours,
        `recall ${rec.toFixed(3)}; M 16, efConstruction 200, ef 64; build + query every point`,
      );
    } else add(op, tag, "hnswlib-node (approx.)", null, ours, "missing");

    // ---- Dijkstra over the union graph (bridged into one component) ----------
    console.error(`${tag}: Dijkstra`);
    const graph: Graph = knnGraph(p, { k: K });
    const n = graph.nodes;
    const sources = Array.from({ length: SOURCES }, (_, i) => Math.floor((i * n) / SOURCES));
    const dop = `Dijkstra from ${SOURCES} sources`;
    let ourRows: Float64Array = new Float64Array(0);
    const dOurs = time(() => (ourRows = shortestPaths(graph, sources).distances), big ? 5 : 10);
    let ourMin: Float64Array = new Float64Array(0);
    const mOurs = time(
      () => (ourMin = shortestPaths(graph, sources, { reduce: "min" }).distances),
      big ? 5 : 10,
    );
    add(dop, tag, "geodesic-knn", dOurs, dOurs, `${n} nodes, ${graph.edges} directed edges`);
    const dRef = time(
      () => {
        for (const s of sources) sink += dijkstra(graph, [s]).distances[1];
      },
      big ? 5 : 10,
    );
    add(dop, tag, "reference (typed arrays, binary heap)", dRef, dOurs, "one source at a time");

    if (graphology && gsp) {
      const g = new graphology.default({ type: "undirected" });
      for (let u = 0; u < n; u++) g.addNode(String(u));
      for (let u = 0; u < n; u++) {
        for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
          const v = graph.targets[e];
          if (u < v) g.addEdge(String(u), String(v), { weight: graph.weights[e] });
        }
      }
      const few = p.rows > 30000 ? 8 : SOURCES;
      const t = time(
        () => {
          for (const s of sources.slice(0, few)) {
            sink += Object.keys(gsp.dijkstra.singleSource(g, String(s), "weight")).length;
          }
        },
        1,
        !big,
      );
      add(
        dop,
        tag,
        "graphology-shortest-path",
        scaledToAll(t, few),
        dOurs,
        "dijkstra.singleSource (paths to every node) per source" + scaledNote(few),
      );
    } else add(dop, tag, "graphology-shortest-path", null, dOurs, "missing");

    if (ngraphGraph && ngraphPath) {
      const g = ngraphGraph.default();
      for (let u = 0; u < n; u++) g.addNode(u);
      for (let u = 0; u < n; u++) {
        for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
          if (u < graph.targets[e]) g.addLink(u, graph.targets[e], graph.weights[e]);
        }
      }
      // single-pair only: each source to the node farthest from it, so the
      // search settles (almost) every node, as a full single-source run does
      const far = sources.map((_, r) => {
        let best = 0;
        for (let v = 0; v < n; v++) if (ourRows[r * n + v] > ourRows[r * n + best]) best = v;
        return best;
      });
      const finder = ngraphPath.aStar(g, { oriented: false, distance: (_a, _b, l) => l.data });
      const few = p.rows > 30000 ? 8 : SOURCES;
      const t = time(
        () => {
          for (let r = 0; r < few; r++) sink += finder.find(sources[r], far[r]).length;
        },
        1,
        !big,
      );
      add(
        dop,
        tag,
        "ngraph.path",
        scaledToAll(t, few),
        dOurs,
        "aStar without heuristic (Dijkstra), one pair per source: to its farthest node" +
          scaledNote(few),
      );
    } else add(dop, tag, "ngraph.path", null, dOurs, "missing");

    // ---- geodesic from an outside query ----------------------------------------
    const g = gaussian(rng(5 + index));
    const query = Float32Array.from({ length: p.dim }, (_, d) => p.data[d] + 0.5 * g());
    const gop = "geodesic from a query";
    let ourGeo: Float64Array = new Float64Array(0);
    const geo = time(() => (ourGeo = geodesicFrom(graph, p, query, { k: K })), big ? 5 : 10);
    add(gop, tag, "geodesic-knn", geo, geo, "attach to the 10 nearest, one multi-source Dijkstra");

    // ---- Python peers of this input ------------------------------------------
    console.error(`${tag}: Python peers`);
    const files = {
      points: npy(dir, `points-${index}`, p.data, [p.rows, p.dim]),
      query: npy(dir, `query-${index}`, query, [p.dim]),
      offsets: npy(dir, `offsets-${index}`, graph.offsets, [n + 1]),
      targets: npy(dir, `targets-${index}`, graph.targets, [graph.edges]),
      weights: npy(dir, `weights-${index}`, graph.weights, [graph.edges]),
    };
    const reps = big ? 3 : 5;
    const knnJob = { id: "knn", kind: "knn", points: files.points, k: K, reps };
    const one = python(
      {
        jobs: [
          knnJob,
          { id: "dijkstra", kind: "dijkstra", nodes: n, sources, reps: big ? 5 : 10, ...files },
          { id: "geodesic", kind: "geodesic", nodes: n, k: K, reps: big ? 5 : 10, ...files },
        ],
      },
      dir,
      1,
    );
    const two = python({ jobs: [knnJob] }, dir, 2);

    // this package again, right after the Python peers: the machine is
    // shared, so its figures come from both sides of theirs
    const again = time(() => (sink += knnGraph(p, { k: K, connect: "none" }).edges), big ? 3 : 5);
    merge(ours, again.samples ?? []);
    ourRow.note = peakNote(p.rows, p.dim, ours.minMs, "; timed before and after the Python peers");
    pyInfo[tag] = {
      oneThread: { ...one, jobs: undefined },
      twoThreads: { ...two, jobs: undefined },
    };
    const job = (out: PyOut, id: string) => out.jobs.find((j) => j.id === id);
    const missing = (out: PyOut, id: string) =>
      out.error ?? `missing: ${String(job(out, id)?.missing ?? "no result")}`;

    for (const [out, threads] of [
      [one, 1],
      [two, 2],
    ] as const) {
      const t = fromPy(job(out, "knn"));
      const plural = threads > 1 ? "s" : "";
      const name = `sklearn brute kneighbors_graph (${threads} BLAS thread${plural})`;
      add(op, tag, name, t, ours, t ? "NearestNeighbors(algorithm='brute')" : missing(out, "knn"));
    }
    const dj = job(one, "dijkstra");
    const sumRows = ourRows.reduce((s, x) => (Number.isFinite(x) ? s + x : s), 0);
    const sumMin = ourMin.reduce((s, x) => (Number.isFinite(x) ? s + x : s), 0);
    const check = (theirs: unknown, mine: number) =>
      typeof theirs === "number" && Math.abs(theirs - mine) <= 1e-6 * Math.abs(mine)
        ? "same distances (checksum)"
        : `checksum differs: ${String(theirs)} vs ${mine}`;
    const rowsT = fromPy(dj, "rows");
    add(
      dop,
      tag,
      "scipy csgraph.dijkstra(indices)",
      rowsT,
      dOurs,
      rowsT ? check((dj!.rows as PyTiming).checksum, sumRows) : missing(one, "dijkstra"),
    );
    add(dop + " (min_only)", tag, "geodesic-knn (reduce: min)", mOurs, mOurs);
    const minT = fromPy(dj, "min_only");
    add(
      dop + " (min_only)",
      tag,
      "scipy csgraph.dijkstra(min_only=True)",
      minT,
      mOurs,
      minT ? check((dj!.min_only as PyTiming).checksum, sumMin) : missing(one, "dijkstra"),
    );
    const gj = job(one, "geodesic");
    const geoT = fromPy(gj);
    const sumGeo = ourGeo.reduce((s, x) => (Number.isFinite(x) ? s + x : s), 0);
    add(
      gop,
      tag,
      "numpy + scipy (attach as node n, dijkstra)",
      geoT,
      geo,
      geoT ? check((gj as unknown as PyTiming).checksum, sumGeo) : missing(one, "geodesic"),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---- report --------------------------------------------------------------------

// the CPU's family and model say more than its marketing name ("AMD EPYC")
const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(cpuinfo)?.[1];
const info = {
  ...machine(),
  cpuFamily: field("cpu family"),
  cpuModel: field("model"),
  l2: field("cache size"),
  command: `npm run bench:peers${quick ? " -- --quick" : ""}`,
  relaxedSimdInThisProcess: hasRelaxedSimd(),
  packages: Object.fromEntries(
    [
      "umap-js",
      "hnswlib-node",
      "graphology",
      "graphology-shortest-path",
      "ngraph.graph",
      "ngraph.path",
    ].map((name) => [name, version(name)]),
  ),
  python: pyInfo,
};
const fmt = (x: number | null) => (x === null ? "—" : x < 10 ? x.toPrecision(3) : x.toFixed(1));

// the figures from the timings, now final
for (const r of rows) {
  if (r.timing) {
    r.minMs = r.timing.minMs;
    r.medianMs = r.timing.medianMs;
    if (r.base) r.ratio = r.timing.minMs / r.base.minMs;
  }
  delete r.timing;
  delete r.base;
}

// grouped by input, then by operation, in the order they were measured
const opOrder = [...new Set(rows.map((r) => r.op))];
const inputOrder = [...new Set(rows.map((r) => r.input))];
const rank = (r: Row) => inputOrder.indexOf(r.input) * 100 + opOrder.indexOf(r.op);
rows.sort((a, b) => rank(a) - rank(b));
console.log(`geodesic-knn vs peers, ${info.date}: ${info.command}`);
console.log(
  `${info.cpu}, family ${info.cpuFamily} model ${info.cpuModel} (${info.cores} cores, ` +
    `${info.simd.join(" ")}), Node ${info.node}`,
);
const firstPy = Object.values(pyInfo)[0] as { oneThread?: PyOut } | undefined;
if (firstPy?.oneThread) {
  const o = firstPy.oneThread;
  console.log(
    `Python ${o.python}, NumPy ${o.numpy}, SciPy ${o.scipy}, scikit-learn ${o.sklearn}, ` +
      `BLAS ${JSON.stringify(o.blas)}`,
  );
}
console.log(`packages ${JSON.stringify(info.packages)}`);
console.log("");
console.log("| op | input | peer | min (ms) | median (ms) | peer / this package | note |");
console.log("| --- | --- | --- | ---: | ---: | ---: | --- |");
for (const r of rows) {
  console.log(
    `| ${r.op} | ${r.input} | ${r.peer} | ${fmt(r.minMs)} | ${fmt(r.medianMs)} | ` +
      `${r.ratio === null ? "—" : `${r.ratio.toFixed(2)}x`} | ${r.note ?? ""} |`,
  );
}
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
const out = new URL(`./results/peers${quick ? "-quick" : ""}.json`, import.meta.url);
writeFileSync(out, JSON.stringify({ machine: info, k: K, sources: SOURCES, rows }, null, 2));
console.error(`(sink ${sink}) written ${fileURLToPath(out)}`);
