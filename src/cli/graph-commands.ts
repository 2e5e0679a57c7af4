// The graph subcommands of `geodesic`: knn (points in, graph out), paths
// (graph and sources in, distances out) and geodesic (points and queries in,
// distances out). Each reads, validates with messages in terms of the
// command line, calls the library once per block of work, and writes.

import { existsSync } from "node:fs";
import { extname } from "node:path";
import { Graph } from "../graph.js";
import { knnGraph } from "../knn.js";
import type { Connect, Metric, Mode } from "../metric.js";
import { geodesicFrom, shortestPaths } from "../paths.js";
import type { Points } from "../points.js";
import {
  InputError,
  UsageError,
  OUTPUT_FORMATS,
  outputFormat,
  readBytes,
  readTable,
  writeGrid,
  writeResult,
  type InputFormat,
  type OutputFormat,
} from "../io/files-node.js";
import { columnsGrid, matrixGrid } from "../io/grid.js";
import { formatNumber, parseNumber } from "../io/numbers.js";
import type { Table } from "../io/tables.js";
import { progress } from "./progress.js";

export interface ReadArgs {
  from?: InputFormat;
  dim?: number;
}
export interface WriteArgs {
  output?: string;
  to?: OutputFormat;
}
export interface GraphArgs {
  k: number;
  metric: Metric;
  mode: Mode;
  connect: Connect;
}

/** Largest result held in memory: beyond it the user is asked to split the job. */
const MAX_RESULT_BYTES = 2 ** 32;
/** Bytes of distances computed per library call, so that a progress bar can move. */
const BLOCK_BYTES = 2 ** 25;

/** `geodesic knn`: the kNN graph of the points, as an edge list or CSR JSON. */
export async function runKnn(
  input: string,
  args: ReadArgs & WriteArgs & GraphArgs & { graph: "edges" | "csr" },
): Promise<void> {
  const format = args.graph === "csr" ? csrFormat(args) : checkedFormat(args.output, args.to);
  const points = await readPoints(input, args);
  const graph = build(input, points, args);
  if (args.graph === "csr") return writeResult(csrJson(graph), args.output);

  // an undirected edge is stored both ways in CSR and written once, lower id first
  const sources: number[] = [];
  const targets: number[] = [];
  const weights: number[] = [];
  for (let u = 0; u < graph.nodes; u++) {
    for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
      const v = graph.targets[e];
      if (!graph.directed && v < u) continue;
      sources.push(u);
      targets.push(v);
      weights.push(graph.weights[e]);
    }
  }
  const grid = columnsGrid([
    { name: "source", kind: "int", values: sources },
    { name: "target", kind: "int", values: targets },
    { name: "weight", kind: "float32", values: weights },
  ]);
  await writeGrid(grid, format, args.output, whole(args.output));
}

/** `geodesic paths`: shortest-path lengths from each source to every node. */
export async function runPaths(
  input: string,
  args: WriteArgs & {
    from?: InputFormat | "json";
    sources: string;
    limit?: number;
    nodes?: number;
    directed?: boolean;
  },
): Promise<void> {
  const format = checkedFormat(args.output, args.to);
  const graph = await readGraph(input, args);
  const sources = parseSources(args.sources, graph.nodes);
  const n = graph.nodes;
  checkResultSize(sources.length, n, "--sources");

  // blocks of sources, one library call each
  const distances = new Float64Array(sources.length * n);
  const block = Math.max(1, Math.floor(BLOCK_BYTES / (8 * Math.max(n, 1))));
  const bar = progress(Math.ceil(sources.length / block), "shortest paths");
  for (let at = 0; at < sources.length; at += block) {
    const ids = sources.subarray(at, at + block);
    const { distances: rows } = shortestPaths(graph, ids, { limit: args.limit });
    distances.set(rows, at * n);
    bar.tick();
  }
  bar.stop();

  const grid = matrixGrid(distances, sources.length, n, "float64");
  await writeGrid(grid, format, args.output, {
    ...whole(args.output),
    rowLabel: { name: "source", label: (i) => String(sources[i]) },
  });
}

