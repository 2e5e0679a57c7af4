// Past the exact method: an approximate index (hnswlib-node) builds the
// neighbour lists, Graph.fromNeighbors turns them into a graph, and the
// figures say what that costs and what it changes:
//   - the index build and the lists of every point, timed;
//   - recall of those lists against the exact k nearest on a sample;
//   - on a subset small enough for the exact build, how far geodesic
//     distances over the ANN graph move from those over the exact graph.
//
//   npm run bench:ann                1,000,000 x 64 (about 15 minutes)
//   npm run bench:ann -- --quick     50,000 x 64
//   npm run bench:ann -- --n 200000  any size
//
// hnswlib's "l2" space reports squared distances: `squared: true`.

import hnswlib from "hnswlib-node";
import os from "node:os";
import { Graph, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { arena, wasm } from "../src/wasm.js";
import { machine } from "./machine.js";
import { manifold } from "./manifold.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const quick = argv.includes("--quick");
const N = option("n", quick ? 50_000 : 1_000_000);
const DIM = option("dim", 64);
// 32 latent dimensions: sentence embeddings are about that intrinsically; at
// 8, hnsw finds every exact neighbour and there is nothing to compare
const LATENT = option("latent", 32);
const K = 10;
const M = 16;
const EF_CONSTRUCTION = 100;
const EF_SEARCH = 64;
const EF_SWEEP = [11, 16, 32, 64];
const SAMPLE = 1000;
const SUBSET = Math.min(20_000, N);
const SOURCES = 32;

initSync();
const info = machine();
const log = (line: string) =>
  console.error(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${line}`);
const t0 = performance.now();
const loads = [os.loadavg()[0]];
const rssMiB = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

// estimates first: what the run holds at its peak, in bytes
const pointsBytes = N * DIM * 4;
const indexBytes = N * (DIM * 4 + 2 * M * 4 + 8 + 64);
const listsBytes = N * (K + 1) * 8;
const csrScratchBytes = 9 * 2 * N * (K + 1) * 4;
const estimate = pointsBytes + indexBytes + listsBytes + csrScratchBytes;
log(
  `estimate: points ${mib(pointsBytes)} MiB, hnsw index ~${mib(indexBytes)} MiB, lists ` +
    `${mib(listsBytes)} MiB, CSR build scratch ${mib(csrScratchBytes)} MiB (WASM): ` +
    `~${mib(estimate)} MiB ` +
    `of ${info.memoryGiB} GiB, beside Node's own ~150 MiB; free now ${mib(os.freemem())} MiB`,
);
if (estimate > os.freemem() * 0.6) {
  throw new Error(`this run needs about ${estimate} bytes; only ${os.freemem()} are free`);
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

function time<T>(job: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = job();
  return { value, ms: performance.now() - t };
}

/** A fresh hnsw index over `rows` points, and the time it took. */
function annIndex(data: Float32Array, rows: number) {
  const index = new hnswlib.HierarchicalNSW("l2", DIM);
  index.initIndex(rows, M, EF_CONSTRUCTION, 100);
  const build = time(() => {
    for (let i = 0; i < rows; i++) {
      index.addPoint(Array.from(data.subarray(i * DIM, (i + 1) * DIM)), i);
      if (rows >= 100_000 && i % 100_000 === 99_999) log(`  added ${i + 1} points`);
    }
  });
  return { index, buildMs: build.ms };
}

/** Every point's k + 1 nearest by the index (the point itself among them), as flat rows. */
function annSearch(index: hnswlib.HierarchicalNSW, data: Float32Array, rows: number, ef: number) {
  index.setEf(ef);
  const indices = new Int32Array(rows * (K + 1)).fill(-1);
  const distances = new Float32Array(rows * (K + 1));
  const search = time(() => {
    for (let i = 0; i < rows; i++) {
      const found = index.searchKnn(Array.from(data.subarray(i * DIM, (i + 1) * DIM)), K + 1);
      indices.set(found.neighbors, i * (K + 1));
      distances.set(found.distances, i * (K + 1));
      if (rows >= 100_000 && i % 200_000 === 199_999) log(`  searched ${i + 1} points`);
    }
  });
  return { indices, distances, searchMs: search.ms };
}

/** Share of the exact lists found in the ANN rows (each row's own point left out). */
function recallOf(
  annIds: Int32Array,
  rows: number[],
  exact: (q: number, s: number) => ArrayLike<number>,
) {
  let hits = 0;
  rows.forEach((q, s) => {
    const row = Array.from(annIds.subarray(q * (K + 1), (q + 1) * (K + 1)));
    const listed = new Set(row.filter((j) => j !== q).slice(0, K));
    for (const j of Array.from(exact(q, s))) if (listed.has(j)) hits++;
  });
  return hits / (rows.length * K);
}

/** The exact K nearest (self excluded) of `queries` rows among all, by the WASM kernels. */
function exactSample(data: Float32Array, rows: number, queries: number[]): Int32Array[] {
  return arena.scoped(() => {
    const w = wasm();
    const points = arena.alloc(data.length * 4);
    arena.f32().set(data, points >> 2);
    const norms = arena.alloc(rows * 4);
    w.rowNorms(points, rows, DIM, 0, norms);
    const dists = arena.alloc(rows * 4);
    const ids = arena.alloc((K + 1) * 4);
    const keys = arena.alloc((K + 1) * 4);
    const counts = arena.alloc(4);
    const worst = arena.alloc(4);
    return queries.map((q) => {
      w.queryDistances(points, rows, DIM, 0, norms, points + q * DIM * 4, 0, dists);
      w.selectSmallest(dists, rows, K + 1, ids, keys, counts, worst);
      const got = arena.i32().slice(ids >> 2, (ids >> 2) + K + 1);
      return got.filter((j) => j !== q).slice(0, K);
    });
  });
}

// ---------------------------------------------------------------------------

const p = manifold(N, DIM, 7, LATENT);
log(`points: ${p.label}; max RSS ${rssMiB()} MiB`);

// 1. the ANN lists of every point, and the graph
const built0 = annIndex(p.data, N);
const ann = { ...annSearch(built0.index, p.data, N, EF_SEARCH), buildMs: built0.buildMs };
log(
  `hnsw build ${(ann.buildMs / 1000).toFixed(1)} s, search ${(ann.searchMs / 1000).toFixed(1)} s`,
);
const built = time(() =>
  Graph.fromNeighbors(ann.indices, ann.distances, { k: K + 1, squared: true }),
);
const graph = built.value;
log(
  `fromNeighbors ${built.ms.toFixed(0)} ms: ${graph.edges} stored edges, ` +
    `${graph.components} components`,
);
const sources = Array.from({ length: SOURCES }, (_, i) => Math.floor((i * N) / SOURCES));
const paths = time(() => shortestPaths(graph, sources).distances.length);
log(
  `Dijkstra from ${SOURCES} sources over the ANN graph: ${paths.ms.toFixed(0)} ms; ` +
    `max RSS ${rssMiB()} MiB`,
);

// 2. recall of the lists on a sample, against the exact K nearest
const random = (() => {
  let s = 12345;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
})();
const sample = Array.from({ length: Math.min(SAMPLE, N) }, () => Math.floor(random() * N));
const exact = time(() => exactSample(p.data, N, sample));
let selfFirst = 0;
for (const q of sample) if (ann.indices[q * (K + 1)] === q) selfFirst++;
const recall = recallOf(ann.indices, sample, (_, s) => exact.value[s]);
log(
  `recall@${K} on ${sample.length} points: ${recall.toFixed(4)} ` +
    `(exact scan ${exact.ms.toFixed(0)} ms)`,
);

// 3. on a subset: recall and geodesic distances of ANN graphs at several
// ef against the exact graph
const sub = { data: p.data.subarray(0, SUBSET * DIM), rows: SUBSET, dim: DIM };
const exactBuild = time(() => knnGraph(sub, { k: K, connect: "none" }));
const exactGraph = exactBuild.value;
const exactLists = knnGraph(sub, { k: K, mode: "directed", connect: "none" });
const subSources = Array.from({ length: SOURCES }, (_, i) => Math.floor((i * SUBSET) / SOURCES));
const dExact = shortestPaths(exactGraph, subSources).distances;
const subIndex = annIndex(sub.data, SUBSET);
const everyRow = Array.from({ length: SUBSET }, (_, i) => i);
const sweep = EF_SWEEP.map((ef) => {
  const lists = annSearch(subIndex.index, sub.data, SUBSET, ef);
  const graph = Graph.fromNeighbors(lists.indices, lists.distances, { k: K + 1, squared: true });
  const rowRecall = recallOf(lists.indices, everyRow, (q) =>
    exactLists.targets.subarray(exactLists.offsets[q], exactLists.offsets[q + 1]),
  );
  const d = shortestPaths(graph, subSources).distances;
  const rel: number[] = [];
  let onlyOne = 0;
  for (let i = 0; i < dExact.length; i++) {
    if (!Number.isFinite(d[i]) || !Number.isFinite(dExact[i])) {
      if (Number.isFinite(d[i]) !== Number.isFinite(dExact[i])) onlyOne++;
      continue;
    }
    if (dExact[i] > 0) rel.push((d[i] - dExact[i]) / dExact[i]);
  }
  rel.sort((x, y) => x - y);
  const q = (f: number) => rel[Math.min(rel.length - 1, Math.floor(f * rel.length))];
  const moved = rel.filter((r) => Math.abs(r) > 1e-6).length / rel.length;
  return { ef, searchMs: lists.searchMs, recall: rowRecall, q, moved, onlyOne, rel, graph };
});
log(
  `subset: exact build ${exactBuild.ms.toFixed(0)} ms, ` +
    `hnsw build ${subIndex.buildMs.toFixed(0)} ms`,
);

const count = (x: number) => x.toLocaleString("en");
const seconds = (t: number) => `${(t / 1000).toFixed(2)} s`;
const row = (step: string, n: number | string, result: string) =>
  console.log(`| ${step} | ${typeof n === "number" ? count(n) : n} | ${result} |`);

loads.push(os.loadavg()[0]);
console.log(`geodesic-knn ANN benchmark, ${info.date}`);
console.log(
  `${info.cpu} (${info.cores} cores, ${info.memoryGiB} GiB), Node ${info.node}, ` +
    `hnswlib-node 3.0.0; load average ${loads.map((l) => l.toFixed(2)).join(" at the start, ")} ` +
    "at the end",
);
console.log(
  `points: ${p.label}, seeded; hnsw M = ${M}, efConstruction = ${EF_CONSTRUCTION}, ` +
    `ef = ${EF_SEARCH}, "l2" (squared: true); k = ${K} (queried ${K + 1}, self dropped)`,
);
console.log("");
console.log("| step | n | result |");
console.log("| --- | ---: | --- |");
row("hnsw index build (1 thread)", N, seconds(ann.buildMs));
row(`hnsw search, ${K + 1} neighbours of every point`, N, seconds(ann.searchMs));
row(
  "Graph.fromNeighbors",
  N,
  `${seconds(built.ms)}, ${count(graph.edges)} stored edges, ${graph.components} component(s)`,
);
row(`Dijkstra from ${SOURCES} sources over it`, N, seconds(paths.ms));
row(
  `recall@${K} against exact, ${sample.length} sampled points`,
  N,
  `${recall.toFixed(4)} (the point itself listed first for ${selfFirst} of ${sample.length})`,
);
row("exact kNN build of the subset (knnGraph, 1 thread)", SUBSET, seconds(exactBuild.ms));
row("hnsw build of the subset", SUBSET, seconds(subIndex.buildMs));
row("peak resident memory of the run", "", `${rssMiB()} MiB (estimate ${mib(estimate)} MiB)`);

console.log("");
console.log(
  `Geodesic distances over ANN graphs of the first ${count(SUBSET)} points against the exact ` +
    `graph, from ${SOURCES} sources to every node (relative difference, ANN - exact):`,
);
console.log("");
console.log(
  "| ef | search | recall@10 | pairs moved | min | median | p90 | p99 | max | components |",
);
console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of sweep) {
  const e = (x: number) => x.toExponential(1);
  console.log(
    `| ${r.ef} | ${seconds(r.searchMs)} | ${r.recall.toFixed(4)} | ` +
      `${(100 * r.moved).toFixed(1)}% | ${e(r.rel[0])} | ${e(r.q(0.5))} | ` +
      `${e(r.q(0.9))} | ${e(r.q(0.99))} | ` +
      `${e(r.rel[r.rel.length - 1])} | ${r.graph.components} (exact: ${exactGraph.components}) |`,
  );
}
