// How the exact methods scale, in one run: the kNN build, Dijkstra from 32
// sources and all pairs at growing n, with time, peak memory and the growth
// exponent fitted from the rows; then the pool's speed-up on 2 threads
// (the kNN build at 128 and 384 dimensions, Dijkstra).
//
//   npm run bench:scale             full run (25 minutes or so on 2 cores)
//   npm run bench:scale -- --quick  a minute, small sizes
//
// Each row runs in a child process of its own, so that its peak resident
// memory (resourceUsage().maxRSS) is its own. Graphs go from the kNN rows to
// the others through temporary .npy files. Points: `manifold` (bench/
// manifold.ts), 128-d, k = 10, seeded.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { allPairs } from "../src/allpairs.js";
import { Graph, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { parseNpy, writeNpy } from "../src/io/npy.js";
import { createPool, type Pool } from "../src/pool.js";
import { wasm } from "../src/wasm.js";
import { machine } from "./machine.js";
import { manifold } from "./manifold.js";

const DIM = 128;
const K = 10;
const SOURCES = 32;
const WORKER = new URL("../test/pool-worker.mjs", import.meta.url);
const SELF = fileURLToPath(import.meta.url);

interface Measure {
  op: string;
  n: number;
  how: string;
  minMs: number;
  medianMs: number;
  runs: number;
  /** WebAssembly memory of every instance involved, in bytes (never shrinks: the peak). */
  wasmBytes: number;
  maxRssBytes: number;
  /** CPU time of the whole process, every thread, per run (pool rows): the parallel overhead. */
  cpuMs?: number;
  note?: string;
}

// ---------------------------------------------------------------------------
// child: one measurement

function graphFiles(dir: string, n: number) {
  return ["offsets", "targets", "weights"].map((a) => join(dir, `graph-${n}-${a}.npy`));
}

function saveGraph(dir: string, g: Graph): void {
  const [o, t, w] = graphFiles(dir, g.nodes);
  writeFileSync(o, writeNpy(g.offsets));
  writeFileSync(t, writeNpy(g.targets));
  writeFileSync(w, writeNpy(g.weights));
}

function loadGraph(dir: string, n: number): Graph {
  const [o, t, w] = graphFiles(dir, n).map((f) => parseNpy(readFileSync(f)).data);
  return new Graph({
    offsets: o as Int32Array,
    targets: t as Int32Array,
    weights: w as Float32Array,
    directed: false,
    metric: "euclidean",
    k: K,
  });
}

/** The kNN graph of a 1000 x 1000 grid, 8 neighbours each: Dijkstra past what kNN can build. */
function lattice(side: number): Graph {
  const n = side * side;
  const offsets = new Int32Array(n + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      for (const [dx, dy] of [
        [-1, -1],
        [0, -1],
        [1, -1],
        [-1, 0],
        [1, 0],
        [-1, 1],
        [0, 1],
        [1, 1],
      ]) {
        const u = x + dx;
        const v = y + dy;
        if (u < 0 || v < 0 || u >= side || v >= side) continue;
        targets.push(v * side + u);
        weights.push(dx && dy ? Math.SQRT2 : 1);
      }
      offsets[y * side + x + 1] = targets.length;
    }
  }
  return new Graph({
    offsets,
    targets: Int32Array.from(targets),
    weights: Float32Array.from(weights),
    directed: false,
  });
}

async function timeRuns(runs: number, job: () => unknown | Promise<unknown>) {
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    sink(await job());
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  const cpuMs = (used.user + used.system) / 1000 / runs;
  return { minMs: times[0], medianMs: times[Math.floor(times.length / 2)], runs, cpuMs };
}

let sinkValue = 0;
function sink(value: unknown): void {
  if (value && typeof value === "object" && "length" in value)
    sinkValue += (value as { length: number }).length;
  else if (value instanceof Graph) sinkValue += value.edges;
}