/** `geodesic geodesic`: geodesic distance from each query vector to every point. */
export async function runGeodesic(
  input: string,
  args: ReadArgs & WriteArgs & GraphArgs & { query: string; attach?: number },
): Promise<void> {
  const format = checkedFormat(args.output, args.to);
  const points = await readPoints(input, args);
  if (args.attach !== undefined && args.attach > points.rows) {
    throw new InputError(
      `--attach is ${args.attach}; expected at most ${points.rows}, ` +
        `as ${input} has ${points.rows} points`,
    );
  }
  const queries = await readQueries(args.query, points.dim);
  checkResultSize(queries.rows, points.rows, "--query");
  const graph = build(input, points, args);

  const n = points.rows;
  const dim = points.dim;
  const distances = new Float64Array(queries.rows * n);
  const bar = progress(queries.rows, "geodesic distances");
  for (let q = 0; q < queries.rows; q++) {
    const query = queries.data.subarray(q * dim, (q + 1) * dim);
    const row = library(`--query row ${q}`, () =>
      geodesicFrom(graph, points, query, { k: args.attach ?? args.k, metric: args.metric }),
    );
    distances.set(row, q * n);
    bar.tick();
  }
  bar.stop();

  const grid = matrixGrid(distances, queries.rows, n, "float64");
  await writeGrid(grid, format, args.output, {
    ...whole(args.output),
    rowLabel: { name: "query", label: (i) => String(i) },
  });
}

/** Points from a file: float32, finite, and at least two rows. */
async function readPoints(path: string, args: ReadArgs): Promise<Points> {
  const table = await readTable(path, { format: args.from, dim: args.dim, what: "points" });
  const name = path === "-" ? "<stdin>" : path;
  if (args.dim !== undefined && table.cols !== args.dim) {
    throw new InputError(`${name}: rows have ${table.cols} values; expected --dim ${args.dim}`);
  }
  if (table.rows < 2 || table.cols < 1) {
    throw new InputError(
      `${name}: ${count(table.rows, "row")} of ${count(table.cols, "value")}; ` +
        "expected at least 2 points",
    );
  }
  return { data: toFloat32(table, name), rows: table.rows, dim: table.cols };
}

// float64 input is narrowed to the library's float32; values beyond its range are refused
function toFloat32(table: Table, name: string): Float32Array {
  const data = table.data instanceof Float32Array ? table.data : Float32Array.from(table.data);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / table.cols);
      throw new InputError(
        `${name}: row ${row}, column ${i - row * table.cols} (from 0) is ${table.data[i]}; ` +
          "expected a finite number within float32 range (|x| < 3.4e38)",
      );
    }
  }
  return data;
}

/** `--query`: comma-separated numbers, or a file of one query per row. */
async function readQueries(query: string, dim: number): Promise<Table> {
  const parts = query.split(",");
  const numbers = parts.map((s) => parseNumber(s));
  const notNumber = parts.find((_, i) => numbers[i] === undefined);
  if (notNumber !== undefined && query !== "-" && !existsSync(query)) {
    throw new InputError(
      `--query ${query}: neither a vector of numbers ("${notNumber.trim()}" is not a number) ` +
        'nor a readable file; expected numbers such as "0.5,1.2" or the path of a file of queries',
    );
  }
  const table: Table =
    notNumber === undefined
      ? { data: Float64Array.from(numbers as number[]), rows: 1, cols: numbers.length }
      : await readTable(query, { what: "--query", dim });
  if (table.cols !== dim || table.rows < 1) {
    throw new InputError(
      `--query ${query}: ${table.rows} x ${table.cols} numbers; expected rows of ` +
        `${dim}, the points' dimension`,
    );
  }
  return { ...table, data: toFloat32(table, `--query ${query}`) };
}

function build(input: string, points: Points, args: GraphArgs): Graph {
  if (args.k > points.rows - 1) {
    throw new InputError(
      `--k is ${args.k}; expected at most ${points.rows - 1}, ` +
        `as ${input} has ${points.rows} points`,
    );
  }
  return library(input, () =>
    knnGraph(points, { k: args.k, metric: args.metric, mode: args.mode, connect: args.connect }),
  );
}

