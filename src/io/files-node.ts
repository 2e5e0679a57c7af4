// Node side of the readers and writers: which format a path is, reading a file
// or standard input, and writing to a file or standard output.

import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import {
  gridToCsv,
  gridToJsonl,
  gridToNpy,
  gridToTable,
  type Grid,
  type TableLimits,
} from "./grid.js";
import { parseCsv, parseJsonl, parseNpyTable, parseRaw32, type Table } from "./tables.js";

export const INPUT_FORMATS = ["npy", "f32", "jsonl", "csv"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export const OUTPUT_FORMATS = ["npy", "jsonl", "csv", "json", "table"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const EXTENSIONS: Record<string, InputFormat & OutputFormat> = {
  ".npy": "npy",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".csv": "csv",
  ".tsv": "csv",
  ".txt": "csv",
};

/** An input the user got wrong: the CLI prints the message and exits with 1. */
export class InputError extends Error {}

/** A request the CLI cannot carry out as asked: printed, exit code 2. */
export class UsageError extends Error {}

/**
 * Reads a table from `path` ("-" for standard input), in `format` or the one
 * its extension says (.npy; .f32, .bin or .raw with `dim`; .jsonl; .csv, .tsv
 * or .txt).
 */
export async function readTable(
  path: string,
  options: { format?: InputFormat; dim?: number; what: string },
): Promise<Table> {
  const ext = extname(path).toLowerCase();
  const format =
    options.format ??
    (ext === ".f32" || ext === ".bin" || ext === ".raw" ? "f32" : EXTENSIONS[ext]);
  if (format === undefined) {
    throw new UsageError(
      `${options.what} ${path}: cannot tell its format from the extension; ` +
        `expected .npy, .f32, .jsonl or .csv, or pass --from ${INPUT_FORMATS.join("|")}`,
    );
  }
  if (format === "f32" && options.dim === undefined) {
    throw new UsageError(
      `${options.what} ${path}: raw float32 input needs --dim N, values per row`,
    );
  }

  const bytes = await readBytes(path);
  const name = path === "-" ? "<stdin>" : path;
  try {
    if (format === "npy") return parseNpyTable(bytes, name);
    if (format === "f32") return parseRaw32(bytes, options.dim!, name);
    const text = new TextDecoder().decode(bytes);
    return format === "jsonl" ? parseJsonl(text, name) : parseCsv(text, name);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}

/** The bytes of a file, or of standard input for "-". */
export async function readBytes(path: string): Promise<Uint8Array> {
  if (path === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : code;
    throw new InputError(`${path}: ${why ?? (error as Error).message}`);
  }
}

/**
 * The output format: `to` when given, else the extension of `output`, else
 * a table on a terminal and CSV into a pipe.
 */
export function outputFormat(
  output: string | undefined,
  to: OutputFormat | undefined,
): OutputFormat {
  if (to) return to;
  if (output === undefined || output === "-") return process.stdout.isTTY ? "table" : "csv";
  const ext = extname(output).toLowerCase();
  const format = ext === ".json" ? "json" : EXTENSIONS[ext];
  if (format === undefined) {
    throw new UsageError(
      `--output ${output}: cannot tell the format from the extension; expected .npy, .jsonl, ` +
        `.csv or .json, or pass --to ${OUTPUT_FORMATS.join("|")}`,
    );
  }
  return format;
}

/** Writes `grid` in `format` to `output`, or to standard output without one. */
export async function writeGrid(
  grid: Grid,
  format: OutputFormat,
  output: string | undefined,
  limits: TableLimits = {},
): Promise<void> {
  if (format === "json") {
    throw new UsageError("--to json is for --graph csr; write this result as npy, jsonl or csv");
  }
  // a pseudo-terminal may report 0 columns
  const width = process.stdout.isTTY ? process.stdout.columns || undefined : undefined;
  const body =
    format === "npy"
      ? gridToNpy(grid)
      : format === "csv"
        ? gridToCsv(grid)
        : format === "jsonl"
          ? gridToJsonl(grid)
          : gridToTable(grid, { width, ...limits });
  await writeResult(body, output, format === "npy");
}

/** Writes text or bytes to `output`, or to standard output without one. */
export async function writeResult(
  body: string | Uint8Array,
  output: string | undefined,
  binary = false,
): Promise<void> {
  if (output !== undefined && output !== "-") {
    await writeFile(output, body);
    return;
  }
  // binary on a terminal is noise and can garble it
  if (binary && process.stdout.isTTY) {
    throw new UsageError("refusing to write .npy to a terminal; pass --output FILE.npy");
  }
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(body, (error) => (error ? reject(error) : resolve())),
  );
}
