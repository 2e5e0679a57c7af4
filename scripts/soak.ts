// The long soak: what test/memory.test.ts and test/pool-soak.test.ts check in
// a few seconds, run for longer, with larger inputs and more seeds.
//
//   npm run soak -- [--calls 1000000] [--scale 2] [--graphs 2000]
//                   [--storms 10] [--storm-calls 400] [--threads 2] [--seed 1]
//                   [--skip-memory] [--skip-pool]
//
// Memory: --calls mixed calls in a child process with --expose-gc
// (test/soak/memory.ts); WebAssembly memory must not grow after warm-up, the
// arena must hold only the resident graph, the JS heap after full
// collections must stay within 2 MiB of the first checkpoint, and every
// graph must be released once collected. Pool: --storms storms of
// --storm-calls calls each on one pool of --threads workers (the faulty test
// worker, which crashes on demand), then calls to check the pool still
// works, then a pool closed with calls in flight. Prints what it checked;
// exits with 1 when a check fails.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Graph, initSync } from "../src/index.js";
import { createPool } from "../src/pool.js";
import type { MemoryReport, ReleaseReport } from "../test/soak/memory.js";
import { FAULTY, closeDuring, planStorm, runStorm } from "../test/soak/pool.js";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "1000000" },
    scale: { type: "string", default: "2" },
    graphs: { type: "string", default: "2000" },
    storms: { type: "string", default: "10" },
    "storm-calls": { type: "string", default: "400" },
    threads: { type: "string", default: "2" },
    seed: { type: "string", default: "1" },
    "skip-memory": { type: "boolean", default: false },
    "skip-pool": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  process.stdout.write(
    "npm run soak -- [--calls N] [--scale N] [--graphs N] [--storms N] [--storm-calls N]\n" +
      "                [--threads N] [--seed N] [--skip-memory] [--skip-pool]\n",
  );
  process.exit(0);
}

function count(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} is ${value}; expected an integer >= ${min}\n`);
    process.exit(2);
  }
  return n;
}

const calls = count("calls", values.calls, 1000);
const scale = count("scale", values.scale, 1);
const graphs = count("graphs", values.graphs, 1);
const storms = count("storms", values.storms, 1);
const stormCalls = count("storm-calls", values["storm-calls"], 1);
const threads = count("threads", values.threads, 1);
const seed = count("seed", values.seed, 0);

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  process.stdout.write(`  ${ok ? "ok  " : "FAIL"} ${what}\n`);
  if (!ok) failures.push(what);
};

function child<T>(...args: string[]): T {
  const out = execFileSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", "test/soak/memory.ts", ...args],
    { cwd: join(import.meta.dirname, ".."), encoding: "utf8", maxBuffer: 1 << 26 },
  );
  return JSON.parse(out) as T;
}

if (!values["skip-memory"]) {
  process.stdout.write(`memory: ${calls} mixed calls, sizes x${scale}, seed ${seed}\n`);
  const r = child<MemoryReport>(
    ...["--calls", String(calls), "--scale", String(scale), "--seed", String(seed)],
    ...["--checkpoints", "10"],
  );
  const [first] = r.checkpoints;
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
  for (const c of r.checkpoints) {
    process.stdout.write(
      `  after ${c.calls} calls: heap ${mib(c.heapUsed)} MiB, WebAssembly ${mib(c.wasmBytes)} ` +
        `MiB, arena holds ${c.arenaLive} bytes\n`,
    );
  }
  check(r.notThrown.length === 0 && r.threw === Math.floor(calls / 16), "every bad call threw");
  check(r.mismatches === 0, "results over the fixed graphs never changed");
  check(
    r.checkpoints.every((c) => c.wasmBytes === first.wasmBytes),
    "WebAssembly memory did not grow",
  );
  check(
    r.checkpoints.every((c) => c.arenaLive === c.residentBytes),
    "the arena held only the resident graph between calls",
  );
  const growth = Math.max(...r.checkpoints.map((c) => c.heapUsed)) - first.heapUsed;
  check(growth < 2 ** 21, `the JS heap grew by ${mib(growth)} MiB at most (< 2 MiB)`);
  check(r.arenaLiveAtEnd === 0, "every graph released once collected");

  const release = child<ReleaseReport>("--release", "--graphs", String(graphs));
  const bad = release.steps.filter((s) => !s.right || s.residentBytes !== s.arenaLive);
  const many = release.steps.find((s) => s.step === "many graphs dropped and collected");
  check(
    bad.length === 0 && many?.arenaLive === 0 && many.collected,
    `${graphs} graphs released once collected, and disposed ones never twice`,
  );
}

if (!values["skip-pool"]) {
  initSync();
  process.stdout.write(
    `pool: ${storms} storms of ${stormCalls} calls on ${threads} threads` + "\n",
  );
  const pool = await createPool({ threads, worker: FAULTY });
  const totals: Record<string, number> = {};
  const wrong: string[] = [];
  for (let s = 0; s < storms; s++) {
    const plan = planStorm({ calls: stormCalls, seed: seed + s, scale });
    const report = await runStorm(pool, plan, seed + s);
    for (const [key, n] of Object.entries(report.outcomes)) totals[key] = (totals[key] ?? 0) + n;
    wrong.push(...report.wrong.map((w) => `storm ${s}: ${w}`));
    process.stdout.write(`  storm ${s}: ${report.wrong.length} wrong of ${report.calls}\n`);
  }
  for (const key of Object.keys(totals).sort()) {
    process.stdout.write(`    ${key}: ${totals[key]}\n`);
  }
  for (const w of wrong.slice(0, 20)) process.stdout.write(`    ${w}\n`);
  check(wrong.length === 0, `every call of ${storms * stormCalls} ended as it must`);

  const after = await runStorm(pool, planStorm({ calls: 100, seed, crashes: 0, aborts: 0 }), seed);
  check(after.wrong.length === 0, "the pool still gives the right results afterwards");
  await pool.close();

  const closing = await createPool({ threads, worker: FAULTY });
  const pending = await closeDuring(
    closing,
    planStorm({ calls: 100, seed: seed + 1, crashes: 0, aborts: 0 }),
  );
  check(pending.length === 0, "close() with calls in flight settled every call");

  // the same right after a crash, while the crashed worker restarts: the
  // first call after it has one task, which waits for that worker
  const crashing = await createPool({ threads, worker: FAULTY });
  const graph = Graph.fromEdges({
    nodes: 20,
    sources: [0, 13],
    targets: [13, 19],
    weights: [1, 2],
  });
  const crash = crashing.shortestPaths(graph, [13]);
  const waiting = crashing.shortestPaths(graph, [0]).catch((error: Error) => error);
  const rest = planStorm({ calls: 100, seed: seed + 2, crashes: 0, aborts: 0 });
  const stuck = await closeDuring(crashing, rest, crash);
  const first = await Promise.race([waiting, Promise.resolve("pending")]);
  check(
    first !== "pending" && stuck.length === 0,
    `close() while a crashed worker restarts settled every call (${first === "pending" ? 1 : 0} ` +
      `+ ${stuck.length} of ${rest.length} queued behind it pending)`,
  );
}

process.stdout.write(failures.length === 0 ? "all checks passed\n" : "some checks failed\n");
process.exit(failures.length === 0 ? 0 : 1);
