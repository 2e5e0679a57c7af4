// The main job's printed tables and its Markdown report.

import type { Method, MethodRow, MethodSummary } from "./evaluate.js";

interface Table {
  dataset: { name: string; entities: { id: string }[]; budget: number };
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

/** The ROUGE tables of a run, as plain text or Markdown. */
export function report(tables: Table[], results: MethodSummary[], options: ReportOptions): string {
  const lines: string[] = [];
  if (options.markdown) lines.push("# Summaries of the bundled reviews", "");
  for (const { dataset, rows } of tables) {
    const title =
      `${TITLES[dataset.name] ?? dataset.name}: ${dataset.entities.length} products, ` +
      `budget ${dataset.budget} words`;
    lines.push(options.markdown ? `## ${title}` : title, "");
    const header = [
      "method",
      "ROUGE-1",
      "ROUGE-2",
      "ROUGE-L",
      "geodesic - method, ROUGE-L [95% CI]",
    ];
    const body = rows.map((r) => [
      r.method,
      fixed(r.rouge1),
      fixed(r.rouge2),
      fixed(r.rougeL),
      r.geodesicMinus ? interval(r.geodesicMinus) : "",
    ]);
    lines.push(...(options.markdown ? markdownTable(header, body) : textTable(header, body)), "");
  }
  lines.push(
    "ROUGE F1 x 100, mean over references then over products; random is the mean of 5 seeds; " +
      "oracle is greedy on ROUGE-L against the references (a ceiling). Intervals: paired " +
      "bootstrap over products, 10,000 resamples.",
    "",
    `${results.length} summaries in ${options.seconds.toFixed(1)} s.`,
    "",
  );
  if (options.markdown) lines.push(...examples(results));
  return lines.join("\n");
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
