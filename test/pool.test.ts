// The pool against the single-thread functions: the same results bit for
// bit, and a pool that survives failing, crashing and cancelled calls.
// Workers run src/worker.ts from the sources through test/pool-worker.mjs.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Graph,
  geodesicFrom,
  initSync,
  knnGraph,
  shortestPaths,
  type Metric,
  type Mode,
} from "../src/index.js";
import { allPairs } from "../src/allpairs.js";
import { createPool, pairRanges, type Pool } from "../src/pool.js";
import { clustered } from "../bench/inputs.js";
import { randomPoints, rng } from "./random.js";

const WORKER = new URL("./pool-worker.mjs", import.meta.url);
const FAULTY = new URL("./fixtures/pool/faulty-worker.mjs", import.meta.url);

initSync();

let pool: Pool;
beforeAll(async () => {
  pool = await createPool({ threads: 2, worker: WORKER });
});
afterAll(() => pool?.close());

function expectSameGraph(got: Graph, want: Graph) {
  expect(got.nodes).toBe(want.nodes);
  expect(Array.from(got.offsets)).toEqual(Array.from(want.offsets));
  expect(Array.from(got.targets)).toEqual(Array.from(want.targets));
  expect(Array.from(got.weights)).toEqual(Array.from(want.weights));
  expect(got.bridges).toEqual(want.bridges);
  expect([got.directed, got.metric, got.k]).toEqual([want.directed, want.metric, want.k]);
}

/** Points on a small integer lattice: many exact ties and duplicates. */
function lattice(rows: number, dim: number, seed: number) {
  const random = rng(seed);
  const data = Float32Array.from({ length: rows * dim }, () => Math.floor(random() * 3) + 1);
  return { data, rows, dim };
}

describe("pool.knnGraph", () => {
  for (const metric of ["euclidean", "sqeuclidean", "cosine", "angular"] as Metric[]) {
    for (const mode of ["union", "mutual", "directed"] as Mode[]) {
      it(`pool.knnGraph(points, { ${metric}, ${mode} }) equals knnGraph bit for bit`, async () => {
        const p = randomPoints(347, 13, 5);
        const options = { k: 6, metric, mode };
        expectSameGraph(await pool.knnGraph(p, options), knnGraph(p, options));
      });
    }
  }

  it("pool.knnGraph(lattice points, many ties) breaks them by the lower index", async () => {
    for (const metric of ["euclidean", "cosine"] as Metric[]) {
      const p = lattice(401, 3, 9);
      const options = { k: 12, metric, mode: "directed" as Mode, connect: "none" as const };
      expectSameGraph(await pool.knnGraph(p, options), knnGraph(p, options));
    }
  });

  it("pool.knnGraph(clusters) bridges them with the same pairs and weights", async () => {
    const p = clustered(1203, 10, 4, 7);
    for (const mode of ["union", "mutual"] as Mode[]) {
      const want = knnGraph(p, { k: 5, mode });
      expect(want.bridges.length).toBeGreaterThan(5);
      expectSameGraph(await pool.knnGraph(p, { k: 5, mode }), want);
    }
    await expect(pool.knnGraph(p, { k: 5, connect: "error" })).rejects.toThrow(
      /knnGraph: the graph has \d+ connected components with k = 5/,
    );
  });

  it("pool.knnGraph on 3 threads equals knnGraph (lists pruned, merged three ways)", async () => {
    const three = await createPool({ threads: 3, worker: WORKER });
    try {
      const p = clustered(1500, 24, 6, 3);
      for (const metric of ["euclidean", "cosine"] as Metric[]) {
        for (const k of [1, 9, 40]) {
          const options = { k, metric, mode: "directed" as Mode };
          expectSameGraph(await three.knnGraph(p, options), knnGraph(p, options));
        }
      }
      const l = lattice(900, 2, 4);
      const options = { k: 16, mode: "directed" as Mode, connect: "none" as const };
      expectSameGraph(await three.knnGraph(l, options), knnGraph(l, options));
    } finally {
      await three.close();
    }
  });

  it("pool.knnGraph(few points) works with fewer ranges than workers", async () => {
    for (const rows of [2, 3, 5, 9]) {
      const p = randomPoints(rows, 4, rows);
      expectSameGraph(await pool.knnGraph(p, { k: 1 }), knnGraph(p, { k: 1 }));
    }
  });

  it("pool.knnGraph(bad input) rejects with knnGraph's errors", async () => {
    const p = randomPoints(10, 3, 1);
    await expect(pool.knnGraph(p, { k: 10 })).rejects.toThrow(
      /options.k is 10; expected an integer in \[1, 9\]/,
    );
    await expect(pool.knnGraph([[1]], { k: 1 })).rejects.toThrow(/points.rows is 1/);
    await expect(pool.knnGraph(p, { k: 2, signal: {} as AbortSignal })).rejects.toThrow(
      /options.signal is an Object; expected an AbortSignal/,
    );
    // the twins know their own options and the signal, nothing else
    await expect(pool.knnGraph(p, { k: 2, metrc: "cosine" } as never)).rejects.toThrow(
      /^options has an unknown key "metrc"; expected only k, metric, mode, connect, signal$/,
    );
    const graph = knnGraph(p, { k: 2 });
    await expect(pool.shortestPaths(graph, 0, { limt: 1 } as never)).rejects.toThrow(
      /unknown key "limt"/,
    );
    await expect(pool.allPairs(graph, { source: [0] } as never)).rejects.toThrow(
      /unknown key "source"; expected only sources, out, signal$/,
    );
    const signal = new AbortController().signal;
    const done = await pool.geodesicFrom(graph, p, [0, 0, 0], { k: 2, signal });
    expect(done).toEqual(geodesicFrom(graph, p, [0, 0, 0], { k: 2 }));
  });
});

