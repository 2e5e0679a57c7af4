// Many pool calls in flight at once on two threads, with aborts and crashing
// workers: no result lost, none mixed up, the pool usable afterwards, and
// close() settling every call. scripts/soak.ts runs the same storm longer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Graph, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { createPool, type Pool } from "../src/pool.js";
import { guarantee } from "./guarantee.js";
import { randomPoints } from "./random.js";
import { FAULTY, closeDuring, planStorm, runStorm, sameBits } from "./soak/pool.js";

initSync();

let pool: Pool;
beforeAll(async () => {
  pool = await createPool({ threads: 2, worker: FAULTY });
});
afterAll(() => pool?.close());

describe("pool soak", () => {
  it("calls in flight at once, some aborted or crashing: each ends as it must", async () => {
    const calls = 160;
    const plan = planStorm({ calls, seed: 1, crashes: 0.02, aborts: 0.15 });
    const report = await runStorm(pool, plan, 1);
    expect(report.wrong).toEqual([]);
    const count = (pattern: RegExp) =>
      Object.entries(report.outcomes)
        .filter(([key]) => pattern.test(key))
        .reduce((sum, [, n]) => sum + n, 0);
    // the storm had every kind of call and outcome in it
    expect(count(/^knn: right/)).toBeGreaterThan(10);
    expect(count(/^paths: right/)).toBeGreaterThan(10);
    expect(count(/^geodesic: right/)).toBeGreaterThan(10);
    expect(count(/^allPairs: right/)).toBeGreaterThan(10);
    expect(count(/abort (before|queued): aborted/)).toBeGreaterThan(5);
    expect(count(/^crash: expected error/)).toBeGreaterThan(0);
    expect(count(/^fault: expected error/)).toBeGreaterThan(0);

    // and the pool goes on: a second storm without faults is all right
    const after = await runStorm(pool, planStorm({ calls: 40, seed: 2, crashes: 0, aborts: 0 }), 2);
    expect(after.wrong).toEqual([]);
    guarantee("pool calls in flight with aborts and crashes end as they must", calls + 40);
  });

  it("pool.close() with calls running and queued settles every one of them", async () => {
    const short = await createPool({ threads: 2, worker: FAULTY });
    const plan = planStorm({ calls: 30, seed: 3, crashes: 0, aborts: 0 });
    expect(await closeDuring(short, plan)).toEqual([]);
    const g = Graph.fromEdges({ nodes: 2, sources: [0], targets: [1], weights: [1] });
    await expect(short.shortestPaths(g, 0)).rejects.toThrow(/the pool is closed/);
    guarantee("pool.close() settles every call in flight", plan.length);
  });

  // regression: a call whose task waited for a worker restarted after a
  // crash is not `busy`, and the terminated worker never reports its exit, so
  // close() left it (and the calls queued behind it) pending forever
  it("pool.close() settles a call waiting for a worker restarted after a crash", async () => {
    const short = await createPool({ threads: 2, worker: FAULTY });
    const graph = knnGraph(randomPoints(60, 3, 4), { k: 3 });
    let state = "pending";
    const crash = short.shortestPaths(graph, [13]); // worker 0 dies and restarts
    const next = short.shortestPaths(graph, [0]); // one task, for worker 0
    next.then(
      () => (state = "fulfilled"),
      () => (state = "rejected"),
    );
    await expect(crash).rejects.toThrow(/crashed on source 13/);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await short.close();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(state).toBe("rejected");
  });

  // regression: a call that fails or is aborted replaces only its busy
  // workers; its task still waiting for a restarting worker was sent once that
  // worker was ready, crashed it, and failed the next call with its crash
  it("an aborted call's task waiting for a restarted worker cannot fail the next", async () => {
    const graph = knnGraph(randomPoints(60, 3, 5), { k: 3 });
    const controller = new AbortController();
    const crash = pool.shortestPaths(graph, [13]); // worker 0 dies and restarts
    const aborted = pool.shortestPaths(graph, [13], { signal: controller.signal });
    const next = pool.shortestPaths(graph, [0]);
    crash.catch(() => setTimeout(() => controller.abort(), 0));
    await expect(crash).rejects.toThrow(/crashed on source 13/);
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    const got = await next;
    expect(sameBits(got.distances, shortestPaths(graph, [0]).distances)).toBe(true);
  });
});
