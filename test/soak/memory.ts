// A long run of mixed calls in one process, measured for memory growth: run
// in a child process with `node --expose-gc --import tsx` (test/memory.test.ts
// and scripts/soak.ts do), it prints one JSON object on standard output.
//
//   --calls N       mixed calls (default 100000), of which --warmup first
//   --warmup N      calls before the first checkpoint (default calls / 10)
//   --checkpoints N checkpoints after warm-up (default 5)
//   --scale N       multiplies the sizes of points and graphs (default 1)
//   --seed N        (default 1)
//   --leak N        keep every Nth result (0: none): a leak the checks must notice
//   --release       instead: the release of resident graphs, step by step
//
// The calls: knnGraph (every metric and mode, bridged or not), shortestPaths (limit,
// targets, predecessors, reduce), geodesicFrom, components, allPairs,
// radiusGraph, Graph.fromEdges / fromCSR / fromNeighbors, dispose(), and
// one call in sixteen with bad input, which must throw. Graphs come and go,
// so resident copies are replaced, disposed and collected. Every Dijkstra
// result over a fixed graph is compared with the first one computed, so a
// resident copy overwritten while in use shows up as a mismatch.
import { parseArgs } from "node:util";
import {
  Graph,
  allPairs,
  components,
  geodesicFrom,
  initSync,
  knnGraph,
  radiusGraph,
  shortestPaths,
  type Metric,
  type Mode,
} from "../../src/index.js";
import { residentBytes } from "../../src/resident.js";
import { arena, wasm } from "../../src/wasm.js";
import { randomGraph, randomPoints, rng } from "../random.js";

export interface Checkpoint {
  /** Calls made so far. */
  calls: number;
  /** process.memoryUsage().heapUsed after two full collections. */
  heapUsed: number;
  /** The module's memory.buffer.byteLength. */
  wasmBytes: number;
  /** Bytes the arena keeps between calls: its start above the lowest free byte. */
  arenaLive: number;
  /** What src/resident.ts says its graph holds. */
  residentBytes: number;
}

export interface MemoryReport {
  calls: number;
  threw: number;
  mismatches: number;
  notThrown: string[];
  checkpoints: Checkpoint[];
  /** arenaLive after dropping every graph, collecting and waiting for finalizers. */
  arenaLiveAtEnd: number;
}

const METRICS: Metric[] = ["euclidean", "sqeuclidean", "cosine", "angular"];
const MODES: Mode[] = ["union", "mutual", "directed"];

const gc = (globalThis as { gc?: () => void }).gc;

