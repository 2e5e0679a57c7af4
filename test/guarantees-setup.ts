// vitest global setup for the README's "Guarantees" table: gives each run a
// folder for the counts that test/guarantee.ts records, and at the end of a
// complete run (every test file, all passed, default FC_SEED and FC_RUNS)
// keeps the merged counts in out/guarantees.json and fails the run when the
// README's table differs from them. A partial or overridden run checks nothing.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { MERGED, mergeFolder, renderTable, staleness } from "./guarantees-table.js";

const ROOT = join(import.meta.dirname, "..");

/** Why this run's counts are not the README's, or undefined when they should be. */
function partial(project: TestProject, testFiles: readonly string[]): string | undefined {
  if (process.env.FC_SEED || process.env.FC_RUNS) return "FC_SEED or FC_RUNS is set";
  if (project.vitest.config.testNamePattern) return "a test name filter is set";
  const ran = new Map(project.vitest.state.getFiles().map((f) => [resolve(f.filepath), f]));
  for (const path of testFiles) {
    const file = ran.get(resolve(path));
    if (file === undefined) return "not every test file ran";
    if (file.result?.state === "fail") return "a test failed";
  }
  return undefined;
}

export default function setup(project: TestProject) {
  mkdirSync(join(ROOT, "out", "guarantees"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "out", "guarantees", "run-"));
  project.provide("guaranteesDir", dir);
  // every test file there is when the run starts
  const all = project.globTestFiles().then(
    (found) => found.testFiles,
    () => undefined,
  );

  return async function teardown() {
    const files = mergeFolder(dir);
    rmSync(dir, { recursive: true, force: true });
    const testFiles = await all;
    if (testFiles === undefined || partial(project, testFiles) !== undefined) return;

    const finished = new Date().toISOString();
    writeFileSync(MERGED, JSON.stringify({ finished, files }, null, 2) + "\n");
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const stale = staleness(readme, renderTable(files));
    if (stale !== undefined) {
      // a throw here would only be logged by vitest: the exit code says it
      process.stderr.write(
        `\nREADME.md: ${stale}\nrun \`npm run guarantees\` to write the table into README.md\n`,
      );
      process.exitCode = 1;
    }
  };
}