function peak(pool?: Pool) {
  const workers = pool ? pool.memoryBytes().reduce((a, b) => a + b, 0) : 0;
  return {
    wasmBytes: wasm().memory.buffer.byteLength + workers,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

async function child(args: Record<string, string>): Promise<Measure[]> {
  initSync();
  const n = Number(args.n);
  const dir = args.dir;
  const out: Measure[] = [];

  if (args.case === "knn") {
    const p = manifold(n, DIM, 1);
    const runs = n <= 20_000 ? 3 : 1;
    if (n <= 20_000) knnGraph(p, { k: K });
    let graph!: Graph;
    const t = await timeRuns(runs, () => (graph = knnGraph(p, { k: K })));
    out.push({ op: "exact kNN build", n, how: "knnGraph, 1 thread", ...t, ...peak() });
    if (graph.components !== 1) throw new Error(`the kNN graph of ${n} points is not connected`);
    saveGraph(dir, graph);
  }

  if (args.case === "paths") {
    const graph = n === 1_000_000 ? lattice(1000) : loadGraph(dir, n);
    const sources = Array.from({ length: SOURCES }, (_, i) => Math.floor((i * n) / SOURCES));
    shortestPaths(graph, sources.slice(0, 2));
    const runs = n >= 200_000 ? 2 : 5;
    const t = await timeRuns(runs, () => shortestPaths(graph, sources).distances);
    const note = n === 1_000_000 ? "1000 x 1000 grid, 8 neighbours (no kNN build)" : undefined;
    out.push({
      op: `Dijkstra, ${SOURCES} sources`,
      n,
      how: "shortestPaths, 1 thread",
      ...t,
      ...peak(),
      note,
    });
  }

  if (args.case === "allpairs") {
    const graph = loadGraph(dir, n);
    const threads = Number(args.threads);
    const how = threads > 1 ? `pool.allPairs, ${threads} threads` : "allPairs, 1 thread";
    try {
      if (threads > 1) {
        const pool = await createPool({ threads, worker: WORKER });
        const t = await timeRuns(1, () => pool.allPairs(graph));
        out.push({
          op: "all pairs",
          n,
          how,
          ...t,
          ...peak(pool),
          note: `${n * n * 4} bytes of float32`,
        });
        await pool.close();
      } else {
        const t = await timeRuns(1, () => allPairs(graph));
        out.push({
          op: "all pairs",
          n,
          how,
          ...t,
          ...peak(),
          note: `${n * n * 4} bytes of float32`,
        });
      }
    } catch (error) {
      const zero = { minMs: NaN, medianMs: NaN, runs: 0, ...peak() };
      out.push({ op: "all pairs", n, how, ...zero, note: `refused: ${(error as Error).message}` });
    }
  }

  if (args.case === "pool") out.push(...(await poolSpeedups(dir, n)));
  return out;
}

/** Single thread against the pool, side by side in one process. */
async function poolSpeedups(dir: string, n: number): Promise<Measure[]> {
  const pools = [
    await createPool({ threads: 1, worker: WORKER }),
    await createPool({ threads: 2, worker: WORKER }),
  ];
  const graph = loadGraph(dir, Number(process.env.POOL_PATHS_N ?? 40_000));
  const sources = Array.from({ length: 256 }, (_, i) => Math.floor((i * graph.nodes) / 256));
  const threads = (t: number) => `${t} thread${t > 1 ? "s" : ""}`;
  const knn = async (dim: number, rounds: number) => {
    const p = manifold(n, dim, 1);
    const op = dim === DIM ? "exact kNN build" : `exact kNN build, ${dim}-d`;
    return interleaved(op, n, rounds, [
      ["knnGraph, 1 thread", () => knnGraph(p, { k: K })],
      ...pools.map((pool): Job => [
        `pool.knnGraph, ${threads(pool.threads)}`,
        () => pool.knnGraph(p, { k: K }),
      ]),
    ]);
  };
  const out = [
    ...(await knn(DIM, 7)),
    ...(await knn(384, 5)),
    ...(await interleaved("Dijkstra, 256 sources", graph.nodes, 5, [
      ["shortestPaths, 1 thread", () => shortestPaths(graph, sources).distances],
      ...pools.map((pool): Job => [
        `pool.shortestPaths, ${threads(pool.threads)}`,
        async () => (await pool.shortestPaths(graph, sources)).distances,
      ]),
    ])),
  ];
  for (const pool of pools) await pool.close();
  return out;
}

type Job = [how: string, run: () => unknown];

/**
 * Each job once per round, `rounds` times over, after a warm-up round: on a
 * shared machine every job then meets the same conditions, and the min of
 * each is its time on the quietest moments.
 */
async function interleaved(op: string, n: number, rounds: number, jobs: Job[]) {
  const times = jobs.map(() => [] as number[]);
  const cpu = jobs.map(() => 0);
  for (let round = -1; round < rounds; round++) {
    for (const [j, [, run]] of jobs.entries()) {
      const used = process.cpuUsage();
      const t = performance.now();
      sink(await run());
      if (round < 0) continue;
      times[j].push(performance.now() - t);
      const d = process.cpuUsage(used);
      cpu[j] += (d.user + d.system) / 1000;
    }
  }
  return jobs.map(([how], j): Measure => {
    const sorted = times[j].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)];
    const mem = { wasmBytes: NaN, maxRssBytes: NaN };
    return { op, n, how, minMs: sorted[0], medianMs, runs: rounds, cpuMs: cpu[j] / rounds, ...mem };
  });
}

