// The main job behind `geodesic summarize` and `npm start`: read reviews,
// embed their sentences, run every method, print ROUGE tables, write out/.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { SingleBar } from "cli-progress";
import { INPUT_FORMATS, readTable, UsageError } from "../io/files-node.js";
import { packageRoot } from "../root-node.js";
import type { Entity } from "./datasets.js";
import { readAmazon, readOposum } from "./datasets-node.js";
import { meanEmbedder, sifEmbedder, WordCounts, type Embedder } from "./embed.js";
import { METHODS, runMethods, tabulate, type Method, type MethodSummary } from "./evaluate.js";
import { parseEntitiesJsonl } from "./jsonl.js";
import { report } from "./report.js";
import { loadWordVectors } from "./vectors-node.js";

export interface SummarizeArgs {
  format?: (typeof FORMATS)[number];
  input?: string;
  budget?: number;
  methods?: string;
  embeddings?: string;
  embedder: (typeof EMBEDDERS)[number];
  k?: number;
  aspect?: string;
  json?: boolean;
  out?: string;
}

/** One dataset of a run: its products and its word budget. */
export interface Dataset {
  name: string;
  entities: Entity[];
  budget: number;
}

/** The layouts --format names, and each one's summary length in words. */
export const DEFAULT_BUDGET = { oposum: 100, amazon: 70, jsonl: 100 };
export const FORMATS = Object.keys(DEFAULT_BUDGET) as (keyof typeof DEFAULT_BUDGET)[];
/** The sentence embedders of --embedder. */
export const EMBEDDERS = ["sif", "mean"] as const;
/** The file formats --embeddings reads: those of the graph commands' points but raw .f32. */
export const EMBEDDING_FORMATS = INPUT_FORMATS.filter((f) => f !== "f32");

export async function runSummarize(args: SummarizeArgs): Promise<void> {
  const started = performance.now();
  const methods = parseMethods(args.methods);
  const datasets = await readDatasets(args);
  const embeddings = args.embeddings ? await readEmbeddings(args.embeddings, datasets) : undefined;
  const vectors = embeddings ? undefined : await loadWordVectors();

  const results: MethodSummary[] = [];
  const total = datasets.reduce((n, d) => n + d.entities.length, 0);
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: "{bar} {value}/{total} {entity}" })
    : undefined;
  bar?.start(total, 0, { entity: "" });
  for (const dataset of datasets) {
    const embed = embeddings ? undefined : embedderFor(dataset, args.embedder, vectors!);
    for (const entity of dataset.entities) {
      const rows = embeddings?.get(entity) ?? embed!.embed(entity.sentences);
      results.push(
        ...runMethods(entity, rows, methods, {
          budget: dataset.budget,
          k: args.k,
          aspect: aspectOf(args.aspect, entity, embed),
        }),
      );
      bar?.increment(1, { entity: `${dataset.name} ${entity.id}` });
    }
  }
  bar?.stop();
  const seconds = (performance.now() - started) / 1000;

  if (args.json) {
    for (const r of results) {
      process.stdout.write(
        JSON.stringify({
          dataset: r.dataset,
          entity: r.entity,
          method: r.method,
          summary: r.summary,
          ...(r.rouge ? { rouge: r.rouge } : {}),
        }) + "\n",
      );
    }
  } else {
    const tables = datasets.map((d) => ({
      dataset: d,
      rows: tabulate(
        results.filter((r) => r.dataset === d.name),
        methods,
      ),
    }));
    process.stdout.write(report(tables, results, { seconds, methods, markdown: false }));
    await writeOut(
      args.out,
      report(tables, results, { seconds, methods, markdown: true }),
      results,
    );
  }
}

// the aspect's embedding, fitted together with the product's sentences so
// that SIF removes the same common component from both
function aspectOf(text: string | undefined, entity: Entity, embed: Embedder | undefined) {
  if (text === undefined) return undefined;
  if (!embed) {
    throw new UsageError(
      "--aspect cannot be embedded with --embeddings given; pass a text embedder",
    );
  }
  const rows = embed.embed([...entity.sentences, text]);
  return { text, embedding: rows.slice(entity.sentences.length * embed.dim) };
}

