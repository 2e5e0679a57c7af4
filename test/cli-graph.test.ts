// `geodesic knn`, `paths` and `geodesic` as a user runs them: every input format,
// every output format, NumPy reading what the CLI wrote (and writing what it
// reads), the numbers equal to the library's, and errors as one line.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { geodesicFrom, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { parseCsv } from "../src/io/tables.js";
import { randomPoints } from "./random.js";

const ROOT = join(import.meta.dirname, "..");
const PYTHON = "/usr/bin/python3";
// the built command, as installed (npm test builds first): it starts in a fifth of the
// time tsx takes, and this file runs it some forty times
const CLI = join(ROOT, "dist", "cli.js");

function geodesic(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: "utf8",
    input,
    env: { ...process.env, NO_COLOR: "1" },
    // a hung child would block the worker, where vitest's own timeout cannot fire
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs Python with Debian's NumPy; the script's stdout is parsed as JSON. */
function numpy(script: string): unknown {
  const out = execFileSync(PYTHON, ["-c", `import json, numpy as np\n${script}`], {
    cwd: dir,
    encoding: "utf8",
  });
  return JSON.parse(out);
}

let dir: string;
const points = randomPoints(60, 3, 5);
const rows = (data: Float32Array, dim: number) =>
  Array.from({ length: data.length / dim }, (_, i) =>
    Array.from(data.subarray(i * dim, (i + 1) * dim)),
  );

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  initSync();
  dir = mkdtempSync(join(tmpdir(), "geodesic-cli-"));
  try {
    execFileSync(PYTHON, ["-c", "import numpy"]);
  } catch {
    throw new Error(`${PYTHON} cannot import numpy: apt-get install python3-numpy`);
  }
  // the same points in every input format; NumPy writes the .npy files
  writeFileSync(join(dir, "points.json"), JSON.stringify(rows(points.data, 3)));
  numpy(`p = np.array(json.load(open("points.json")), dtype=np.float32)
np.save("points32.npy", p)
np.save("points64.npy", p.astype(np.float64))
p.astype("<f4").tofile("points.f32")
print(json.dumps(0))`);
  writeFileSync(
    join(dir, "points.csv"),
    "a,b,c\n" +
      rows(points.data, 3)
        .map((r) => r.join(","))
        .join("\n"),
  );
  writeFileSync(
    join(dir, "points.jsonl"),
    rows(points.data, 3)
      .map((r) => JSON.stringify(r))
      .join("\n"),
  );
});

