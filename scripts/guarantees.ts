// Writes the counts of the last complete `npm test` run (out/guarantees.json,
// kept by test/guarantees-setup.ts) into README.md's "Guarantees" table,
// between <!-- guarantees:start --> and <!-- guarantees:end -->.
//
//   npm run guarantees

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GuaranteeFile } from "../test/guarantee.js";
import { MERGED, renderTable, spliceReadme } from "../test/guarantees-table.js";

const README = join(import.meta.dirname, "..", "README.md");

if (!existsSync(MERGED)) {
  process.stderr.write(
    `${MERGED} is missing: run the whole suite (npm test) with the default FC_SEED and ` +
      "FC_RUNS first\n",
  );
  process.exit(1);
}
const merged = JSON.parse(readFileSync(MERGED, "utf8"));
const { files, finished } = merged as { files: GuaranteeFile[]; finished?: string };
const before = readFileSync(README, "utf8");
const after = spliceReadme(before, renderTable(files));
if (after === before) {
  process.stdout.write("README.md: the Guarantees table is up to date\n");
} else {
  writeFileSync(README, after);
  const checks = files.reduce((n, f) => n + f.checks.length, 0);
  const when = finished ? ` of the run that ended ${finished}` : "";
  process.stdout.write(`README.md: wrote the Guarantees table (${checks} checks${when})\n`);
}
