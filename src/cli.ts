#!/usr/bin/env node
// The `geodesic` command. Results go to stdout (or --output); progress goes to
// stderr, and only on a terminal. Exit codes: 0 done, 1 bad input, 2 usage.

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { version } from "../package.json";
import { runGeodesic, runKnn, runPaths } from "./cli/graph-commands.js";
import { UsageError, INPUT_FORMATS, OUTPUT_FORMATS } from "./io/files-node.js";
import { CONNECTS, METRICS, MODES } from "./metric.js";
import { METHODS } from "./summarize/evaluate.js";
import {
  DEFAULT_BUDGET,
  EMBEDDERS,
  EMBEDDING_FORMATS,
  FORMATS,
  runSummarize,
  type SummarizeArgs,
} from "./summarize/job.js";
import { initSync } from "./wasm.js";

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  }
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0)) {
    throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  }
  return n;
}

/** --from, --dim: how to read an input of points. */
function readOptions(command: Command, formats: readonly string[] = INPUT_FORMATS): Command {
  command.addOption(
    new Option("--from <format>", "input format (default: from the extension)").choices(formats),
  );
  if (!formats.includes("f32")) return command;
  return command.option("--dim <n>", "values per row of a raw .f32 file", positiveInteger);
}

/** --output, --to: where and how results are written. */
function writeOptions(command: Command): Command {
  return command
    .option("-o, --output <file>", "write here instead of stdout")
    .addOption(
      new Option(
        "--to <format>",
        "output format (default: from the --output extension; on stdout a table on a " +
          "terminal, else csv)",
      ).choices(OUTPUT_FORMATS),
    );
}

/** --k, --metric, --mode, --connect: how the kNN graph is built. */
function graphOptions(command: Command): Command {
  return command
    .option("-k, --k <n>", "neighbours per point", positiveInteger, 10)
    .addOption(new Option("--metric <name>", "distance").choices(METRICS).default("euclidean"))
    .addOption(
      new Option("--mode <name>", "which kNN pairs become edges").choices(MODES).default("union"),
    )
    .addOption(
      new Option("--connect <how>", "joining disconnected components")
        .choices(CONNECTS)
        .default("bridge"),
    );
}

function program(): Command {
  const cli = new Command("geodesic")
    .description("Exact kNN graphs and geodesic distances over embeddings; review summaries")
    .version(version, "-V, --version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      "after",
      `
Inputs: .npy (float32 or float64, C order), .f32 (raw float32, with --dim),
.jsonl (one array of numbers per line) or .csv; "-" reads stdin (with --from).
Outputs: .npy, .jsonl, .csv, or a table on a terminal; see each command's --help.`,
    );

  const knn = cli
    .command("knn")
    .description("build the exact k-nearest-neighbour graph of points: an edge list or CSR")
    .argument("<points>", "points, one row each");
  readOptions(knn);
  graphOptions(knn);
  knn.addOption(
    new Option("--graph <layout>", "edges: source,target,weight rows; csr: one JSON object")
      .choices(["edges", "csr"])
      .default("edges"),
  );
  writeOptions(knn)
    .addHelpText(
      "after",
      `
An undirected graph lists each edge once, lower id first. Weights are float32
distances, written with the fewest digits that read back exactly.

Examples:
  geodesic knn examples/spiral.csv --k 5 --output graph.csv
  geodesic knn examples/spiral.csv --k 5 --graph csr --output graph.json`,
    )
    .action(async (points: string, args) => {
      initSync();
      await runKnn(points, args);
    });

  const paths = cli
    .command("paths")
    .description("shortest-path lengths over a graph from each source to every node")
    .argument("<graph>", "an edge list (.csv, .jsonl, .npy) or CSR (.json), as knn writes")
    .requiredOption("-s, --sources <ids>", 'node ids: "0,5,9", a range "0-9", or "all"')
    .option(
      "--limit <length>",
      "stop at this path length; farther nodes are inf",
      nonNegativeNumber,
    )
    .option("--nodes <n>", "node count of an edge list (default: highest id + 1)", positiveInteger)
    .option("--directed", "take each edge one way only (default: both ways)");
  readOptions(paths, ["npy", "jsonl", "csv", "json"]);
  writeOptions(paths)
    .addHelpText(
      "after",
      `
One row per source, one column per node; unreachable is inf (null in JSONL).

Examples:
  geodesic paths graph.csv --sources 0,100 --output distances.npy
  geodesic paths graph.json --sources 0-2 --to table`,
    )
    .action(async (graph: string, args) => {
      initSync();
      await runPaths(graph, args);
    });

  const geodesic = cli
    .command("geodesic")
    .description("geodesic distance from query vectors to every point, over their kNN graph")
    .argument("<points>", "points, one row each")
    .requiredOption("-q, --query <vector|file>", 'a vector "0.5,1.2,..." or a file of them')
    .option(
      "--attach <n>",
      "nearest points each query is attached to (default: --k)",
      positiveInteger,
    );
  readOptions(geodesic);
  graphOptions(geodesic);
  writeOptions(geodesic)
    .addHelpText(
      "after",
      `
One row per query, one column per point.

Examples:
  geodesic geodesic examples/spiral.csv --query 0,0 --k 5 --output from-centre.csv`,
    )
    .action(async (points: string, args) => {
      initSync();
      await runGeodesic(points, args);
    });

  cli
    .command("summarize")
    .description(
      "summarize product reviews by geodesic scoring, side by side with baselines, and score " +
        "the summaries with ROUGE against the human references when there are any. Without " +
        "--input: every product of the bundled data (OPOSUM, then Amazon)",
    )
    .addOption(
      new Option("--format <format>", "input layout (default: from the --input name)").choices(
        FORMATS,
      ),
    )
    .option("--input <path>", "OPOSUM folder, Amazon .csv file or JSONL file")
    .option(
      "--budget <words>",
      "summary length in words (default: " +
        FORMATS.map((f) => `${DEFAULT_BUDGET[f]} ${f}`).join(", ") +
        ")",
      positiveInteger,
    )
    .option("--methods <list>", `comma-separated, some of: ${METHODS.join(", ")} (default: all)`)
    .option(
      "--embeddings <path>",
      "precomputed sentence embeddings (" +
        EMBEDDING_FORMATS.map((f) => `.${f}`).join(", ") +
        "), one row per sentence in input order",
    )
    .addOption(
      new Option("--embedder <name>", "sentence embedder when none are given")
        .choices(EMBEDDERS)
        .default("sif"),
    )
    .option(
      "--aspect <text>",
      "summarize one aspect: score sentences by geodesic distance from this text's embedding " +
        '(e.g. "battery life") instead of the product\'s centre',
    )
    .option("--k <n>", "neighbours per sentence in the kNN graph", positiveInteger)
    .option("--json", "one JSON object per line: dataset, entity, method, summary, rouge")
    .option("--out <dir>", 'folder for summaries.json and report.md (default out/; "-" for none)')
    .action(async (args: SummarizeArgs) => {
      initSync();
      await runSummarize(args);
    });
  return cli;
}

async function main(argv: string[]): Promise<number> {
  // a reader that stops early (`| head`) is not an error
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    const path = (error as NodeJS.ErrnoException).path;
    const message =
      code === "ENOENT" && path
        ? `${path}: no such file or directory`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`geodesic: ${message}\n`);
    if (process.env.GEODESIC_DEBUG && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    return error instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv);
