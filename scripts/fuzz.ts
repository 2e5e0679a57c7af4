// The fuzz targets of test/fuzz.test.ts, run for longer: round after round,
// each with a new seed, until --seconds have passed (or one round without).
// A failure prints the counterexample and the seed and path that replay it.
//
//   npm run fuzz -- --seconds 600
//   npm run fuzz -- --runs 5000 --seed 7 --target parseNpy
//
// --runs    runs per in-process target per round (default 2000; the CLI target
//           gets one run per 100 of them, each spawns node)
// --seconds keep going with new seeds until this much time has passed
// --seed    seed of the first round (default FC_SEED or 20261204)
// --target  only the targets whose name contains this text
// --no-cli  leave out the command-line target (it needs `npm run build`)

import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { initSync } from "../src/index.js";
import { ROOT, TARGETS, cliTarget, type FuzzTarget } from "../test/fuzz-cases.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    seconds: { type: "string" },
    seed: { type: "string", default: process.env.FC_SEED || "20261204" },
    target: { type: "string" },
    "no-cli": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

function positive(name: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (
    text.trim() === "" ||
    !Number.isFinite(n) ||
    n <= 0 ||
    (integer && !Number.isSafeInteger(n))
  ) {
    process.stderr.write(`fuzz: --${name} is "${text}"; expected a positive number\n`);
    process.exit(2);
  }
  return n;
}

if (values.help) {
  process.stdout.write(
    "usage: npm run fuzz -- [--runs N] [--seconds S] [--seed N] [--target TEXT] [--no-cli]\n",
  );
  process.exit(0);
}
const runs = positive("runs", values.runs, true);
const seconds =
  values.seconds === undefined ? undefined : positive("seconds", values.seconds, false);
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed)) {
  process.stderr.write(`fuzz: --seed is "${values.seed}"; expected an integer\n`);
  process.exit(2);
}

const targets: FuzzTarget<unknown>[] = [...TARGETS];
if (!values["no-cli"]) {
  if (!existsSync(join(ROOT, "dist", "cli.js"))) {
    process.stderr.write("fuzz: dist/cli.js is missing: run `npm run build`, or pass --no-cli\n");
    process.exit(2);
  }
  targets.push(cliTarget as FuzzTarget<unknown>);
}
const chosen = targets.filter((t) => values.target === undefined || t.name.includes(values.target));
if (chosen.length === 0) {
  const names = targets.map((t) => t.name).join(", ");
  process.stderr.write(`fuzz: --target "${values.target}" matches none of ${names}\n`);
  process.exit(2);
}

initSync();
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const cases = new Map<string, number>();
let reported = 0;

for (let round = 0; round === 0 || (seconds !== undefined && elapsed() < seconds); round++) {
  for (const target of chosen) {
    if (round > 0 && seconds !== undefined && elapsed() >= seconds) break;
    const isCli = target === cliTarget;
    const numRuns = Math.max(1, Math.round(isCli ? runs / 100 : runs));
    const property = isCli
      ? fc.asyncProperty(target.arbitrary, async (v) => void (await target.check(v)))
      : fc.property(target.arbitrary, (v) => void target.check(v));
    const details = await fc.check(property as fc.IAsyncProperty<[unknown]>, {
      seed: seed + round,
      numRuns,
    });
    if (details.failed) {
      process.stderr.write(`\nfuzz: ${target.name} failed (seed ${seed + round})\n`);
      process.stderr.write(fc.defaultReportMessage(details) + "\n");
      const error = details.errorInstance;
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      const again = `--seed ${seed + round} --runs ${runs} --target "${target.name}"`;
      process.stderr.write(`replay: npm run fuzz -- ${again}\n`);
      process.exit(1);
    }
    cases.set(target.name, (cases.get(target.name) ?? 0) + details.numRuns);
  }
  // progress at most every 10 s
  if (elapsed() - reported >= 10) {
    reported = elapsed();
    const total = [...cases.values()].reduce((x, y) => x + y, 0);
    process.stdout.write(`${round + 1} rounds (seeds ${seed}..${seed + round}): ${total} cases\n`);
  }
}

const width = Math.max(...[...cases.keys()].map((k) => k.length));
for (const [name, n] of cases) process.stdout.write(`${name.padEnd(width)}  ${n} cases\n`);
process.stdout.write(`no failures in ${elapsed().toFixed(1)} s (seeds from ${seed})\n`);