// ---------------------------------------------------------------------------
// parent: every row in its own process, then the table

const measured: Measure[] = [];

function run(args: Record<string, string | number>): Measure[] {
  const flags = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const result = spawnSync(process.execPath, [...process.execArgv, SELF, "--child", ...flags], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.status !== 0) throw new Error(`${JSON.stringify(args)} failed with ${result.status}`);
  const lines = result.stdout.trim().split("\n");
  // JSON writes NaN (a refused or skipped row) as null
  const rows = JSON.parse(lines[lines.length - 1], (_, v) => (v === null ? NaN : v)) as Measure[];

  // every row as soon as it is measured, should a later one fail
  measured.push(...rows);
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(new URL("./results/scale.partial.tmp", import.meta.url), JSON.stringify(measured));
  for (const r of rows) {
    console.error(
      `  ${r.op}, n = ${r.n}, ${r.how}: ${r.minMs.toFixed(1)} ms ` +
        `(load ${os.loadavg()[0].toFixed(2)})`,
    );
  }
  return rows;
}

// The machine is shared: an all-pairs row runs only when its result fits in
// the memory free now with 4 GiB to spare, since running out of memory would
// take down more than this benchmark. Rows past one typed array (n > 65,536)
// run anyway: they are refused before allocating anything.
const MARGIN_BYTES = 4 * 2 ** 30;

function fitsInRam(n: number): boolean {
  return n * n > 2 ** 32 - 1 || n * n * 4 + MARGIN_BYTES < os.freemem();
}

function skipped(n: number): Measure[] {
  const note = `skipped: needs ${n * n * 4} bytes, ${os.freemem()} free (4 GiB margin kept)`;
  const none = { minMs: NaN, medianMs: NaN, runs: 0, wasmBytes: NaN, maxRssBytes: NaN };
  return [{ op: "all pairs", n, how: "pool.allPairs, 2 threads", ...none, note }];
}

/** Least-squares slope of log(time) against log(n). */
function exponent(rows: Measure[]): number {
  const pts = rows
    .filter((r) => Number.isFinite(r.minMs))
    .map((r) => [Math.log(r.n), Math.log(r.minMs)]);
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const sxy = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const sxx = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return sxy / sxx;
}

const mib = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(0) : "");
const ms = (t: number) =>
  Number.isFinite(t) ? (t >= 1e4 ? (t / 1000).toFixed(1) + " s" : t.toFixed(1) + " ms") : "";

