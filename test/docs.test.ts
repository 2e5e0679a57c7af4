// The README cannot rot: every ```sh command in it runs here, every ```text
// block that starts with "$ geodesic ..." must equal what that command prints,
// and every ```js / ```ts example runs against the package by its own name.
// `npm ci`, `npm test` and `npm start` would reinstall, recurse or rebuild, so
// for them the test checks the lock file, checks the scripts, or runs the
// script's underlying command; see `runNpm`.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const CLI = join(ROOT, "dist", "cli.js");
const TSX = join(ROOT, "node_modules", "tsx", "dist", "esm", "index.mjs");

/** Fenced blocks of the README, with their language and first line number. */
function blocks(): { lang: string; body: string; line: number }[] {
  const found: { lang: string; body: string; line: number }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of README.matchAll(fence)) {
    found.push({ lang: m[1], body: m[2], line: README.slice(0, m.index).split("\n").length });
  }
  return found;
}

// a scratch folder where the examples run: `examples/` as in the clone, and the
// package itself as node_modules/geodesic-knn, so that imports by name resolve
let work: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  work = mkdtempSync(join(tmpdir(), "geodesic-docs-"));
  symlinkSync(join(ROOT, "examples"), join(work, "examples"));
  writeFileSync(join(work, "package.json"), JSON.stringify({ private: true, type: "module" }));
  mkdirSync(join(work, "node_modules"));
  symlinkSync(ROOT, join(work, "node_modules", "geodesic-knn"));
});

function run(argv: string[], env: Record<string, string> = {}) {
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `geodesic ...` as the built command, split on spaces: the README quotes no argument. */
function runGeodesic(command: string) {
  return run([process.execPath, CLI, ...command.split(/\s+/).slice(1)]);
}

/** What each npm command of the README stands for here. */
async function runNpm(command: string): Promise<void> {
  const [, verb, name] = command.split(/\s+/);
  const script = verb === "run" ? name : verb;
  if (script === "ci") {
    // installing again would take minutes: the lock file must match package.json instead
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    expect(lock.packages[""].dependencies).toEqual(PKG.dependencies);
    expect(lock.packages[""].devDependencies).toEqual(PKG.devDependencies);
    return;
  }
  expect(PKG.scripts[script], `package.json has no script "${script}"`).toBeDefined();
  if (script === "test") {
    // running it would run this file again: it must build, then run vitest
    expect(PKG.scripts.pretest).toBe("npm run build");
    expect(PKG.scripts.test).toBe("vitest run");
  } else if (script === "build") {
    // npm test has just built: everything the build makes must be there
    for (const file of ["dist/index.js", "dist/inline.js", "dist/cli.js", "build/geodesic.wasm"]) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
    expect(existsSync(join(ROOT, "build/web/index.html"))).toBe(true);
  } else if (script === "start") {
    // the script's own command, in the scratch folder so that out/ lands there
    expect(PKG.scripts.start).toBe("node dist/cli.js summarize");
    const r = run([process.execPath, CLI, "summarize"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OPOSUM .*\n[\s\S]*^Amazon /m);
    expect(existsSync(join(work, "out", "report.md"))).toBe(true);
  } else if (script === "demo") {
    await checkDemoServer();
  } else {
    throw new Error(`docs.test.ts does not know how to check \`${command}\`: teach runNpm`);
  }
}

// `npm run demo` serves the page: start its script on a free port, fetch the page, stop it
async function checkDemoServer(): Promise<void> {
  const { spawn } = await import("node:child_process");
  const server = spawn(process.execPath, [join(ROOT, "scripts", "serve-web.mjs")], {
    env: { ...process.env, PORT: "0" },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout.on("data", (chunk: Buffer) => {
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(chunk));
        if (m) resolve(m[0]);
      });
      server.on("exit", (code) => reject(new Error(`serve-web.mjs exited with ${code}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>geodesic-knn/);
    expect((await fetch(`${url}geodesic.wasm`)).headers.get("content-type")).toBe(
      "application/wasm",
    );
    expect((await fetch(`${url}../../package.json`)).status).toBe(404);
  } finally {
    server.kill();
  }
}

describe("README.md", () => {
  it("README.md ```sh blocks do run, every command", async () => {
    const commands = blocks()
      .filter((b) => b.lang === "sh")
      .flatMap((b) => b.body.split("\n"))
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "")
      .flatMap((line) => line.split("&&").map((c) => c.trim()));
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) {
      if (command.startsWith("npm ")) {
        await runNpm(command);
      } else if (command.startsWith("geodesic ")) {
        const r = runGeodesic(command);
        expect(r.stderr, command).toBe("");
        expect(r.code, command).toBe(0);
      } else {
        throw new Error(`docs.test.ts does not know how to run \`${command}\``);
      }
    }
  });

  it("README.md ```text blocks that start with $ geodesic do show exactly what it prints", () => {
    const shown = blocks().filter((b) => b.lang === "text" && b.body.startsWith("$ geodesic "));
    expect(shown.map((b) => b.body.split("\n")[0])).toContain("$ geodesic --help");
    for (const block of shown) {
      const [first, ...rest] = block.body.split("\n");
      const r = runGeodesic(first.slice(2));
      expect(r.code).toBe(0);
      expect(`README.md:${block.line}\n${r.stdout}`).toBe(
        `README.md:${block.line}\n${rest.join("\n")}`,
      );
    }
  });

  it("README.md ```js and ```ts examples do run against the package by name", () => {
    const examples = blocks().filter((b) => b.lang === "js" || b.lang === "ts");
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const [i, example] of examples.entries()) {
      const file = join(work, `example-${i}.${example.lang === "ts" ? "ts" : "mjs"}`);
      writeFileSync(file, example.body);
      const r = run([process.execPath, ...(example.lang === "ts" ? ["--import", TSX] : []), file]);
      expect(`README.md:${example.line}\n${r.stderr}`).toBe(`README.md:${example.line}\n`);
      expect(r.code).toBe(0);
    }
  });

  it("README.md's `npm run ...` mentions do name scripts of package.json", () => {
    const mentioned = [...README.matchAll(/`npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(mentioned.length).toBeGreaterThan(3);
    for (const name of mentioned) expect(PKG.scripts, name).toHaveProperty([name]);
  });

  it("README.md's screenshot docs/demo.png does exist", () => {
    const image = /!\[[^\]]*\]\((docs\/demo\.png)\)/.exec(README);
    expect(image).not.toBeNull();
    expect(readFileSync(join(ROOT, image![1])).subarray(1, 4).toString()).toBe("PNG");
  });
});
