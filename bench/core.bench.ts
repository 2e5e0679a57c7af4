// The WASM path against the plain TypeScript reference, side by side in one
// run: exact kNN graph build and Dijkstra from 32 sources.
//
//   npm run bench            full run (a few minutes)
//   npm run bench -- --quick a few seconds, smaller inputs

import { writeFileSync, mkdirSync } from "node:fs";
import { Bench } from "tinybench";
import { initSync, knnGraph, shortestPaths, type Graph } from "../src/index.js";
import { dijkstra, knnLists } from "../src/reference/index.js";
import { clustered, wordVectors } from "./inputs.js";
import { machine } from "./machine.js";

const quick = process.argv.includes("--quick");
const K = 10;
const SOURCES = 32;
let sink = 0;

initSync();
const inputs = quick
  ? [wordVectors(1000), clustered(4000, 64, 2)]
  : [wordVectors(3000), clustered(20000, 384, 2)];

interface Row {
  op: string;
  input: string;
  impl: string;
  minMs: number;
  medianMs: number;
  note?: string;
}
const rows: Row[] = [];

async function measure(
  op: string,
  input: string,
  tasks: Record<string, () => void>,
  iterations: number,
): Promise<void> {
  const bench = new Bench({ iterations, time: 0, warmupIterations: 1, warmupTime: 0 });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  for (const task of bench.tasks) {
    const r = task.result as { latency?: { min: number; p50: number } };
    if (!r.latency) throw new Error(`${op} ${task.name}: no result`);
    rows.push({ op, input, impl: task.name, minMs: r.latency.min, medianMs: r.latency.p50 });
  }
}

for (const p of inputs) {
  // the reference visits every pair per row, so its time is linear in the
  // rows it answers: on big inputs it answers a slice and is scaled up
  const slice = p.rows > 5000 ? 400 : p.rows;
  const scale = p.rows / slice;
  await measure(
    "kNN graph build",
    p.label,
    {
      // the lists, symmetrized into CSR; no bridging, which the reference
      // does not do either
      wasm: () => {
        sink += knnGraph(p, { k: K, connect: "none" }).edges;
      },
      reference: () => {
        sink += knnLists(p.data, p.rows, p.dim, K, "euclidean", slice).ids[0];
      },
    },
    p.rows > 5000 ? 3 : 5,
  );
  const ref = rows[rows.length - 1];
  if (scale > 1) {
    ref.minMs *= scale;
    ref.medianMs *= scale;
    ref.note = `timed on ${slice} of ${p.rows} rows against all, scaled x${scale}`;
  }

  const graph: Graph = knnGraph(p, { k: K });
  const sources = Array.from({ length: SOURCES }, (_, i) => Math.floor((i * p.rows) / SOURCES));
  await measure(
    `Dijkstra from ${SOURCES} sources`,
    p.label,
    {
      wasm: () => {
        sink += shortestPaths(graph, sources).distances[1];
      },
      reference: () => {
        for (const s of sources) sink += dijkstra(graph, [s]).distances[1];
      },
    },
    10,
  );
}

function ratio(op: string, input: string): string {
  const wasm = rows.find((r) => r.op === op && r.input === input && r.impl === "wasm")!;
  const ref = rows.find((r) => r.op === op && r.input === input && r.impl === "reference")!;
  return (ref.minMs / wasm.minMs).toFixed(1);
}

const info = machine();
console.log(`geodesic-knn core benchmark, ${info.date}`);
console.log(`${info.cpu} (${info.cores} cores, ${info.simd.join(" ")}), Node ${info.node}`);
console.log("");
console.log("| op | input | impl | min (ms) | median (ms) | reference / wasm |");
console.log("| --- | --- | --- | ---: | ---: | ---: |");
for (const r of rows) {
  const x = r.impl === "wasm" ? `${ratio(r.op, r.input)}x` : "";
  console.log(
    `| ${r.op} | ${r.input} | ${r.impl}${r.note ? ` (${r.note})` : ""} | ${r.minMs.toFixed(1)} | ` +
      `${r.medianMs.toFixed(1)} | ${x} |`,
  );
}
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
const out = new URL(`./results/core${quick ? "-quick" : ""}.json`, import.meta.url);
writeFileSync(out, JSON.stringify({ machine: info, k: K, sources: SOURCES, rows }, null, 2));
console.error(`(sink ${sink}) written ${out.pathname}`);