/** Full collections, then a macrotask so that finalizers run. */
export async function collect(): Promise<void> {
  if (!gc) throw new Error("run with node --expose-gc");
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

export function arenaLive(): number {
  return arena.start - arena.lowest;
}

function checkpoint(calls: number): Checkpoint {
  return {
    calls,
    heapUsed: process.memoryUsage().heapUsed,
    wasmBytes: wasm().memory.buffer.byteLength,
    arenaLive: arenaLive(),
    residentBytes: residentBytes(),
  };
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

interface Fixed {
  points: ReturnType<typeof randomPoints>;
  graph: Graph;
  paths: Float64Array;
  geodesic: Float64Array;
}

export async function memorySoak(options: {
  calls: number;
  warmup: number;
  checkpoints: number;
  scale: number;
  seed: number;
  leak: number;
}): Promise<MemoryReport> {
  initSync();
  const { calls, warmup, scale } = options;
  const random = rng(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

  // graphs that live through the run, with their first results
  const fixed: Fixed[] = [6, 19, 40].map((rows, i) => {
    const points = randomPoints(rows * scale, 3 + i, 100 + i);
    const graph = knnGraph(points, { k: 3 });
    return {
      points,
      graph,
      paths: shortestPaths(graph, [0, graph.nodes - 1]).distances,
      geodesic: geodesicFrom(graph, points, points.data.subarray(0, points.dim)),
    };
  });
  let scratch = randomGraph(30 * scale, 90 * scale, options.seed, false);

  let threw = 0;
  let mismatches = 0;
  const notThrown: string[] = [];
  const kept: unknown[] = [];
  let results = 0;
  const keep = (value: unknown) => {
    if (options.leak > 0 && ++results % options.leak === 0) kept.push(value);
  };
  const bad = (name: string, call: () => unknown) => {
    try {
      keep(call());
      notThrown.push(name);
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      threw++;
    }
  };

  const every = Math.max(1, Math.floor((calls - warmup) / options.checkpoints));
  const checkpoints: Checkpoint[] = [];
  for (let i = 0; i < calls; i++) {
    const f = fixed[i % fixed.length];
    const n = f.graph.nodes;
    switch (i % 16) {
      case 0:
      case 8: {
        const rows = int(3, 24) * scale;
        const p = randomPoints(rows, int(1, 6), i);
        const metric = pick(METRICS);
        const connect = pick(["bridge", "none"] as const);
        keep(knnGraph(p, { k: int(1, Math.min(5, rows - 1)), metric, mode: pick(MODES), connect }));
        break;
      }
      case 1:
      case 9: {
        const got = shortestPaths(f.graph, [0, n - 1]).distances;
        if (!same(got, f.paths)) mismatches++;
        keep(got);
        break;
      }
      case 2:
        keep(shortestPaths(f.graph, [int(0, n - 1)], { limit: random() * 2, predecessors: true }));
        break;
      case 3:
        keep(shortestPaths(scratch, [0, 1, 2], { reduce: "min", targets: [int(0, 9)] }));
        break;
      case 4: {
        const got = geodesicFrom(f.graph, f.points, f.points.data.subarray(0, f.points.dim));
        if (!same(got, f.geodesic)) mismatches++;
        keep(got);
        break;
      }
      case 5:
        keep(components(i % 32 === 5 ? scratch : f.graph));
        break;
      case 6: {
        // a new graph, queried (so it becomes resident) and dropped
        const nodes = int(10, 40) * scale;
        scratch = randomGraph(nodes, int(0, 3 * nodes), i, random() < 0.3);
        keep(shortestPaths(scratch, 0));
        if (random() < 0.3) scratch.dispose();
        break;
      }
      case 7:
        keep(allPairs(f.graph, { sources: [int(0, n - 1), 0] }));
        break;
      case 10:
        keep(
          Graph.fromCSR({
            offsets: f.graph.offsets,
            targets: f.graph.targets,
            weights: f.graph.weights,
          }),
        );
        break;
      case 11: {
        const rows = int(2, 12) * scale;
        const ids = Array.from({ length: rows * 2 }, () => int(-1, rows - 1));
        const dists = ids.map(() => random());
        keep(Graph.fromNeighbors(ids, dists, { k: 2 }));
        break;
      }
      case 12:
        keep(radiusGraph(f.points, { radius: 0.5 + random(), connect: pick(["bridge", "none"]) }));
        break;
      case 13:
        f.graph.dispose();
        if (random() < 0.5) f.graph.dispose();
        break;
      case 14:
        keep(
          Graph.fromEdges({
            nodes: 5,
            sources: [0, 1, 2],
            targets: [1, 2, int(0, 4)],
            weights: [random(), random(), 0],
          }),
        );
        break;
      case 15:
        // one bad call in turn: each must throw before any WebAssembly call
        switch ((i >> 4) % 10) {
          case 0:
            bad("knnGraph k = rows", () => knnGraph(f.points, { k: n }));
            break;
          case 1: {
            const data = f.points.data.slice();
            data[int(0, data.length - 1)] = NaN;
            bad("knnGraph NaN", () => knnGraph({ ...f.points, data }, { k: 2 }));
            break;
          }
          case 2:
            bad("shortestPaths source", () => shortestPaths(f.graph, [0, n]));
            break;
          case 3:
            bad("shortestPaths limit", () => shortestPaths(f.graph, 0, { limit: -1 }));
            break;
          case 4:
            bad("geodesicFrom dim", () => geodesicFrom(f.graph, f.points, [1]));
            break;
          case 5:
            bad("fromEdges weight", () =>
              Graph.fromEdges({ nodes: 3, sources: [0], targets: [1], weights: [-1] }),
            );
            break;
          case 6:
            bad("fromCSR offsets", () =>
              Graph.fromCSR({ offsets: [0, 2, 1], targets: [1, 0], weights: [1, 1] }),
            );
            break;
          case 7:
            bad("components", () => components({} as Graph));
            break;
          case 8:
            bad("knnGraph metric", () =>
              knnGraph(f.points, { k: 2, metric: "manhattan" as Metric }),
            );
            break;
          case 9:
            bad("allPairs sources", () => allPairs(f.graph, { sources: [-1] }));
            break;
        }
        break;
    }
    const done = i + 1;
    if (done % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    if (done >= warmup && (done - warmup) % every === 0) {
      await collect();
      checkpoints.push(checkpoint(done));
    }
  }

  // drop every graph: the resident copy goes with the last one
  fixed.length = 0;
  scratch = undefined as unknown as Graph;
  await collect();
  await collect();
  return {
    calls,
    threw,
    mismatches,
    notThrown: [...new Set(notThrown)],
    checkpoints,
    arenaLiveAtEnd: arenaLive(),
  };
}

export interface ReleaseReport {
  /** arenaLive after init, before any graph. */
  baseline: number;
  /**
   * Each step: what it did, arenaLive after it, whether the graphs it
   * dropped were collected, and whether the results were right.
   */
  steps: {
    step: string;
    arenaLive: number;
    residentBytes: number;
    collected: boolean;
    right: boolean;
  }[];
}

/** Collects until every object of `refs` is gone (at most 20 rounds) and its finalizers ran. */
async function collectAll(refs: WeakRef<object>[]): Promise<boolean> {
  for (let round = 0; round < 20; round++) {
    await collect();
    if (refs.every((ref) => ref.deref() === undefined)) {
      // the finalizers run in a task of their own after the collection
      await collect();
      return true;
    }
  }
  return false;
}

const line = (weight: number) =>
  Graph.fromEdges({ nodes: 3, sources: [0, 1], targets: [1, 2], weights: [weight, weight] });
const rightLine = (g: Graph, weight: number) =>
  same(shortestPaths(g, 0).distances, [0, weight, 2 * weight]);

/** The release of resident graphs: by collection, by dispose(), never twice. */
export async function releaseSoak(graphs: number, seed: number): Promise<ReleaseReport> {
  initSync();
  const steps: ReleaseReport["steps"] = [];
  const baseline = arenaLive();
  // measures first, then runs `check` (which may copy a graph in)
  const note = (step: string, collected: boolean, check: () => boolean = () => true) => {
    const live = { arenaLive: arenaLive(), residentBytes: residentBytes() };
    steps.push({ step, ...live, collected, right: check() });
  };

  // Each step builds its graphs in a function of its own and returns only
  // weak references, so that nothing on this function's frame keeps them.

  // many graphs, each resident in turn, all dropped
  const many = (() => {
    const refs: WeakRef<Graph>[] = [];
    for (let i = 0; i < graphs; i++) {
      const g = randomGraph(10 + (i % 50), 30 + 2 * (i % 50), seed + i, i % 3 === 0);
      shortestPaths(g, 0);
      refs.push(new WeakRef(g));
    }
    return refs;
  })();
  note("many graphs queried, not yet collected", false);
  note("many graphs dropped and collected", await collectAll(many));

  // a disposed, then collected while b is resident: b stays resident
  const b = line(5);
  const a = (() => {
    const g = line(1);
    const right = rightLine(g, 1);
    g.dispose();
    g.dispose();
    note("a disposed twice", false, () => right);
    return new WeakRef(g);
  })();
  rightLine(b, 5);
  note("b resident", false, () => rightLine(b, 5));
  note("a collected after dispose; b still resident", await collectAll([a]), () => rightLine(b, 5));

  // c resident, replaced by b, then collected: b stays resident
  const c = (() => {
    const g = line(2);
    const right = rightLine(g, 2) && rightLine(b, 5);
    return { ref: new WeakRef(g), right };
  })();
  note(
    "c replaced by b, then collected; b still resident",
    await collectAll([c.ref]),
    () => c.right && rightLine(b, 5),
  );

  // c resident when collected, d never queried: the arena is back at its baseline
  const d = (() => {
    const g = line(3);
    const right = rightLine(g, 3);
    return { ref: new WeakRef(g), right };
  })();
  note("d resident", false, () => d.right);
  note("d collected while resident", await collectAll([d.ref]));

  // a disposed graph is copied in again by the next query
  rightLine(b, 5);
  note("b queried again", false, () => rightLine(b, 5));
  b.dispose();
  b.dispose();
  note("b disposed twice", false);
  rightLine(b, 5);
  note("b queried after dispose", false, () => rightLine(b, 5));
  return { baseline, steps };
}

// run as a script: node --expose-gc --import tsx test/soak/memory.ts [flags]
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))) {
  const { values } = parseArgs({
    options: {
      calls: { type: "string", default: "100000" },
      warmup: { type: "string" },
      checkpoints: { type: "string", default: "5" },
      scale: { type: "string", default: "1" },
      seed: { type: "string", default: "1" },
      graphs: { type: "string", default: "200" },
      leak: { type: "string", default: "0" },
      release: { type: "boolean", default: false },
    },
  });
  const calls = Number(values.calls);
  const report = values.release
    ? await releaseSoak(Number(values.graphs), Number(values.seed))
    : await memorySoak({
        calls,
        warmup: values.warmup === undefined ? Math.floor(calls / 10) : Number(values.warmup),
        checkpoints: Number(values.checkpoints),
        scale: Number(values.scale),
        seed: Number(values.seed),
        leak: Number(values.leak),
      });
  process.stdout.write(JSON.stringify(report) + "\n");
}
