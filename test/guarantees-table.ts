// The README's "Guarantees" table: merged from what each test file recorded
// with test/guarantee.ts, rendered as Markdown, and spliced between markers.
// Shared by test/guarantees-setup.ts (which checks the README) and
// scripts/guarantees.ts (which writes it).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GuaranteeFile } from "./guarantee.js";

export const START = "<!-- guarantees:start -->";
export const END = "<!-- guarantees:end -->";

/** Where the merged counts of the last complete default run are kept. */
export const MERGED = join(import.meta.dirname, "..", "out", "guarantees.json");

/** Every file's records from a run folder, ordered by test file. */
export function mergeFolder(dir: string): GuaranteeFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const files = names.map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")) as GuaranteeFile);
  return files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

// a table cell: one line, pipes escaped
function cell(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

/** The Markdown table, one row per check, grouped by test file. */
export function renderTable(files: readonly GuaranteeFile[]): string {
  const rows = ["| Check | What it asserts | Cases |", "| --- | --- | ---: |"];
  let total = 0;
  for (const f of files) {
    for (const c of f.checks) {
      const where = f.file.replace(/^test\//, "");
      rows.push(`| ${cell(c.name)} (\`${where}\`) | ${cell(c.asserts)} | ${c.cases} |`);
      total += c.cases;
    }
  }
  rows.push(`| **all checks** | | **${total}** |`);
  return rows.join("\n");
}

/** The README text with `table` between the markers; throws if they are missing. */
export function spliceReadme(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`README.md: expected the markers ${START} and ${END}, in that order`);
  }
  return readme.slice(0, start + START.length) + "\n" + table + "\n" + readme.slice(end);
}

/** Why `readme` does not hold `table` between the markers, or undefined when it does. */
export function staleness(readme: string, table: string): string | undefined {
  try {
    if (spliceReadme(readme, table) === readme) return undefined;
  } catch (error) {
    return (error as Error).message;
  }
  const old = readme.slice(readme.indexOf(START), readme.indexOf(END)).split("\n");
  const rows = table.split("\n").filter((row) => !old.includes(row));
  const stale = "the Guarantees table differs from the counts of this run";
  return rows.length === 0 ? stale : `${stale}; new or changed rows:\n  ${rows.join("\n  ")}`;
}
