// Counts for the README's "Guarantees" table. A test that checks something on
// many generated or listed cases calls `guarantee(name, cases)` once it has
// passed; each test file's counts go to a JSON file in the run's folder, and
// test/guarantees-setup.ts merges them when the run ends. Calls with the same
// name in one file add up. Outside a vitest run (scripts/fuzz.ts) it records
// nothing.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { expect, inject } from "vitest";

/** One row of the table. */
export interface GuaranteeRecord {
  /** Short name of the check. */
  name: string;
  /** The title of the test that ran it: what it asserts. */
  asserts: string;
  /** Cases it ran on. */
  cases: number;
}

/** What one test file recorded. */
export interface GuaranteeFile {
  file: string;
  checks: GuaranteeRecord[];
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder this run's counts go to (set by test/guarantees-setup.ts). */
    guaranteesDir: string;
  }
}

const ROOT = join(import.meta.dirname, "..");
const recorded = new Map<string, GuaranteeRecord>();
let fileName: string | undefined;

function runFolder(): string | undefined {
  try {
    return inject("guaranteesDir");
  } catch {
    return undefined;
  }
}

/**
 * Records that the check `name` passed on `cases` cases. Call it from inside
 * the test, after the check: the test's title becomes the "what it asserts"
 * column.
 */
export function guarantee(name: string, cases: number): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError(`guarantee: name is ${JSON.stringify(name)}; expected a non-empty string`);
  }
  if (!Number.isSafeInteger(cases) || cases < 1) {
    throw new RangeError(`guarantee: cases is ${cases} for "${name}"; expected an integer >= 1`);
  }
  const state = expect.getState();
  const title = state.currentTestName?.split(" > ").at(-1) ?? name;
  const had = recorded.get(name);
  if (had) had.cases += cases;
  else recorded.set(name, { name, asserts: title, cases });

  const dir = runFolder();
  if (dir === undefined || state.testPath === undefined) return;
  fileName ??= relative(ROOT, state.testPath).split(/[\\/]/).join("/");
  const out: GuaranteeFile = { file: fileName, checks: [...recorded.values()] };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, fileName.replace(/[\\/]/g, "__") + ".json"), JSON.stringify(out));
}

/**
 * `fc.assert(property, params)` that also records `name` with the number of
 * cases fast-check ran (runs skipped by `fc.pre` do not count). On failure it
 * throws as fc.assert does, with the counterexample and the seed.
 */
export function assertProperty<Ts>(
  name: string,
  property: fc.IProperty<Ts>,
  params: fc.Parameters<Ts> = {},
): void {
  fc.assert(property, { ...params, reporter: (details) => report(name, details) });
}

/** The async twin of `assertProperty`, for `fc.asyncProperty`. */
export async function assertAsyncProperty<Ts>(
  name: string,
  property: fc.IAsyncProperty<Ts>,
  params: fc.Parameters<Ts> = {},
): Promise<void> {
  await fc.assert(property, { ...params, reporter: (details) => report(name, details) });
}

function report<Ts>(name: string, details: fc.RunDetails<Ts>): void {
  if (details.failed) {
    throw new Error(fc.defaultReportMessage(details), { cause: details.errorInstance });
  }
  guarantee(name, details.numRuns);
}
