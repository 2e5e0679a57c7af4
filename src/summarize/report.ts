// The main job's printed tables and its Markdown report.

import type { Method, MethodRow, MethodSummary } from "./evaluate.js";

interface Table {
  dataset: { name: string; entities: { id: string; references: string[] }[]; budget: number };
  rows: MethodRow[];
}

interface ReportOptions {
  seconds: number;
  methods: readonly Method[];
  markdown: boolean;
}

const TITLES: Record<string, string> = {
  oposum: "OPOSUM (bags_and_cases, bluetooth, boots)",
  amazon: "Amazon (Copycat dev)",
  jsonl: "JSONL",
};

const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");
const signed = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(2);
const interval = (d: { mean: number; low: number; high: number }) =>
  `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}]`;

/**
 * The ROUGE tables of a run, as plain text or Markdown; in plain text, also the
 * summaries of the products that have no references (and so no ROUGE).
 */
export function report(tables: Table[], results: MethodSummary[], options: ReportOptions): string {
  const lines: string[] = [];
  if (options.markdown) lines.push("# Summaries of the bundled reviews", "");
  let intervals = false;
  let tooFew = false;
  let scored = false;
  for (const { dataset, rows } of tables) {
    const products = dataset.entities.length;
    const referenced = dataset.entities.filter((e) => e.references.length > 0).length;
    const title =
      `${TITLES[dataset.name] ?? dataset.name}: ${count(products, "product")}` +
      (referenced === products
        ? ""
        : referenced === 0
          ? " (none with references)"
          : ` (${referenced} with references)`) +
      `, budget ${dataset.budget} words`;
    lines.push(options.markdown ? `## ${title}` : title, "");
    if (referenced > 0) {
      scored = true;
      const compared = rows.some((r) => r.geodesicMinus);
      const header = ["method", "ROUGE-1", "ROUGE-2", "ROUGE-L"];
      if (compared) header.push("geodesic - method, ROUGE-L [95% CI]");
      const body = rows.map((r) => {
        const cells = [r.method, fixed(r.rouge1), fixed(r.rouge2), fixed(r.rougeL)];
        // an interval over a single product is no interval
        if (compared) {
          cells.push(!r.geodesicMinus ? "" : referenced < 2 ? "-" : interval(r.geodesicMinus));
        }
        return cells;
      });
      intervals ||= compared && referenced >= 2;
      tooFew ||= compared && referenced < 2;
      lines.push(...(options.markdown ? markdownTable(header, body) : textTable(header, body)), "");
    } else {
      lines.push("No references, so no ROUGE scores.", "");
    }
    if (!options.markdown && referenced < products) {
      lines.push(...unreferenced(results.filter((r) => r.dataset === dataset.name && !r.rouge)));
    }
  }
  if (scored) lines.push(footnote(options.methods, intervals, tooFew), "");
  lines.push(
    `${count(results.length, "summary", "summaries")} in ${options.seconds.toFixed(1)} s.`,
    "",
  );
  if (options.markdown) lines.push(...examples(results));
  return lines.join("\n");
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// what the numbers of the tables are, naming only the methods that ran
function footnote(methods: readonly Method[], intervals: boolean, tooFew: boolean): string {
  let text = "ROUGE F1 x 100, mean over references then over products";
  if (methods.includes("random")) text += "; random is the mean of 5 seeds";
  if (methods.includes("oracle")) {
    text += "; oracle is greedy on ROUGE-L against the references (a ceiling)";
  }
  text += ".";
  if (intervals) text += " Intervals: paired bootstrap over products, 10,000 resamples.";
  if (tooFew) text += " No interval where fewer than 2 products have references.";
  return text;
}

// each method's summary of each product without references, product by product
function unreferenced(results: MethodSummary[]): string[] {
  const lines = ["Summaries (no references to score them against):", ""];
  const width = Math.max(...results.map((r) => r.method.length)) + 1;
  let last: string | undefined;
  for (const r of results) {
    const product = `${r.domain}\u0000${r.entity}`;
    if (product !== last) {
      if (last !== undefined) lines.push("");
      lines.push(r.entity);
      last = product;
    }
    const text = r.summary || `(none: ${r.note ?? "nothing chosen"})`;
    lines.push(`  ${`${r.method}:`.padEnd(width)} ${text}`);
  }
  lines.push("");
  return lines;
}

function textTable(header: string[], body: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)];
}

function markdownTable(header: string[], body: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, c) => (c === 0 ? "---" : "---:")).join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ];
}

// every product's geodesic summary, with each sentence's path from the centre
function examples(results: MethodSummary[]): string[] {
  const lines = ["## Geodesic summaries", ""];
  for (const r of results.filter((x) => x.method === "geodesic")) {
    const rl = r.rouge ? `, ROUGE-L ${(100 * r.rouge.rougeL.f1).toFixed(1)}` : "";
    lines.push(`### ${r.dataset} ${r.domain} ${r.entity}${rl}`, "");
    for (const s of r.sentences ?? []) {
      lines.push(`- ${s.text} _(score ${s.score.toFixed(3)}; path ${s.path.join(" → ")})_`);
    }
    lines.push("");
  }
  return lines;
}
