// A storm of pool calls in flight at once, for test/pool-soak.test.ts and
// scripts/soak.ts: knnGraph, shortestPaths, geodesicFrom and allPairs on
// seeded inputs, mixed with calls whose signal is aborted (before the call,
// while it is queued, or when another call settles or a timer fires), calls
// that crash their worker or make it report an error (run it on the faulty
// worker, test/fixtures/pool/faulty-worker.mjs), and calls with bad input.
// Every call is issued in one synchronous loop; the pool queues them.
//
// What each call must end in, judged once every call has settled:
//   - a plain call: its own expected result, bit for bit (computed by the
//     single-thread function on the main thread before the storm);
//   - aborted before the call or while queued: an AbortError;
//   - aborted later: an AbortError, or its expected result when its work
//     was done before the abort took effect;
//   - a crashing call: the worker's crash error; a faulty one: its error;
//   - bad input: the RangeError naming the argument.
import {
  Graph,
  allPairs,
  geodesicFrom,
  knnGraph,
  shortestPaths,
  type Metric,
  type Mode,
} from "../../src/index.js";
import type { Pool } from "../../src/pool.js";
import { clustered } from "../../bench/inputs.js";
import { randomPoints, rng } from "../random.js";

export const FAULTY = new URL("../fixtures/pool/faulty-worker.mjs", import.meta.url);

export interface StormOptions {
  /** Calls issued at once. */
  calls: number;
  seed: number;
  /** Multiplies the sizes of the inputs (default 1: 30 to 150 rows). */
  scale?: number;
  /** Share of calls that crash their worker (default 0.02). */
  crashes?: number;
  /** Share of calls with an aborted signal, of the three kinds together (default 0.2). */
  aborts?: number;
}

type Abort = "none" | "before" | "queued" | "later";
type Kind = "knn" | "paths" | "geodesic" | "allPairs" | "crash" | "fault" | "bad";

export interface StormReport {
  calls: number;
  /** Outcomes by what was expected and what happened, e.g. "paths: right". */
  outcomes: Record<string, number>;
  /** Calls whose outcome was not one allowed for them, described. */
  wrong: string[];
}

interface Call {
  index: number;
  kind: Kind;
  abort: Abort;
  /** Runs the call on the pool. */
  run(signal: AbortSignal | undefined): Promise<unknown>;
  /** Whether a fulfilled value is this call's expected result, bit for bit. */
  check(value: unknown): boolean;
  /** For calls that must reject: what the error must say. */
  error?: RegExp;
}

const METRICS: Metric[] = ["euclidean", "sqeuclidean", "cosine", "angular"];
const MODES: Mode[] = ["union", "mutual", "directed"];