describe("geodesic knn", () => {
  it("geodesic knn (every input format) does write the library's edges, each once", () => {
    const graph = knnGraph(points, { k: 4 });
    const want: string[] = ["source,target,weight"];
    for (let u = 0; u < graph.nodes; u++) {
      for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
        if (graph.targets[e] > u) want.push(`${u},${graph.targets[e]},${graph.weights[e]}`);
      }
    }
    for (const input of [
      ["points32.npy"],
      ["points64.npy"],
      ["points.f32", "--dim", "3"],
      ["points.csv"],
      ["points.jsonl"],
    ]) {
      const r = geodesic(["knn", ...input, "--k", "4"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const got = r.stdout.trim().split("\n");
      // weights are written short; each reads back as the library's float32
      expect(got.map((l) => l.split(",").slice(0, 2).join())).toEqual(
        want.map((l) => l.split(",").slice(0, 2).join()),
      );
      const weights = got.slice(1).map((l) => Math.fround(Number(l.split(",")[2])));
      expect(weights).toEqual(want.slice(1).map((l) => Number(l.split(",")[2])));
    }
  });

  it("geodesic knn - --from csv does read standard input", () => {
    const r = geodesic(["knn", "-", "--from", "csv", "--k", "1"], "0,0\n1,0\n3,0\n");
    expect(r.stdout).toBe("source,target,weight\n0,1,1\n1,2,2\n");
  });

  it("geodesic knn --output edges.npy does write a file NumPy reads as (edges, 3) float64", () => {
    const r = geodesic(["knn", "points64.npy", "--k", "4", "--output", "edges.npy"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const got = numpy(`e = np.load("edges.npy")
print(json.dumps([e.dtype.str, list(e.shape), bool((e[:, 0] < e[:, 1]).all())]))`);
    const edges = knnGraph(points, { k: 4 }).edges / 2;
    expect(got).toEqual(["<f8", [edges, 3], true]);
  });

  it("geodesic knn --graph csr does write the JSON that Graph.fromCSR takes", () => {
    const r = geodesic(["knn", "points.csv", "--k", "4", "--graph", "csr"]);
    const csr = JSON.parse(r.stdout);
    const graph = knnGraph(points, { k: 4 });
    expect(csr.nodes).toBe(60);
    expect(csr.directed).toBe(false);
    expect(csr.offsets).toEqual(Array.from(graph.offsets));
    expect(csr.targets).toEqual(Array.from(graph.targets));
    expect(Float32Array.from(csr.weights)).toEqual(graph.weights);
  });
});

describe("geodesic --output with --to", () => {
  it("geodesic knn --output x.txt --to csv does write CSV, and --to table the whole table", () => {
    const csv = geodesic(["knn", "points.csv", "--k", "4", "-o", "edges.txt", "--to", "csv"]);
    expect(csv.code).toBe(0);
    const want = geodesic(["knn", "points.csv", "--k", "4", "--to", "csv"]).stdout;
    expect(readFileSync(join(dir, "edges.txt"), "utf8")).toBe(want);

    const table = geodesic([
      "knn",
      "points.csv",
      "--k",
      "4",
      "-o",
      "edges-table.txt",
      "--to",
      "table",
    ]);
    expect(table.code).toBe(0);
    const lines = readFileSync(join(dir, "edges-table.txt"), "utf8").trimEnd().split("\n");
    // a header, its rule, and every edge: nothing cut to fit a screen
    expect(lines[0]).toMatch(/^source\s+target\s+weight$/);
    expect(lines.length).toBe(want.trimEnd().split("\n").length + 1);
    expect(lines.at(-1)).not.toMatch(/more rows/);
  });
});

describe("geodesic paths", () => {
  it("geodesic paths (CSR .json, edges .csv, .jsonl, .npy) does write the same distances", () => {
    geodesic(["knn", "points.csv", "--k", "4", "--graph", "csr", "--output", "g.json"]);
    for (const ext of ["csv", "jsonl", "npy"]) {
      geodesic(["knn", "points.csv", "--k", "4", "--output", `g.${ext}`]);
    }
    const outputs = ["json", "csv", "jsonl", "npy"].map((ext) => {
      const r = geodesic(["paths", `g.${ext}`, "--sources", "0,7-9"]);
      expect(r.stderr).toBe("");
      return r.stdout;
    });
    expect(new Set(outputs).size).toBe(1);

    const graph = knnGraph(points, { k: 4 });
    const want = shortestPaths(graph, [0, 7, 8, 9]).distances;
    expect(parseCsv(outputs[0]).data).toEqual(want);
  });

  it("geodesic paths --output .npy/.csv/.jsonl does write the same float64 for NumPy", () => {
    for (const ext of ["npy", "csv", "jsonl"]) {
      const r = geodesic([
        "paths",
        "g.csv",
        "--sources",
        "all",
        "--limit",
        "0.8",
        "--output",
        `d.${ext}`,
      ]);
      expect(r.code).toBe(0);
    }
    const got = numpy(`a = np.load("d.npy")
b = np.loadtxt("d.csv", delimiter=",")
c = np.array([[np.inf if x is None else x for x in json.loads(l)] for l in open("d.jsonl")])
same = [bool(np.array_equal(a, b)), bool(np.array_equal(a, c))]
print(json.dumps([a.dtype.str, list(a.shape), *same,
  int(np.isinf(a).sum()), [float(x) for x in a[3][np.isfinite(a[3])]]]))`) as unknown[];
    const graph = knnGraph(points, { k: 4 });
    const want = shortestPaths(
      graph,
      Array.from({ length: 60 }, (_, i) => i),
      { limit: 0.8 },
    ).distances;
    const infinite = want.filter((x) => x === Infinity).length;
    expect(got.slice(0, 5)).toEqual(["<f8", [60, 60], true, true, infinite]);
    expect(infinite).toBeGreaterThan(0);
    expect(got[5]).toEqual(Array.from(want.subarray(180, 240)).filter(Number.isFinite));
  });

  it("geodesic paths --directed --nodes does take edges one way and count isolated nodes", () => {
    writeFileSync(join(dir, "chain.csv"), "source,target,weight\n0,1,1.5\n1,2,2\n");
    const r = geodesic(["paths", "chain.csv", "--sources", "2,0", "--directed", "--nodes", "4"]);
    expect(r.stdout).toBe("inf,inf,0,inf\n0,1.5,3.5,inf\n");
  });

  it("geodesic paths --to table does print the source column and what it left out", () => {
    const r = geodesic(["paths", "g.csv", "--sources", "3", "--to", "table"]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^source\s+0\s+1\s+2/);
    expect(lines[2]).toMatch(/^3\s+/);
    expect(lines.at(-1)).toMatch(/^\.\.\. \d+ more columns: write them with --output FILE$/);
  });
});

describe("geodesic geodesic", () => {
  it("geodesic geodesic --query (vector, file) does write the library's geodesicFrom", () => {
    const graph = knnGraph(points, { k: 5 });
    const queries = [
      [0.5, -0.25, 1],
      [0, 0, 0],
    ];
    const want = queries.map((q) => Array.from(geodesicFrom(graph, points, q, { k: 3 })));
    const one = geodesic([
      "geodesic",
      "points64.npy",
      "--query",
      "0.5,-0.25,1",
      "--k",
      "5",
      "--attach",
      "3",
    ]);
    expect(Array.from(parseCsv(one.stdout).data)).toEqual(want[0]);

    writeFileSync(join(dir, "queries.json"), JSON.stringify(queries));
    numpy(`np.save("queries.npy", np.array(json.load(open("queries.json"))))\nprint(0)`);
    const two = geodesic([
      "geodesic",
      "points32.npy",
      "-q",
      "queries.npy",
      "-k",
      "5",
      "--attach",
      "3",
      "-o",
      "from.npy",
    ]);
    expect(two.code).toBe(0);
    const got = numpy(`print(json.dumps(np.load("from.npy").tolist()))`);
    expect(got).toEqual(want);
  });
});

describe("geodesic errors", () => {
  const bad: [string, string[], number, RegExp][] = [
    ["a missing file", ["knn", "nothere.csv"], 1, /^geodesic: nothere.csv: no such file\n$/],
    [
      "a cell that is not a number",
      ["knn", "BAD"],
      1,
      /bad.csv:3: cell 2 is "x"; expected a number/,
    ],
    [
      "NaN in points",
      ["knn", "NAN"],
      1,
      /nan.csv: row 1, column 0 \(from 0\) is NaN; expected a finite/,
    ],
    [
      "k too large",
      ["knn", "points.csv", "--k", "60"],
      1,
      /--k is 60; expected at most 59, as points.csv has 60/,
    ],
    ["a raw file without --dim", ["knn", "points.f32"], 2, /raw float32 input needs --dim N/],
    [
      "a raw file of the wrong --dim",
      ["knn", "points.f32", "--dim", "7"],
      1,
      /expected a multiple of 28/,
    ],
    [
      "an unknown output extension",
      ["knn", "points.csv", "-o", "x.txt2"],
      2,
      /cannot tell the format/,
    ],
    [
      "a .txt output without --to",
      ["knn", "points.csv", "-o", "x.txt"],
      2,
      /--output x.txt: cannot tell the format from the extension; .* or pass --to /,
    ],
    [
      "an --output extension that --to contradicts",
      ["knn", "points.csv", "-o", "x.npy", "--to", "table"],
      2,
      /--output x.npy is a .npy file, but --to is table; give --output a .txt name/,
    ],
    [
      "--to npy into a text file",
      ["paths", "g.csv", "--sources", "0", "-o", "x.txt", "--to", "npy"],
      2,
      /--output x.txt is a text file, but --to is npy/,
    ],
    [
      "CSR JSON into a .csv file",
      ["knn", "points.csv", "--graph", "csr", "--to", "json", "-o", "g2.csv"],
      2,
      /--output g2.csv is a .csv file, but --to is json/,
    ],
    ["a single point", ["knn", "ONE"], 1, /one.csv: 1 row of 3 values; expected at least 2 points/],
    [
      "CSR to CSV",
      ["knn", "points.csv", "--graph", "csr", "-o", "g2.csv"],
      2,
      /--graph csr is written as one JSON/,
    ],
    [
      "a source out of range",
      ["paths", "g.csv", "--sources", "60"],
      1,
      /--sources: "60" is not a node id or range in \[0, 59\]/,
    ],
    ["a negative weight", ["paths", "NEG", "--sources", "0"], 1, /neg.csv: .*weights\[0\] is -1/],
    [
      "a query of the wrong length",
      ["geodesic", "points.csv", "--query", "1,2"],
      1,
      /--query 1,2: 1 x 2 numbers; expected rows of 3/,
    ],
    [
      "a query that is neither numbers nor a file",
      ["geodesic", "points.csv", "--query", "a,b"],
      1,
      /--query a,b: neither a vector of numbers \("a" is not a number\) nor a readable file/,
    ],
    [
      "--attach beyond the points",
      ["geodesic", "points.csv", "--query", "0,0,0", "--attach", "500"],
      1,
      /^geodesic: --attach is 500; expected at most 60, as points.csv has 60 points\n$/,
    ],
    [
      "a missing --query",
      ["geodesic", "points.csv"],
      2,
      /required option '-q, --query <vector\|file>' not specified/,
    ],
    [
      "an unknown metric",
      ["knn", "points.csv", "--metric", "manhattan"],
      2,
      /Allowed choices are euclidean/,
    ],
    [
      "a zero vector with a cosine metric",
      ["knn", "ZERO", "--metric", "cosine", "-k", "1"],
      1,
      /zero.csv: points row 1 is a zero vector/,
    ],
  ];
  for (const [what, args, code, message] of bad) {
    it(`geodesic ${args[0]} refuses ${what} with one line and exit code ${code}`, () => {
      writeFileSync(join(dir, "bad.csv"), "x,y\n1,2\n3,x\n");
      writeFileSync(join(dir, "nan.csv"), "1,2\nnan,3\n");
      writeFileSync(join(dir, "neg.csv"), "0,1,-1\n");
      writeFileSync(join(dir, "zero.csv"), "1,0\n0,0\n0,1\n");
      writeFileSync(join(dir, "one.csv"), "1,2,3\n");
      const names: Record<string, string> = {
        ONE: "one.csv",
        BAD: "bad.csv",
        NAN: "nan.csv",
        NEG: "neg.csv",
        ZERO: "zero.csv",
      };
      const r = geodesic(args.map((a) => names[a] ?? a));
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(code);
    });
  }

  it("geodesic knn refuses an --output that --to contradicts before writing any file", () => {
    const r = geodesic(["knn", "points.csv", "-o", "refused.npy", "--to", "csv"]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, "refused.npy"))).toBe(false);
  });
});

describe("geodesic on a terminal", () => {
  // `script` runs the command on a pseudo-terminal, as a user's shell would
  const onTerminal = (args: string[]) => {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(" ");
    // stdin from /dev/null: script forwards stdin to the terminal and waits for its end
    return spawnSync("script", ["-qec", command, "/dev/null"], {
      stdio: ["ignore", "pipe", "pipe"],
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, COLUMNS: "100", LINES: "40" },
      timeout: 60_000,
    });
  };

  it("geodesic paths on a terminal does draw a progress bar on stderr, off one draws none", () => {
    // 3000 nodes: 1398 sources per block of 32 MiB, so three blocks
    const big = randomPoints(3000, 2, 9);
    writeFileSync(
      join(dir, "big.csv"),
      rows(big.data, 2)
        .map((r) => r.join(","))
        .join("\n"),
    );
    geodesic(["knn", "big.csv", "-k", "5", "-o", "big-graph.csv"]);

    const tty = onTerminal(["paths", "big-graph.csv", "--sources", "all", "-o", "tty.npy"]);
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/shortest paths .*\/3/);

    const piped = geodesic(["paths", "big-graph.csv", "--sources", "all", "-o", "piped.npy"]);
    expect(piped.stderr).toBe("");
    // 72 MB each: compared as bytes, not element by element
    const same = readFileSync(join(dir, "tty.npy")).equals(readFileSync(join(dir, "piped.npy")));
    expect(same).toBe(true);
  });

  it("geodesic knn on a terminal does print a table, and refuses .npy there", () => {
    const table = onTerminal(["knn", "points.csv", "-k", "2"]);
    expect(table.stdout).toMatch(/source\s+target\s+weight/);
    const npy = onTerminal(["knn", "points.csv", "-k", "2", "--to", "npy"]);
    expect(npy.status).toBe(2);
    expect(npy.stdout).toMatch(/refusing to write .npy to a terminal; pass --output FILE.npy/);
  });
});

describe("geodesic --help", () => {
  for (const command of ["knn", "paths", "geodesic", "summarize"]) {
    it(`geodesic ${command} --help does print its usage and exit 0`, () => {
      const r = geodesic([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: geodesic ${command} \\[options\\]`));
    });
  }

  it("geodesic --version does print the package's version", () => {
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    expect(geodesic(["--version"]).stdout.trim()).toBe(version);
  });
});