describe("pairRanges", () => {
  it("pairRanges(rows, parts, 4) covers every row once, at multiples of 4, balanced", () => {
    for (const [rows, parts] of [
      [10_000, 8],
      [1001, 8],
      [7, 8],
      [2, 1],
    ]) {
      const ranges = pairRanges(rows, parts, 4);
      expect(ranges[0][0]).toBe(0);
      expect(ranges[ranges.length - 1][1]).toBe(rows);
      for (let r = 1; r < ranges.length; r++) {
        expect(ranges[r][0]).toBe(ranges[r - 1][1]);
        expect(ranges[r][0] % 4).toBe(0);
      }
      if (rows === 10_000) {
        const pairs = ranges.map(
          ([a, b]) => (b - a) * (rows - 1) - ((b - 1) * b - (a - 1) * a) / 2,
        );
        expect(Math.max(...pairs) / Math.min(...pairs)).toBeLessThan(1.01);
      }
    }
  });
});

describe("pool.shortestPaths, pool.geodesicFrom, pool.allPairs", () => {
  const p = randomPoints(900, 8, 3);
  const graph = knnGraph(p, { k: 6 });
  const sources = [0, 13, 899, 13, 450, 7, 600, 1, 2, 3];

  it("pool.shortestPaths(graph, sources) equals shortestPaths bit for bit", async () => {
    const want = shortestPaths(graph, sources, { predecessors: true });
    const got = await pool.shortestPaths(graph, sources, { predecessors: true });
    expect(Array.from(got.distances)).toEqual(Array.from(want.distances));
    expect(Array.from(got.predecessors!)).toEqual(Array.from(want.predecessors!));
    const plain = await pool.shortestPaths(graph, 5);
    expect(Object.keys(plain)).toEqual(["distances"]);
    expect(Array.from(plain.distances)).toEqual(Array.from(shortestPaths(graph, 5).distances));
  });

  it("pool.shortestPaths(graph, sources, { limit, targets, reduce }) equals it", async () => {
    for (const options of [
      { limit: 2.5 },
      { targets: [5, 600] },
      { reduce: "min" as const, predecessors: true },
    ]) {
      const want = shortestPaths(graph, sources, options);
      const got = await pool.shortestPaths(graph, sources, options);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const key of Object.keys(want) as (keyof typeof want)[]) {
        expect(Array.from(got[key]!)).toEqual(Array.from(want[key]!));
      }
    }
  });

  it("pool.shortestPaths(directed graph) equals shortestPaths", async () => {
    const directed = knnGraph(p, { k: 3, mode: "directed" });
    const want = shortestPaths(directed, sources).distances;
    expect(Array.from((await pool.shortestPaths(directed, sources)).distances)).toEqual(
      Array.from(want),
    );
  });

  it("pool.geodesicFrom(graph, points, query) equals geodesicFrom, predecessors too", async () => {
    const query = Array.from({ length: 8 }, (_, d) => d / 8);
    const want = new Int32Array(900);
    const got = new Int32Array(900);
    const a = geodesicFrom(graph, p, query, { k: 4, predecessors: want });
    const b = await pool.geodesicFrom(graph, p, query, { k: 4, predecessors: got });
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it("pool.allPairs(graph) equals allPairs bit for bit, all rows or some", async () => {
    expect(Array.from(await pool.allPairs(graph))).toEqual(Array.from(allPairs(graph)));
    const some = { sources: [899, 0, 0, 5] };
    expect(Array.from(await pool.allPairs(graph, some))).toEqual(Array.from(allPairs(graph, some)));
  });

  it("pool calls on several graphs in turn each use the right graph", async () => {
    const other = knnGraph(randomPoints(300, 4, 8), { k: 3 });
    for (let i = 0; i < 3; i++) {
      for (const g of [graph, other]) {
        const want = shortestPaths(g, [0, 1, 2, 3, 4]).distances;
        expect(Array.from((await pool.shortestPaths(g, [0, 1, 2, 3, 4])).distances)).toEqual(
          Array.from(want),
        );
      }
      await pool.knnGraph(randomPoints(50, 3, i), { k: 3 });
    }
  });

  it("pool.shortestPaths(bad input) rejects with the argument named", async () => {
    await expect(pool.shortestPaths(graph, [900])).rejects.toThrow(/sources\[0\] is 900/);
    await expect(pool.shortestPaths(graph, 0, { limit: -1 })).rejects.toThrow(
      /options.limit is -1/,
    );
    await expect(pool.allPairs(graph, { sources: [-1] })).rejects.toThrow(
      /options.sources\[0\] is -1/,
    );
  });
});

describe("pool lifecycle", () => {
  it("createPool({ threads: 0 }) is refused", async () => {
    await expect(createPool({ threads: 0, worker: WORKER })).rejects.toThrow(
      /options.threads is 0; expected an integer in \[1, 256\]/,
    );
  });

  it("pool calls with an aborted signal reject with its reason, and the pool goes on", async () => {
    const graph = knnGraph(randomPoints(3000, 8, 1), { k: 8 });
    const reason = new Error("no longer needed");
    const already = new AbortController();
    already.abort(reason);
    await expect(pool.allPairs(graph, { signal: already.signal })).rejects.toBe(reason);

    // a call of some seconds, cancelled while the workers are busy with it
    const controller = new AbortController();
    const running = pool.allPairs(graph, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(running).rejects.toBe(reason);
    const some = { sources: [0, 2999, 5] };
    expect(Array.from(await pool.allPairs(graph, some))).toEqual(Array.from(allPairs(graph, some)));
  });

  it("a worker that throws rejects the call with its error; the pool stays usable", async () => {
    const faulty = await createPool({ threads: 2, worker: FAULTY });
    try {
      const graph = knnGraph(randomPoints(200, 4, 2), { k: 4 });
      const want = shortestPaths(graph, [0, 1, 2, 3, 4, 5, 6, 7]).distances;

      // an error inside a task: reported, and the worker lives on
      await expect(faulty.shortestPaths(graph, [14, 1])).rejects.toThrow(
        /worker: graph -7 was not sent to this worker/,
      );
      expect(
        Array.from((await faulty.shortestPaths(graph, [0, 1, 2, 3, 4, 5, 6, 7])).distances),
      ).toEqual(Array.from(want));

      // a worker thread that dies: the call rejects, a new worker takes its place
      await expect(faulty.shortestPaths(graph, [13, 1])).rejects.toThrow(
        /faulty worker: crashed on source 13/,
      );
      for (let i = 0; i < 3; i++) {
        expect(
          Array.from((await faulty.shortestPaths(graph, [0, 1, 2, 3, 4, 5, 6, 7])).distances),
        ).toEqual(Array.from(want));
      }
      const p = randomPoints(150, 5, 3);
      expectSameGraph(await faulty.knnGraph(p, { k: 4 }), knnGraph(p, { k: 4 }));
    } finally {
      await faulty.close();
    }
  });

  it("pool.close() ends the workers; later calls reject", async () => {
    const short = await createPool({ threads: 1, worker: WORKER });
    const graph = Graph.fromEdges({ nodes: 2, sources: [0], targets: [1], weights: [1] });
    expect(Array.from((await short.shortestPaths(graph, 0)).distances)).toEqual([0, 1]);
    await short.close();
    await expect(short.shortestPaths(graph, 0)).rejects.toThrow(/the pool is closed/);
  });
});

// The pool in Chromium (playwright-core, headless), from the built dist/ on
// 127.0.0.1: module Web Workers, with shared memory when the page is
// cross-origin isolated and with copies when it is not. The page compares
// the pool with the single-thread functions itself.
describe("pool in a browser", () => {
  const CHROMIUM = "/usr/bin/chromium";
  const ROOT = join(import.meta.dirname, "..");
  const PAGE = `<!doctype html><script type="module">
    import { init, knnGraph, shortestPaths, allPairs, createPool } from "/dist/index.js";
    const same = (x, y) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
    try {
      await init(new URL("/build/geodesic.wasm", location.href));
      const rows = 700, dim = 9;
      const data = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 0.731) * 3);
      const p = { data, rows, dim };
      const pool = await createPool({ threads: 2 });
      const a = knnGraph(p, { k: 6 });
      const b = await pool.knnGraph(p, { k: 6 });
      const s = await pool.shortestPaths(a, [0, 5, 77, 699]);
      const pairs = await pool.allPairs(a, { sources: [3, 1] });
      window.result = {
        isolated: self.crossOriginIsolated,
        shared: s.distances.buffer instanceof (self.SharedArrayBuffer ?? class {}),
        knn: same(a.targets, b.targets) && same(a.weights, b.weights),
        paths: same(shortestPaths(a, [0, 5, 77, 699]).distances, s.distances),
        pairs: same(allPairs(a, { sources: [3, 1] }), pairs),
      };
      await pool.close();
    } catch (error) {
      window.result = { error: String(error && error.stack || error) };
    }
  </script>`;

  function serve(isolated: boolean): Promise<{ server: Server; url: string }> {
    const types: Record<string, string> = { js: "text/javascript", wasm: "application/wasm" };
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const headers: Record<string, string> = isolated
        ? {
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Embedder-Policy": "require-corp",
          }
        : {};
      if (path === "/") {
        res.writeHead(200, { ...headers, "Content-Type": "text/html" }).end(PAGE);
        return;
      }
      const file = join(ROOT, path);
      const allowed = /^\/(dist\/[\w.-]+\.js|build\/geodesic\.wasm)$/.test(path);
      if (!allowed || !existsSync(file)) return void res.writeHead(404).end();
      const type = types[path.split(".").pop()!] ?? "application/octet-stream";
      res.writeHead(200, { ...headers, "Content-Type": type }).end(readFileSync(file));
    });
    return new Promise((resolve) =>
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        resolve({ server, url: `http://127.0.0.1:${port}/` });
      }),
    );
  }

  for (const isolated of [true, false]) {
    const how = isolated ? "shared memory" : "copies";
    it(`createPool() in Chromium (${how}) equals the single-thread functions`, async () => {
      if (!existsSync(join(ROOT, "dist", "worker.js"))) {
        throw new Error("dist/worker.js is missing: run `npm run build` (or npx tsup) first");
      }
      const { server, url } = await serve(isolated);
      const profile = mkdtempSync(join(tmpdir(), "geodesic-pool-"));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
        ],
      });
      try {
        await context.route("**/*", (route) =>
          route.request().url().startsWith(url) ? route.continue() : route.abort(),
        );
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(url);
        await page.waitForFunction(() => "result" in window, null, { timeout: 30_000 });
        const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
        expect(result).toEqual({ isolated, shared: isolated, knn: true, paths: true, pairs: true });
      } finally {
        await context.close();
        await new Promise((resolve) => server.close(resolve));
        rmSync(profile, { recursive: true, force: true });
      }
    });
  }
});