function parseMethods(list: string | undefined): Method[] {
  if (list === undefined) return [...METHODS];
  const names = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new UsageError(`--methods is "${list}"; expected a comma-separated list`);
  for (const name of names) {
    if (!(METHODS as readonly string[]).includes(name)) {
      throw new UsageError(
        `--methods: unknown method "${name}"; expected some of ${METHODS.join(", ")}`,
      );
    }
  }
  return [...new Set(names)] as Method[];
}

async function readDatasets(args: SummarizeArgs): Promise<Dataset[]> {
  if (args.input === undefined) {
    if (args.format)
      throw new UsageError("--format needs --input: the path of the data to summarize");
    const root = join(packageRoot(), "data");
    return [
      {
        name: "oposum",
        entities: await readOposum(join(root, "oposum")),
        budget: args.budget ?? 100,
      },
      {
        name: "amazon",
        entities: await readAmazon(join(root, "amazon-copycat", "dev.csv")),
        budget: args.budget ?? 70,
      },
    ];
  }
  const format = args.format ?? guessFormat(args.input);
  const entities =
    format === "oposum"
      ? await readOposum(args.input)
      : format === "amazon"
        ? await readAmazon(args.input)
        : parseEntitiesJsonl(await readText(args.input), args.input);
  if (entities.length === 0) throw new Error(`${args.input}: no products found`);
  return [{ name: format, entities, budget: args.budget ?? DEFAULT_BUDGET[format] }];
}

function guessFormat(path: string): "oposum" | "amazon" | "jsonl" {
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl" || ext === ".json") return "jsonl";
  if (ext === ".csv" || ext === ".tsv") return "amazon";
  if (ext === "") return "oposum";
  throw new UsageError(
    `--input ${path}: cannot tell its format; pass --format oposum|amazon|jsonl`,
  );
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

// SIF word frequencies come from all review text of the dataset at hand
function embedderFor(
  dataset: Dataset,
  name: "sif" | "mean",
  vectors: Awaited<ReturnType<typeof loadWordVectors>>,
) {
  if (name === "mean") return meanEmbedder(vectors);
  const counts = new WordCounts();
  for (const e of dataset.entities) for (const s of e.sentences) counts.add(s);
  return sifEmbedder(vectors, { counts });
}

/**
 * Precomputed embeddings, one row per sentence of every entity in input order: .npy,
 * .jsonl or .csv, read as the graph commands read points.
 */
async function readEmbeddings(
  path: string,
  datasets: Dataset[],
): Promise<Map<Entity, Float32Array>> {
  const rows = datasets.flatMap((d) => d.entities).reduce((n, e) => n + e.sentences.length, 0);
  const table = await readTable(path, { what: "--embeddings" }).catch((error: unknown) => {
    // the reader's advice (--from, --dim) is for the graph commands, which have those options
    if (!(error instanceof UsageError)) throw error;
    const extensions = EMBEDDING_FORMATS.map((f) => `.${f}`).join(", ");
    throw new UsageError(`--embeddings ${path}: expected one of ${extensions}`);
  });
  if (table.rows !== rows) {
    throw new Error(
      `--embeddings ${path}: has ${table.rows} ${table.rows === 1 ? "row" : "rows"}; ` +
        `expected ${rows}, one per sentence`,
    );
  }
  const dim = table.cols;
  const data = table.data instanceof Float32Array ? table.data : Float32Array.from(table.data);
  const map = new Map<Entity, Float32Array>();
  let at = 0;
  for (const e of datasets.flatMap((d) => d.entities)) {
    map.set(e, data.subarray(at * dim, (at + e.sentences.length) * dim));
    at += e.sentences.length;
  }
  return map;
}

// the files are no result of the command (those go to stdout): where they went is said on stderr
async function writeOut(dir: string | undefined, markdown: string, results: MethodSummary[]) {
  if (dir === "-") return;
  const out = dir ?? "out";
  const files = [join(out, "summaries.json"), join(out, "report.md")];
  await mkdir(out, { recursive: true });
  await writeFile(files[0], JSON.stringify(results, null, 2) + "\n");
  await writeFile(files[1], markdown);
  process.stderr.write(`Wrote ${files.join(" and ")} (--out DIR for elsewhere, - for none).\n`);
}