async function parent(quick: boolean): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), "geodesic-scale-"));
  const knnSizes = quick ? [1000, 4000, 10_000] : [1000, 10_000, 20_000, 40_000, 100_000, 200_000];
  const pathSizes = quick ? knnSizes : [...knnSizes, 1_000_000];
  const pairSizes = quick ? [1000, 4000] : [1000, 10_000, 20_000, 40_000, 100_000];
  const loads: number[] = [];
  const rows: Measure[] = [];
  try {
    for (const n of knnSizes)
      (rows.push(...run({ case: "knn", n, dir })), loads.push(os.loadavg()[0]));
    for (const n of pathSizes)
      (rows.push(...run({ case: "paths", n, dir })), loads.push(os.loadavg()[0]));
    for (const n of pairSizes) {
      rows.push(...(fitsInRam(n) ? run({ case: "allpairs", n, dir, threads: 2 }) : skipped(n)));
      loads.push(os.loadavg()[0]);
    }
    process.env.POOL_PATHS_N = String(quick ? 10_000 : 40_000);
    const speed = run({ case: "pool", n: quick ? 4000 : 20_000, dir });
    loads.push(os.loadavg()[0]);
    report(rows, speed, loads, quick);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(rows: Measure[], speed: Measure[], loads: number[], quick: boolean): void {
  const info = machine();
  console.log(`geodesic-knn scale benchmark, ${info.date}`);
  console.log(
    `${info.cpu} (${info.cores} cores, ${info.memoryGiB} GiB), Node ${info.node}, load ` +
      `average ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)} during the run`,
  );
  console.log(
    `points: ${DIM}-d manifold (bench/manifold.ts), k = ${K}, union, euclidean; ` +
      "times are the min of the runs",
  );
  console.log("");
  console.log("| op | n | how | time | runs | peak WASM (MiB) | peak RSS (MiB) | note |");
  console.log("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.op} | ${r.n.toLocaleString("en")} | ${r.how} | ${ms(r.minMs)} | ${r.runs} | ` +
        `${mib(r.wasmBytes)} | ${mib(r.maxRssBytes)} | ${r.note ?? ""} |`,
    );
  }
  console.log("");
  console.log("Growth exponents (least squares of log time on log n, rows n >= 10,000):");
  for (const op of [...new Set(rows.map((r) => r.op))]) {
    const fit = rows.filter(
      (r) =>
        r.op === op && r.n >= (quick ? 4000 : 10_000) && r.note?.startsWith("refused") !== true,
    );
    console.log(
      `- ${op}: ${exponent(fit).toFixed(2)} (from n = ${fit.map((r) => r.n).join(", ")})`,
    );
  }
  console.log("");
  console.log(
    "| op | n | how | min | median | runs | CPU per run, all threads | " +
      "speed-up over 1 thread (min) |",
  );
  console.log("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of speed) {
    const base = speed.find(
      (s) => s.op === r.op && s.how.endsWith(", 1 thread") && !s.how.startsWith("pool"),
    )!;
    console.log(
      `| ${r.op} | ${r.n.toLocaleString("en")} | ${r.how} | ${ms(r.minMs)} | ` +
        `${ms(r.medianMs)} | ${r.runs} | ${ms(r.cpuMs ?? NaN)} | ` +
        `${(base.minMs / r.minMs).toFixed(2)}x |`,
    );
  }
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  const file = new URL(`./results/scale${quick ? "-quick" : ""}.json`, import.meta.url);
  writeFileSync(
    file,
    JSON.stringify({ machine: info, dim: DIM, k: K, loads, rows, speed }, null, 2),
  );
  console.error(`written ${fileURLToPath(file)}`);
}

const argv = process.argv.slice(2);
if (argv.includes("--child")) {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++)
    if (argv[i].startsWith("--") && argv[i] !== "--child") args[argv[i].slice(2)] = argv[++i];
  const rows = await child(args);
  console.log(`(sink ${sinkValue})`);
  console.log(JSON.stringify(rows));
} else {
  await parent(argv.includes("--quick"));
}
