// The package as a user gets it: `npm pack`, installed from the tarball into an
// empty folder with --offline (its dependencies come from the npm cache, so
// nothing is downloaded), then imported from Node, type-checked by tsc,
// bundled by esbuild, and linted by publint and @arethetypeswrong/cli.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "node_modules", ".bin");

let dir: string;
let app: string;
let tarball: string;
let packed: string[];

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  }
  return result.stdout;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first");
  }
  dir = mkdtempSync(join(tmpdir(), "geodesic-pack-"));
  const [info] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], ROOT));
  tarball = join(dir, info.filename);
  packed = info.files.map((f: { path: string }) => f.path);

  app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module" }),
  );
  // offline first; a machine whose npm cache holds the tarballs (npm ci puts them there) but
  // not the registry's metadata may ask the registry for that, and for nothing else
  const flags = ["--no-audit", "--no-fund", tarball];
  try {
    run("npm", ["install", "--offline", ...flags], app);
  } catch (error) {
    if (!/ENOTCACHED/.test((error as Error).message)) throw error;
    run("npm", ["install", "--prefer-offline", ...flags], app);
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("npm pack does ship dist, the .wasm, the word vectors and the data, and no sources", () => {
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/inline.js",
      "dist/summarize/index.js",
      "dist/cli.js",
      "build/geodesic.wasm",
      "build/vectors/glove-100d.bin",
      "data/amazon-copycat/dev.csv",
    ]) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((f) => /^(src|test|assembly|web|scripts|bench)\//.test(f))).toEqual([]);
  });

  it("import('geodesic-knn') from the installed tarball does build a graph and summarize", () => {
    writeFileSync(
      join(app, "main.js"),
      `import { initSync, knnGraph, shortestPaths } from "geodesic-knn";
import { splitSentences } from "geodesic-knn/summarize";
import * as inline from "geodesic-knn/inline";
initSync();
const graph = knnGraph([[0], [1], [3], [7]], { k: 1 });
const { distances } = shortestPaths(graph, [0]);
console.log(JSON.stringify({
  distances: Array.from(distances),
  sentences: splitSentences("Fine. Works well!").length,
  sameModule: inline.knnGraph === knnGraph,
}));
`,
    );
    const out = JSON.parse(run("node", ["main.js"], app));
    expect(out).toEqual({ distances: [0, 1, 3, 7], sentences: 2, sameModule: true });
  });

  it("the installed geodesic bin does run from node_modules/.bin", () => {
    const version = run(join(app, "node_modules", ".bin", "geodesic"), ["--version"], app);
    expect(version.trim()).toBe("0.1.0");
    const points = join(app, "points.csv");
    writeFileSync(points, "0,0\n1,0\n3,0\n");
    const edges = run(
      join(app, "node_modules", ".bin", "geodesic"),
      ["knn", points, "-k", "1"],
      app,
    );
    expect(edges).toBe("source,target,weight\n0,1,1\n1,2,2\n");
  });

  it("tsc on a user's file does resolve the package's types under node16 and bundler", () => {
    writeFileSync(
      join(app, "check.ts"),
      `import { init, knnGraph, type Graph } from "geodesic-knn";
import { summarize, type Summary } from "geodesic-knn/summarize";
import { initSync } from "geodesic-knn/inline";
await init();
initSync();
const graph: Graph = knnGraph([[0], [1]], { k: 1 });
const summary: Summary = summarize(["a"], [[1]]);
// @ts-expect-error: the types are real, so a wrong metric is refused
knnGraph([[0], [1]], { k: 1, metric: "manhattan" });
export { graph, summary };
`,
    );
    for (const resolution of ["node16", "bundler"]) {
      const config = join(app, `tsconfig.${resolution}.json`);
      const compilerOptions = {
        strict: true,
        noEmit: true,
        types: [],
        lib: ["es2022", "dom"],
        target: "es2022",
        module: resolution === "node16" ? "node16" : "esnext",
        moduleResolution: resolution,
      };
      writeFileSync(config, JSON.stringify({ compilerOptions, files: ["check.ts"] }));
      const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
      const result = spawnSync(process.execPath, [tsc, "-p", config], {
        cwd: app,
        encoding: "utf8",
      });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
  });

  it("esbuild bundles for the browser do work, with the .wasm beside them or inline", async () => {
    const out = join(app, "out");
    writeFileSync(
      join(app, "asset.js"),
      `import { init, knnGraph } from "geodesic-knn";
// esbuild leaves new URL(..., import.meta.url) alone, so the .wasm is copied beside the bundle
await init(new URL("./geodesic.wasm", import.meta.url));
console.log(knnGraph([[0], [1], [3]], { k: 1 }).edges);
`,
    );
    writeFileSync(
      join(app, "inline.js"),
      `import { initSync, knnGraph } from "geodesic-knn/inline";
initSync();
console.log(knnGraph([[0], [1], [3]], { k: 1 }).edges);
`,
    );
    const result = await build({
      entryPoints: [join(app, "asset.js"), join(app, "inline.js")],
      outdir: out,
      absWorkingDir: app,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      logLevel: "silent",
      metafile: true,
    });
    expect(result.warnings).toEqual([]);
    // nothing from node: may reach a browser bundle
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => path.startsWith("node:"))).toEqual([]);

    copyFileSync(
      join(app, "node_modules", "geodesic-knn", "build", "geodesic.wasm"),
      join(out, "geodesic.wasm"),
    );
    expect(execFileSync("node", [join(out, "asset.js")], { encoding: "utf8" }).trim()).toBe("4");
    rmSync(join(out, "geodesic.wasm"));
    expect(execFileSync("node", [join(out, "inline.js")], { encoding: "utf8" }).trim()).toBe("4");
  });

  it("publint on the tarball does report nothing, warnings counted as errors", () => {
    const out = run(join(BIN, "publint"), ["run", tarball, "--strict"], ROOT);
    expect(out).toMatch(/All good!/);
  });

  it("attw on the tarball does find no problem for ESM consumers (node16 and bundlers)", () => {
    const result = spawnSync(
      join(BIN, "attw"),
      [tarball, "--profile", "esm-only", "--format", "json"],
      {
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    const problems = (report.analysis?.problems ?? []).filter(
      (p: { resolutionKind?: string }) =>
        p.resolutionKind !== "node10" && p.resolutionKind !== "node16-cjs",
    );
    expect(problems).toEqual([]);
  });
});
