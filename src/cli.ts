#!/usr/bin/env node
// The `geodesic` command. Results go to stdout; progress goes to stderr,
// and only on a terminal. Exit codes: 0 done, 1 bad input, 2 usage.

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { initSync } from "./wasm.js";
import { runSummarize, type SummarizeArgs } from "./summarize/job.js";

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  }
  return n;
}

function program(): Command {
  const cli = new Command("geodesic")
    .description("Exact kNN graphs and geodesic distances over embeddings; review summaries")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  cli
    .command("summarize")
    .description(
      "summarize product reviews by geodesic scoring, side by side with baselines, and score " +
        "the summaries with ROUGE against the human references when there are any. Without " +
        "--input: every product of the bundled data (OPOSUM, then Amazon)",
    )
    .addOption(
      new Option("--format <format>", "input layout").choices(["oposum", "amazon", "jsonl"]),
    )
    .option("--input <path>", "OPOSUM folder, Amazon .csv file or JSONL file")
    .option(
      "--budget <words>",
      "summary length in words (default: 100 OPOSUM, 70 Amazon, 100 JSONL)",
      positiveInteger,
    )
    .option(
      "--methods <list>",
      "comma-separated: geodesic,cosine,centroid,lexrank,lead,random,oracle",
    )
    .option(
      "--embeddings <path>",
      "precomputed sentence embeddings (.npy or .jsonl), one row per " + "sentence in input order",
    )
    .addOption(
      new Option("--embedder <name>", "sentence embedder when none are given")
        .choices(["sif", "mean"])
        .default("sif"),
    )
    .option("--k <n>", "neighbours per sentence in the kNN graph", positiveInteger)
    .option(
      "--aspect <text>",
      'summarize around an aspect (e.g. "battery life") instead of the whole',
    )
    .option("--json", "one JSON object per line: dataset, entity, method, summary, rouge")
    .option("--out <dir>", 'folder for summaries.json and report.md (default out/; "-" for none)')
    .action(async (args: SummarizeArgs) => {
      initSync();
      await runSummarize(args);
    });
  return cli;
}

async function main(argv: string[]): Promise<number> {
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
    if (process.env.GEODESIC_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