/** A library refusal (RangeError, TypeError) is bad input: exit 1, naming where it came from. */
function library<T>(where: string, job: () => T): T {
  try {
    return job();
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new InputError(`${where}: ${error.message}`);
    }
    throw error;
  }
}

/** A graph from CSR JSON (as `knn --graph csr` writes) or an edge list table. */
async function readGraph(
  path: string,
  args: { from?: InputFormat | "json"; nodes?: number; directed?: boolean },
): Promise<Graph> {
  const name = path === "-" ? "<stdin>" : path;
  if (args.from === "json" || (args.from === undefined && extname(path) === ".json")) {
    const csr = await readJson(path, name);
    const directed = args.directed ?? csr.directed ?? false;
    return library(name, () => Graph.fromCSR({ ...csr, directed }));
  }

  const table = await readTable(path, { format: args.from, what: "graph" });
  const column = (wanted: string, position: number): number => {
    if (!table.names) return position < table.cols ? position : -1;
    return table.names.findIndex((c) => c.trim().toLowerCase() === wanted);
  };
  const [s, t, w] = [column("source", 0), column("target", 1), column("weight", 2)];
  if (s < 0 || t < 0 || table.cols > 3) {
    throw new InputError(
      `${name}: columns are ${table.names?.join(", ") ?? table.cols}; expected source, ` +
        "target and optionally weight (an edge list, as `geodesic knn` writes)",
    );
  }
  const sources = new Int32Array(table.rows);
  const targets = new Int32Array(table.rows);
  const weights = new Float64Array(table.rows).fill(1);
  let nodes = 0;
  for (let i = 0; i < table.rows; i++) {
    sources[i] = nodeId(table, i, s, name);
    targets[i] = nodeId(table, i, t, name);
    if (w >= 0) weights[i] = table.data[i * table.cols + w];
    nodes = Math.max(nodes, sources[i] + 1, targets[i] + 1);
  }
  if (args.nodes !== undefined && args.nodes < nodes) {
    throw new InputError(`--nodes is ${args.nodes}; ${name} has an edge to node ${nodes - 1}`);
  }
  const list = { sources, targets, weights, directed: args.directed ?? false };
  return library(name, () => Graph.fromEdges({ nodes: args.nodes ?? nodes, ...list }));
}

function nodeId(table: Table, row: number, col: number, name: string): number {
  const x = table.data[row * table.cols + col];
  if (!Number.isInteger(x) || x < 0 || x > 2 ** 31 - 2) {
    throw new InputError(
      `${name}: edge ${row}, ${col === 0 ? "source" : "target"} is ${x}; expected a node id ` +
        "(an integer >= 0)",
    );
  }
  return x;
}

interface CsrJson {
  offsets: number[];
  targets: number[];
  weights: number[];
  directed?: boolean;
}

async function readJson(path: string, name: string): Promise<CsrJson> {
  const text = new TextDecoder().decode(await readBytes(path));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${name}: expected JSON, got ${(error as Error).message}`);
  }
  const csr = value as Partial<CsrJson>;
  if (typeof csr !== "object" || csr === null || !csr.offsets || !csr.targets || !csr.weights) {
    throw new InputError(
      `${name}: expected a JSON object with offsets, targets and weights (as \`geodesic knn ` +
        "--graph csr` writes)",
    );
  }
  return csr as CsrJson;
}

/** CSR as one JSON object, the shape Graph.fromCSR takes. */
function csrJson(graph: Graph): string {
  const list = (values: ArrayLike<number>, kind: "int" | "float32") =>
    `[${Array.from(values, (x) => formatNumber(x, kind)).join(",")}]`;
  return (
    `{"nodes":${graph.nodes},"directed":${graph.directed},` +
    `"offsets":${list(graph.offsets, "int")},"targets":${list(graph.targets, "int")},` +
    `"weights":${list(graph.weights, "float32")}}\n`
  );
}

