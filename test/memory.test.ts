import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Graph, geodesicFrom, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { wasm } from "../src/wasm.js";
import { referenceKnnGraph } from "../src/reference/index.js";
import { guarantee } from "./guarantee.js";
import { randomPoints } from "./random.js";
import type { MemoryReport, ReleaseReport } from "./soak/memory.js";

beforeAll(() => initSync());

describe("memory", () => {
  it("knnGraph(points larger than the initial WebAssembly memory) grows it and agrees", () => {
    const initial = 65536;
    const p = randomPoints(3000, 24, 17);
    expect(p.data.byteLength).toBeGreaterThan(initial * 4);
    const graph = knnGraph(p, { k: 5 });
    expect(wasm().memory.buffer.byteLength).toBeGreaterThan(p.data.byteLength);
    const sample = referenceKnnGraph(p.data, p.rows, p.dim, { k: 5 });
    expect(Array.from(graph.offsets)).toEqual(Array.from(sample.offsets));
    expect(Array.from(graph.targets)).toEqual(Array.from(sample.targets));
  });

  it("10,000 calls in a loop leave WebAssembly memory the size it had after warm-up", () => {
    const a = randomPoints(60, 8, 1);
    const b = randomPoints(200, 8, 2);
    const graphA = knnGraph(a, { k: 4 });
    const graphB = knnGraph(b, { k: 4 });
    const loop = (times: number) => {
      for (let i = 0; i < times; i++) {
        const g = i % 2 ? graphA : graphB;
        const pts = i % 2 ? a : b;
        if (i % 50 === 0) knnGraph(pts, { k: 3 });
        shortestPaths(g, [0, 1]);
        geodesicFrom(g, pts, pts.data.subarray(0, 8));
      }
    };
    loop(200);
    const warm = wasm().memory.buffer.byteLength;
    loop(10_000);
    expect(wasm().memory.buffer.byteLength).toBe(warm);
  });

  it("a job that cannot fit in 4 GiB is refused up front with the bytes it needs", () => {
    const before = wasm().memory.buffer.byteLength;
    const p = { data: new Float32Array(2_000_000), rows: 2_000_000, dim: 1 };
    expect(() => knnGraph(p, { k: 500 })).toThrow(
      /a kNN graph of 2000000 x 1 points with k = 500 needs \d+ bytes of WebAssembly memory/,
    );
    expect(wasm().memory.buffer.byteLength).toBe(before);
    const g = Graph.fromEdges({ nodes: 2, sources: [0], targets: [1], weights: [2] });
    expect(Array.from(shortestPaths(g, 0).distances)).toEqual([0, 2]);
  });

  it("a resident graph is replaced when another graph is queried, and results stay right", () => {
    const g1 = Graph.fromEdges({ nodes: 3, sources: [0, 1], targets: [1, 2], weights: [1, 1] });
    const g2 = Graph.fromEdges({ nodes: 3, sources: [0, 1], targets: [1, 2], weights: [5, 5] });
    for (let i = 0; i < 3; i++) {
      expect(Array.from(shortestPaths(g1, 0).distances)).toEqual([0, 1, 2]);
      expect(Array.from(shortestPaths(g2, 0).distances)).toEqual([0, 5, 10]);
    }
    g2.dispose();
    expect(Array.from(shortestPaths(g2, 2).distances)).toEqual([10, 5, 0]);
  });

  it("graph.dispose() is idempotent; a disposed graph is copied in again when queried", () => {
    const g = Graph.fromEdges({ nodes: 3, sources: [0, 1], targets: [1, 2], weights: [3, 4] });
    const other = Graph.fromEdges({ nodes: 2, sources: [0], targets: [1], weights: [9] });
    g.dispose();
    expect(Array.from(shortestPaths(g, 0).distances)).toEqual([0, 3, 7]);
    g.dispose();
    g.dispose();
    expect(Array.from(shortestPaths(g, 2).distances)).toEqual([7, 4, 0]);
    // disposing a graph that is not the resident one leaves the resident one alone
    expect(Array.from(shortestPaths(other, 0).distances)).toEqual([0, 9]);
    g.dispose();
    expect(Array.from(shortestPaths(other, 1).distances)).toEqual([9, 0]);
    expect(Array.from(shortestPaths(g, 1).distances)).toEqual([3, 0, 4]);
  });
});

// In a child process with --expose-gc (test/soak/memory.ts, from the sources
// through tsx), where full collections can be forced and finalizers awaited.
function soak<T>(...args: string[]): T {
  const root = join(import.meta.dirname, "..");
  const out = execFileSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", "test/soak/memory.ts", ...args],
    { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 },
  );
  return JSON.parse(out) as T;
}

describe("memory over a long run (child process, --expose-gc)", () => {
  it("100,000 mixed calls keep WebAssembly memory, the arena and the JS heap flat", () => {
    const calls = 100_000;
    const r = soak<MemoryReport>(
      "--calls",
      String(calls),
      "--warmup",
      "20000",
      "--checkpoints",
      "4",
    );
    // every call ran; one in 16 had bad input and threw; results over fixed graphs never moved
    expect(r.calls).toBe(calls);
    expect(r.notThrown).toEqual([]);
    expect(r.threw).toBe(calls / 16);
    expect(r.mismatches).toBe(0);

    // after warm-up (20,000 calls), then every 20,000 calls
    expect(r.checkpoints.map((c) => c.calls)).toEqual([20, 40, 60, 80, 100].map((c) => c * 1000));
    const [first] = r.checkpoints;
    for (const c of r.checkpoints) {
      expect(c.wasmBytes).toBe(first.wasmBytes);
      // between calls the arena holds the resident graph (at most ~2 KiB here) and nothing else
      expect(c.arenaLive).toBe(c.residentBytes);
      expect(c.arenaLive).toBeLessThan(4096);
      // keeping one result in 32 calls grows the heap by ~1.2 MB over these 80,000 calls,
      // one in 8 by ~3.7 MB, every result by ~39 MB; without a leak it moves by ~0.4 MB
      expect(c.heapUsed - first.heapUsed).toBeLessThan(1 << 20);
    }
    // every graph dropped and collected: the resident copy went with the last one
    expect(r.arenaLiveAtEnd).toBe(0);
    guarantee("100,000 mixed calls keep WASM memory and JS heap flat", calls);
  });

  it("resident graphs are released when collected or disposed, never twice", () => {
    const graphs = 200;
    const r = soak<ReleaseReport>("--release", "--graphs", String(graphs));
    const line = 3 * 16; // offsets, targets and weights of a 3-node path, 16 bytes each
    expect(r.baseline).toBe(0);
    const table = r.steps.map((s) => [s.step, s.arenaLive, s.collected, s.right]);
    expect(table).toEqual([
      ["many graphs queried, not yet collected", r.steps[0].arenaLive, false, true],
      ["many graphs dropped and collected", 0, true, true],
      ["a disposed twice", 0, false, true],
      ["b resident", line, false, true],
      ["a collected after dispose; b still resident", line, true, true],
      ["c replaced by b, then collected; b still resident", line, true, true],
      ["d resident", line, false, true],
      ["d collected while resident", 0, true, true],
      ["b queried again", line, false, true],
      ["b disposed twice", 0, false, true],
      ["b queried after dispose", line, false, true],
    ]);
    expect(r.steps[0].arenaLive).toBeGreaterThan(0);
    for (const s of r.steps) expect(s.residentBytes).toBe(s.arenaLive);
    guarantee("graphs dropped or disposed release their WASM memory", graphs + 4);
  });
});
