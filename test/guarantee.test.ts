// The machinery of the README's Guarantees table: rendering, splicing
// between the markers, and the checks on what a test records.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guarantee } from "./guarantee.js";
import { END, START, renderTable, spliceReadme, staleness } from "./guarantees-table.js";

const files = [
  {
    file: "test/a.test.ts",
    checks: [
      { name: "one", asserts: "f(x) | g(x) agree", cases: 3 },
      { name: "two", asserts: "h(x)\nholds", cases: 40 },
    ],
  },
  { file: "test/b.test.ts", checks: [{ name: "three", asserts: "k(x) holds", cases: 7 }] },
];

describe("guarantees table", () => {
  it("renderTable(files) lists each check with its file, escapes pipes and adds the total", () => {
    const lines = renderTable(files).split("\n");
    expect(lines).toEqual([
      "| Check | What it asserts | Cases |",
      "| --- | --- | ---: |",
      "| one (`a.test.ts`) | f(x) \\| g(x) agree | 3 |",
      "| two (`a.test.ts`) | h(x) holds | 40 |",
      "| three (`b.test.ts`) | k(x) holds | 7 |",
      "| **all checks** | | **50** |",
    ]);
  });

  it("spliceReadme(text, table) replaces only what is between the markers", () => {
    const text = `# T\n\nbefore\n${START}\nold\n${END}\nafter\n`;
    const once = spliceReadme(text, "new table");
    expect(once).toBe(`# T\n\nbefore\n${START}\nnew table\n${END}\nafter\n`);
    expect(spliceReadme(once, "new table")).toBe(once);
  });

  it("spliceReadme(text without both markers) throws naming the markers", () => {
    expect(() => spliceReadme("no markers", "t")).toThrow(/expected the markers/);
    expect(() => spliceReadme(`${END}\n${START}`, "t")).toThrow(/in that order/);
  });

  it("staleness(readme, table) is undefined when current, else names the rows that differ", () => {
    const table = renderTable(files);
    const readme = spliceReadme(`x\n${START}\n${END}\n`, table);
    expect(staleness(readme, table)).toBeUndefined();
    const more = renderTable([{ ...files[1], checks: [{ ...files[1].checks[0], cases: 8 }] }]);
    expect(staleness(readme, more)).toMatch(
      /differs.*\n {2}\| three \(`b\.test\.ts`\) \| k\(x\) holds \| 8 \|/,
    );
    expect(staleness("no markers", table)).toMatch(/expected the markers/);
  });

  it("guarantee(empty name, or cases below 1 or fractional) throws", () => {
    expect(() => guarantee("", 1)).toThrow(TypeError);
    expect(() => guarantee("x", 0)).toThrow(/cases is 0/);
    expect(() => guarantee("x", 1.5)).toThrow(RangeError);
  });

  it("README.md has the Guarantees section and markers, before the Development section", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const at = (s: string) => readme.indexOf(s);
    expect(at("## Guarantees")).toBeGreaterThan(0);
    expect(at(START)).toBeGreaterThan(at("## Guarantees"));
    expect(at(END)).toBeGreaterThan(at(START));
    expect(at("## Development")).toBeGreaterThan(at(END));
  });
});
