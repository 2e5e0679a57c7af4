// Fuzzing of everything taken from outside, bounded by counts so that it
// runs in seconds: the graph builders, the .npy reader, the table and review
// readers and the `geodesic` command (test/fuzz-cases.ts has the arbitraries
// and the checks). `npm run fuzz` runs the same targets for longer. Then the
// regressions the fuzz found, one test each.

import { existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Graph, initSync, shortestPaths } from "../src/index.js";
import { parseNpy, writeNpy } from "../src/io/npy.js";
import { parseOposumAspects } from "../src/summarize/datasets.js";
import { parseEntitiesJsonl } from "../src/summarize/jsonl.js";
import { RUNS, SEED } from "./arbitraries.js";
import { ROOT, TARGETS, checkCli, cliCase, cliTarget, stillWorks } from "./fuzz-cases.js";
import { assertProperty, guarantee } from "./guarantee.js";

beforeAll(() => initSync());

// runs of each in-process target per FC_RUNS (100 by default): they are cheap
const IN_PROCESS_RUNS = 10;
// CLI cases per FC_RUNS: each spawns node
const CLI_CASES = 0.32;

describe("fuzz: nothing taken from outside crashes, is misreported or corrupts state", () => {
  TARGETS.forEach((target, i) => {
    it(target.title, () => {
      const property = fc.property(target.arbitrary, (value) => target.check(value) as void);
      const numRuns = Math.max(1, Math.round(RUNS * IN_PROCESS_RUNS * (target.weight ?? 1)));
      assertProperty(target.name, property, { seed: SEED + i, numRuns });
    });
  });

  it(cliTarget.title, async () => {
    const cli = join(ROOT, "dist", "cli.js");
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    let cases = 0;
    // two commands at a time
    const pair = fc.tuple(cliCase, cliCase);
    await fc.assert(
      fc.asyncProperty(pair, async (cs) => {
        await Promise.all(cs.map(checkCli));
        cases += cs.length;
      }),
      { seed: SEED, numRuns: Math.max(1, Math.round((RUNS * CLI_CASES) / 2)) },
    );
    guarantee(cliTarget.name, cases);
  });
});

describe("regressions found by the fuzz", () => {
  it("Graph.fromEdges(more nodes than WebAssembly memory holds) throws naming edges", () => {
    const list = { nodes: 2 ** 30, sources: [0], targets: [1], weights: [1] };
    expect(() => Graph.fromEdges(list)).toThrow(RangeError);
    expect(() => Graph.fromEdges(list)).toThrow(/^edges: a graph of 1073741824 nodes/);
    stillWorks();
  });

  it("Graph.fromNeighbors(options.nodes 2^31 - 2) throws naming options.nodes", () => {
    // it used to fill an 8 GiB array of slots before finding out
    const call = () => Graph.fromNeighbors([1, 0], [1, 1], { k: 1, nodes: 2 ** 31 - 2 });
    expect(call).toThrow(RangeError);
    expect(call).toThrow(/^options\.nodes = 2147483646: a graph of 2147483646 nodes needs/);
    stillWorks();
  });

  it("new Graph(parts with directed, metric, k or bridges of the wrong kind) throws", () => {
    const parts = {
      offsets: Int32Array.from([0, 1, 2]),
      targets: Int32Array.from([1, 0]),
      weights: Float32Array.from([1, 1]),
      directed: false,
    };
    const bad: [object, RegExp][] = [
      [{ directed: "yes" }, /^directed is "yes"; expected true or false/],
      [{ directed: 1 }, /^directed is 1; expected true or false/],
      [{ metric: "manhattan" }, /^metric is "manhattan"; expected one of/],
      [{ k: 0 }, /^k is 0; expected an integer in \[1,/],
      [{ bridges: "none" }, /^bridges is "none"; expected an array/],
      [{ bridges: [{ source: 0, target: 2, weight: 1 }] }, /^bridges\[0\]\.target is 2/],
      [{ bridges: [{ source: 0, target: 1, weight: NaN }] }, /^bridges\[0\]\.weight is NaN/],
    ];
    for (const [change, message] of bad) {
      expect(() => new Graph({ ...parts, ...change } as never)).toThrow(message);
    }
    const graph = new Graph({ ...parts, directed: undefined } as never);
    expect(graph.directed).toBe(false);
    expect(Array.from(shortestPaths(graph, 0).distances)).toEqual([0, 1]);
  });

  function npyWithHeader(header: string): Uint8Array {
    const text = header + "\n";
    const out = new Uint8Array(10 + text.length + 4);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(out.buffer).setUint16(8, text.length, true);
    for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
    return out;
  }

  it("parseNpy(header with 30000 nested tuples) throws naming the header, not the stack", () => {
    const deep = "(".repeat(30000) + "1" + ")".repeat(30000);
    const bytes = npyWithHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': ${deep}, }`);
    expect(() => parseNpy(bytes)).toThrow(RangeError);
    expect(() => parseNpy(bytes)).toThrow(/^parseNpy: header: expected a value nested at most/);
  });

  it("parseNpy(header with a __proto__ key besides the three) throws naming the keys", () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), '__proto__': (1,), }";
    expect(() => parseNpy(npyWithHeader(header))).toThrow(
      /^parseNpy: header keys: expected descr, fortran_order, shape, got __proto__, descr/,
    );
  });

  it("parseNpy(shape (-0,)) reads the shape as (0,), not (-0,)", () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (-0,), }";
    const bytes = npyWithHeader(header).subarray(0, 10 + header.length + 1);
    const { shape } = parseNpy(bytes);
    expect(Object.is(shape[0], 0)).toBe(true);
    expect(parseNpy(writeNpy(new Float32Array(0), shape)).shape).toEqual([0]);
  });

  it("parseOposumAspects(aspect cell empty, '.0' or '1e0') throws naming the line", () => {
    for (const cell of ["", " ", ".0", "1e0", "0x1", "0 +1"]) {
      const text = `price|quality\nB01-0001\nnice\t0\ncheap\t${cell}\n`;
      expect(() => parseOposumAspects(text, "boots", "b.asp"), cell).toThrow(
        /^b\.asp:4: expected aspect indices in \[0, 1\]/,
      );
    }
    const ok = parseOposumAspects("price|quality\nB01-0001\nnice\t01  1\n", "boots", "b.asp");
    expect(ok.reviews[0].labels).toEqual([[1, 1]]);
  });

  it("parseEntitiesJsonl(a line with no sentences) throws naming the line", () => {
    const lines = ['{"id": "a", "text": "Fine."}', '{"id": "b", "text": ""}'];
    expect(() => parseEntitiesJsonl(lines.join("\n"), "r.jsonl")).toThrow(
      /^r\.jsonl:2: expected at least one sentence/,
    );
    for (const row of ['{"sentences": []}', '{"reviews": []}', '{"reviews": ["", " "]}']) {
      expect(() => parseEntitiesJsonl(row, "r.jsonl"), row).toThrow(/^r\.jsonl:1: expected at/);
    }
    expect(parseEntitiesJsonl(lines[0], "r.jsonl")[0].sentences).toEqual(["Fine."]);
  });
});