/** Equal bit for bit, as bytes (so -0, NaN payloads and Infinity count). */
export function sameBits(a: unknown, b: unknown): boolean {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return false;
  if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export function sameGraph(got: unknown, want: Graph): boolean {
  if (!(got instanceof Graph)) return false;
  return (
    got.nodes === want.nodes &&
    sameBits(got.offsets, want.offsets) &&
    sameBits(got.targets, want.targets) &&
    sameBits(got.weights, want.weights) &&
    got.directed === want.directed &&
    got.metric === want.metric &&
    got.k === want.k &&
    JSON.stringify(got.bridges) === JSON.stringify(want.bridges)
  );
}

function sameRecord(got: unknown, want: Record<string, unknown>): boolean {
  if (typeof got !== "object" || got === null) return false;
  const g = got as Record<string, unknown>;
  const keys = Object.keys(want).filter((k) => want[k] !== undefined);
  const gotKeys = Object.keys(g).filter((k) => g[k] !== undefined);
  if (keys.sort().join() !== gotKeys.sort().join()) return false;
  return keys.every((k) => sameBits(g[k], want[k]));
}

/** Seeded calls with their expected outcomes, computed here on the main thread. */
export function planStorm(options: StormOptions): Call[] {
  const random = rng(options.seed);
  const scale = options.scale ?? 1;
  const crashes = options.crashes ?? 0.02;
  const aborts = options.aborts ?? 0.2;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  // inputs shared by many calls: the pool sends a graph to a worker once
  const sets = Array.from({ length: 4 }, (_, i) => {
    const rows = int(30, 150) * scale;
    const dim = int(2, 10);
    const points = i % 2 ? clustered(rows, dim, options.seed + i, 3) : randomPoints(rows, dim, i);
    const graph = knnGraph(points, { k: int(2, 6), metric: pick(METRICS) });
    return { points, graph };
  });

  // sources that never start a chunk with 13 or 14 (the faulty worker's triggers)
  const sourcesFor = (n: number) =>
    Array.from({ length: int(1, 12) }, () => {
      const s = int(0, n - 1);
      return s === 13 || s === 14 ? 0 : s;
    });

  const calls: Call[] = [];
  for (let index = 0; index < options.calls; index++) {
    const { points, graph } = pick(sets);
    const n = graph.nodes;
    const roll = random();
    let call: Omit<Call, "index" | "abort">;
    if (roll < crashes) {
      call = {
        kind: "crash",
        run: (signal) => pool().shortestPaths(graph, [13, ...sourcesFor(n)], { signal }),
        check: () => false,
        error: /faulty worker: crashed on source 13/,
      };
    } else if (roll < crashes + 0.02) {
      call = {
        kind: "fault",
        run: (signal) => pool().shortestPaths(graph, [14, 1], { signal }),
        check: () => false,
        error: /worker: graph -7 was not sent to this worker/,
      };
    } else if (roll < crashes + 0.05) {
      call = {
        kind: "bad",
        run: (signal) => pool().shortestPaths(graph, [0, n], { signal }),
        check: () => false,
        error: new RegExp(`sources\\[1\\] is ${n}; expected`),
      };
    } else if (roll < crashes + 0.3) {
      const p = int(0, 1) ? points : randomPoints(int(2, 120) * scale, int(1, 8), index);
      const knn = {
        k: int(1, Math.min(8, p.rows - 1)),
        metric: pick(METRICS),
        mode: pick(MODES),
        connect: pick(["bridge", "none"] as const),
      };
      const want = knnGraph(p, knn);
      call = {
        kind: "knn",
        run: (signal) => pool().knnGraph(p, { ...knn, signal }),
        check: (got) => sameGraph(got, want),
      };
    } else if (roll < crashes + 0.6) {
      const sources = sourcesFor(n);
      const paths = pick([
        {},
        { predecessors: true },
        { limit: random() * 3 },
        { targets: [int(0, n - 1), int(0, n - 1)] },
        { reduce: "min" as const, predecessors: true },
      ]);
      const want = shortestPaths(graph, sources, paths);
      call = {
        kind: "paths",
        run: (signal) => pool().shortestPaths(graph, sources, { ...paths, signal }),
        check: (got) => sameRecord(got, { ...want }),
      };
    } else if (roll < crashes + 0.8) {
      const query = Array.from({ length: points.dim }, () => random() * 2 - 1);
      const k = int(1, 8);
      const pred = new Int32Array(n);
      const want = geodesicFrom(graph, points, query, { k, predecessors: pred });
      call = {
        kind: "geodesic",
        run: async (signal) => {
          const mine = new Int32Array(n);
          const got = await pool().geodesicFrom(graph, points, query, {
            k,
            predecessors: mine,
            signal,
          });
          return { distances: got, predecessors: mine };
        },
        check: (got) => sameRecord(got, { distances: want, predecessors: pred }),
      };
    } else {
      const sources = sourcesFor(n);
      const want = allPairs(graph, { sources });
      call = {
        kind: "allPairs",
        run: (signal) => pool().allPairs(graph, { sources, signal }),
        check: (got) => sameBits(got, want),
      };
    }
    let abort: Abort = "none";
    // bad input is refused before the signal is looked at
    const abortable = call.kind !== "bad";
    if (abortable && random() < aborts) abort = pick(["before", "queued", "later", "later"]);
    calls.push({ ...call, index, abort });
  }
  return calls;
}

// the pool the planned calls run on, set by runStorm
let current: Pool | undefined;
function pool(): Pool {
  if (!current) throw new Error("runStorm sets the pool");
  return current;
}

/** Issues every call at once on `target`, waits for all, and judges each outcome. */
export async function runStorm(target: Pool, calls: Call[], seed: number): Promise<StormReport> {
  const random = rng(seed ^ 0x5bd1e995);
  current = target;
  const controllers = calls.map(() => new AbortController());
  const promises: Promise<unknown>[] = [];
  for (const call of calls) {
    const controller = controllers[call.index];
    if (call.abort === "before") controller.abort();
    const signal = call.abort === "none" ? undefined : controller.signal;
    promises.push(call.run(signal));
  }
  // queued: aborted before the pool starts them; later: when another call
  // settles, a turn of the event loop after that, or from a timer
  for (const call of calls) {
    const controller = controllers[call.index];
    if (call.abort === "queued") controller.abort();
    if (call.abort !== "later") continue;
    const other = Math.floor(random() * calls.length);
    const abort = () => controller.abort();
    const how = random();
    const soon = () => void setTimeout(abort, 0);
    if (how < 1 / 3) void promises[other].then(abort, abort);
    else if (how < 2 / 3) void promises[other].then(soon, soon);
    else setTimeout(abort, random() * 30);
  }
  const settled = await Promise.allSettled(promises);
  current = undefined;

  const outcomes: Record<string, number> = {};
  const wrong: string[] = [];
  settled.forEach((result, i) => {
    const call = calls[i];
    const name = `#${i} ${call.kind}${call.abort === "none" ? "" : ` (abort ${call.abort})`}`;
    let outcome: string;
    if (result.status === "fulfilled") {
      outcome = call.check(result.value) ? "right" : "WRONG RESULT";
    } else {
      const error = result.reason as Error;
      if (error?.name === "AbortError") outcome = "aborted";
      else if (call.error?.test(String(error?.message))) outcome = "expected error";
      else outcome = `error: ${String(error?.message ?? error).split("\n")[0]}`;
    }
    const allowed =
      call.abort === "before" || call.abort === "queued"
        ? ["aborted"]
        : call.abort === "later"
          ? ["aborted", call.error ? "expected error" : "right"]
          : [call.error ? "expected error" : "right"];
    const key = `${call.kind}${call.abort === "none" ? "" : `, abort ${call.abort}`}: ${outcome}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (!allowed.includes(outcome)) wrong.push(`${name}: ${outcome}`);
  });
  return { calls: calls.length, outcomes, wrong };
}

/**
 * Issues `calls` and closes the pool once the first of them (or `first`, a
 * call made just before) has settled:
 * every call must then be settled by the time close() resolves (after a few
 * turns of the event loop), with its result or an error. Returns the calls
 * still pending then.
 */
export async function closeDuring(
  target: Pool,
  calls: Call[],
  first?: Promise<unknown>,
): Promise<string[]> {
  current = target;
  const state = calls.map(() => "pending");
  const promises = calls.map((call, i) =>
    call.run(undefined).then(
      () => void (state[i] = "settled"),
      () => void (state[i] = "settled"),
    ),
  );
  await Promise.race(first ? [first.catch(() => {})] : promises);
  await new Promise((resolve) => setTimeout(resolve, 0));
  await target.close();
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  current = undefined;
  return calls.filter((_, i) => state[i] === "pending").map((c) => `#${c.index} ${c.kind}`);
}