function csrFormat(args: WriteArgs): OutputFormat {
  const file = args.output !== undefined && args.output !== "-";
  const format =
    args.to ?? (file && extname(args.output!).toLowerCase() !== ".json" ? "other" : "json");
  if (format !== "json") {
    throw new UsageError(
      "--graph csr is written as one JSON object (.json); for .npy, .csv, .jsonl or a table " +
        "use --graph edges",
    );
  }
  return checkedFormat(args.output, format, true);
}

/** A table written to a file has every row and column; one on screen is cut to fit. */
function whole(output: string | undefined): { width?: number; maxRows?: number } {
  return output !== undefined && output !== "-" ? { width: Infinity, maxRows: Infinity } : {};
}

/** What a file of each output extension holds; "text" is any text format, named with --to. */
const OUTPUT_EXTENSIONS: Record<string, OutputFormat | "text"> = {
  ".npy": "npy",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".csv": "csv",
  ".json": "json",
  ".txt": "text",
  ".tsv": "text",
};
const EXTENSION_OF: Record<OutputFormat, string> = {
  npy: ".npy",
  jsonl: ".jsonl",
  csv: ".csv",
  json: ".json",
  table: ".txt",
};

/**
 * The output format of --output and --to, refusing the pairs that disagree (a
 * table into a .npy file) and a file whose extension names no one format (.txt,
 * none) without --to. `json` is for knn --graph csr only.
 */
function checkedFormat(
  output: string | undefined,
  to: OutputFormat | undefined,
  json = false,
): OutputFormat {
  const file = output !== undefined && output !== "-";
  const ext = file ? extname(output).toLowerCase() : "";
  const holds = OUTPUT_EXTENSIONS[ext];
  if (file && to === undefined && (holds === undefined || holds === "text")) {
    const known = OUTPUT_FORMATS.filter((f) => f !== "table" && (json || f !== "json"));
    const names = known.map((f) => EXTENSION_OF[f]);
    throw new UsageError(
      `--output ${output}: cannot tell the format from the extension; expected ` +
        `${names.slice(0, -1).join(", ")} or ${names.at(-1)}, or pass --to ` +
        OUTPUT_FORMATS.filter((f) => json || f !== "json").join("|"),
    );
  }
  if (file && to !== undefined && holds !== undefined) {
    if (holds === "text" ? to === "npy" : holds !== to) {
      throw new UsageError(
        `--output ${output} is a ${holds === "text" ? "text" : ext} file, but --to is ` +
          `${to}; give --output a ${EXTENSION_OF[to]} name, or leave out --to`,
      );
    }
  }
  const format = file ? (to ?? (holds as OutputFormat)) : outputFormat(output, to);
  if (format === "json" && !json) {
    throw new UsageError(
      `${to === "json" ? "--to json" : `--output ${output}`}: JSON is for knn --graph csr; ` +
        "write this result as .npy, .jsonl or .csv",
    );
  }
  return format;
}

/** `--sources`: comma-separated node ids, ranges such as 0-9, or "all". */
function parseSources(text: string, nodes: number): Int32Array {
  if (text.trim() === "all") return Int32Array.from({ length: nodes }, (_, i) => i);
  const ids: number[] = [];
  for (const part of text.split(",")) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const first = range ? Number(range[1]) : NaN;
    const last = range?.[2] !== undefined ? Number(range[2]) : first;
    if (!range || last < first || last >= nodes) {
      throw new InputError(
        `--sources: "${part.trim()}" is not a node id or range in [0, ${nodes - 1}]; expected ` +
          'ids such as "0,5,9", a range such as "0-9", or "all"',
      );
    }
    for (let id = first; id <= last; id++) ids.push(id);
  }
  return Int32Array.from(ids);
}

function checkResultSize(rows: number, nodes: number, option: string): void {
  const bytes = rows * nodes * 8;
  if (bytes > MAX_RESULT_BYTES) {
    throw new InputError(
      `${option}: ${rows} rows x ${nodes} nodes of float64 distances need ${bytes} bytes; ` +
        `expected at most ${MAX_RESULT_BYTES}: split the ${option} into several runs`,
    );
  }
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
