// Graph: a weighted graph in compressed sparse rows, and the builders that
// take graphs made elsewhere.

import { checkChoice, checkInteger, isArrayLike, rangeError, typeError } from "./errors.js";
import { METRICS, type Metric } from "./metric.js";
import { buildCSR } from "./csr.js";
import { countComponents } from "./components.js";
import { releaseResident } from "./resident.js";
import { neighborParts, type NeighborIds, type NeighborOptions } from "./neighbors.js";

/** An edge added to join two components of a kNN graph. */
export interface Bridge {
  source: number;
  target: number;
  weight: number;
}

/** What the constructor takes; the builders produce it. */
export interface GraphParts {
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
  directed: boolean;
  bridges?: readonly Bridge[];
  metric?: Metric;
  k?: number;
}

/**
 * A weighted graph in CSR form: the out-edges of node u are
 * targets[offsets[u] .. offsets[u + 1]) with their weights. Undirected
 * graphs store every edge in both rows, with one weight (the constructor
 * checks it). Treat the arrays as read-only: a
 * graph may stay resident in WebAssembly memory between queries.
 *
 * Residency: the last graph queried keeps a copy in WebAssembly memory (one
 * graph at a time), released when another graph is queried, when this
 * Graph is garbage-collected, or by `dispose()`. A disposed graph is not
 * broken: the next query on it copies it in again.
 */
/**
 * Passed by this package's own builders, whose undirected CSR is symmetric by
 * construction, to skip the symmetry check (the one check that costs more
 * than a pass over the arrays). Not exported from the package.
 */
export const BUILT: unique symbol = Symbol("built by geodesic-knn");

export class Graph {
  /** Number of nodes. */
  readonly nodes: number;
  /** Number of stored (directed) edges: an undirected edge counts twice. */
  readonly edges: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float32Array;
  readonly directed: boolean;
  /** Edges added by `connect: "bridge"`, each stored in both directions. */
  readonly bridges: readonly Bridge[];
  /** The metric of the points it was built from, when built from points. */
  readonly metric: Metric | undefined;
  /** The k it was built with, when built by `knnGraph`. */
  readonly k: number | undefined;
  private componentCount: number | undefined;

  /**
   * Wraps CSR arrays as they are (no copy), after checking them: prefer the
   * builders, which also sort and merge. Throws like `fromCSR` on arrays
   * that are not a valid CSR graph.
   */
  constructor(parts: GraphParts, built?: typeof BUILT) {
    checkParts(parts, built === BUILT);
    this.offsets = parts.offsets;
    this.targets = parts.targets;
    this.weights = parts.weights;
    this.nodes = parts.offsets.length - 1;
    this.edges = parts.targets.length;
    this.directed = parts.directed ?? false;
    this.bridges = parts.bridges ?? [];
    this.metric = parts.metric;
    this.k = parts.k;
  }

  /** Number of connected components, ignoring edge direction. */
  get components(): number {
    this.componentCount ??= countComponents(this).count;
    return this.componentCount;
  }

  /**
   * Releases the copy of this graph kept in WebAssembly memory, if any, now
   * rather than when another graph is queried or this one is
   * garbage-collected (either also releases it). Idempotent. The graph
   * stays usable: a later query copies it in again.
   */
  dispose(): void {
    releaseResident(this);
  }

  /**
   * A graph from CSR arrays, copied. With `directed: false` (the default)
   * each edge is taken both ways, and an edge given in both directions with
   * different weights keeps the smaller one, as SciPy's csgraph does. Rows
   * come out sorted by target; self-loops are dropped.
   */
  static fromCSR(csr: {
    offsets: ArrayLike<number>;
    targets: ArrayLike<number>;
    weights: ArrayLike<number>;
    directed?: boolean;
  }): Graph {
    if (typeof csr !== "object" || csr === null) {
      throw typeError("csr", csr, "{ offsets, targets, weights, directed }");
    }
    const offsets = checkOffsets(csr.offsets);
    const n = offsets.length - 1;
    const targets = checkTargets("csr.targets", csr.targets, n, offsets[n]);
    const weights = checkWeights("csr.weights", csr.weights, targets.length);
    const directed = checkDirected("csr.directed", csr.directed);
    const sources = new Int32Array(targets.length);
    for (let u = 0; u < n; u++) sources.fill(u, offsets[u], offsets[u + 1]);
    const built = fits("csr", () => buildCSR(n, sources, targets, weights, !directed, false));
    return new Graph({ ...built, directed }, BUILT);
  }

  /**
   * A graph from an edge list: `sources[e] -> targets[e]` with `weights[e]`.
   * Parallel edges keep the smallest weight; self-loops are dropped; with
   * `directed: false` (the default) every edge is taken both ways.
   */
  static fromEdges(list: {
    nodes: number;
    sources: ArrayLike<number>;
    targets: ArrayLike<number>;
    weights: ArrayLike<number>;
    directed?: boolean;
  }): Graph {
    if (typeof list !== "object" || list === null) {
      throw typeError("edges", list, "{ nodes, sources, targets, weights, directed }");
    }
    const n = checkInteger("edges.nodes", list.nodes, 0, 2 ** 31 - 2);
    const m = isArrayLike(list.sources) ? list.sources.length : -1;
    const sources = checkTargets("edges.sources", list.sources, n, m);
    const targets = checkTargets("edges.targets", list.targets, n, m);
    const weights = checkWeights("edges.weights", list.weights, m);
    const directed = checkDirected("edges.directed", list.directed);
    const built = fits("edges", () => buildCSR(n, sources, targets, weights, !directed, false));
    return new Graph({ ...built, directed }, BUILT);
  }

  /**
   * A graph from flat neighbour rows, as an ANN index or a vector database
   * returns them: row i lists `indices[i * k .. (i + 1) * k)` at
   * `distances[...]` from node i. Options: `k` (required), `mode` (default
   * "union"), `squared` (default false: pass true for squared-L2 indexes
   * such as hnswlib's "l2"), `nodes` (default: the number of rows),
   * `metric` (kept for `geodesicFrom`). -1 pads a short row and is skipped,
   * a self-match is dropped, an id listed twice keeps its smallest distance.
   * The same lists give the same graph as `knnGraph` with `connect: "none"`.
   */
  static fromNeighbors(
    indices: NeighborIds,
    distances: ArrayLike<number>,
    options: NeighborOptions,
  ): Graph {
    return new Graph(
      fits("indices", () => neighborParts(indices, distances, options)),
      BUILT,
    );
  }
}

// the invariants Dijkstra relies on, checked in place: O(nodes + edges)
function checkParts(parts: GraphParts, symmetricByConstruction: boolean): void {
  if (typeof parts !== "object" || parts === null) {
    throw typeError("parts", parts, "{ offsets, targets, weights, directed }");
  }
  const { offsets, targets, weights } = parts;
  if (!(offsets instanceof Int32Array)) throw typeError("offsets", offsets, "an Int32Array");
  if (!(targets instanceof Int32Array)) throw typeError("targets", targets, "an Int32Array");
  if (!(weights instanceof Float32Array)) throw typeError("weights", weights, "a Float32Array");
  const n = offsets.length - 1;
  if (n < 0 || offsets[0] !== 0) throw rangeError("offsets[0]", offsets[0], "0");
  for (let u = 0; u < n; u++) {
    if (offsets[u + 1] < offsets[u]) {
      throw rangeError(`offsets[${u + 1}]`, offsets[u + 1], `>= offsets[${u}] = ${offsets[u]}`);
    }
  }
  if (offsets[n] !== targets.length) {
    throw rangeError("targets.length", targets.length, `offsets[${n}] = ${offsets[n]}`);
  }
  if (weights.length !== targets.length) {
    throw rangeError("weights.length", weights.length, `${targets.length}, one per edge`);
  }
  for (let e = 0; e < targets.length; e++) {
    if (targets[e] < 0 || targets[e] >= n) {
      throw rangeError(`targets[${e}]`, targets[e], `a node id in [0, ${n - 1}]`);
    }
    if (!(weights[e] >= 0) || weights[e] === Infinity) {
      throw rangeError(`weights[${e}]`, weights[e], WEIGHT);
    }
  }
  checkDirected("directed", parts.directed);
  if (!parts.directed && !symmetricByConstruction) checkSymmetric(offsets, targets, weights);
  if (parts.metric !== undefined) checkChoice("metric", parts.metric, METRICS);
  if (parts.k !== undefined) checkInteger("k", parts.k, 1, 2 ** 31 - 1);
  checkBridges(parts.bridges, n);
}

/**
 * An undirected graph stores each edge in both rows, with the same weight:
 * row u's (target, weight) pairs must equal, as a multiset, the (source,
 * weight) pairs of the edges into u. Compared row by row on the transpose,
 * built by a counting sort: O(nodes + edges log degree).
 */
function checkSymmetric(offsets: Int32Array, targets: Int32Array, weights: Float32Array): void {
  const n = offsets.length - 1;
  const m = targets.length;
  const into = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) into[targets[e] + 1]++;
  for (let v = 0; v < n; v++) into[v + 1] += into[v];
  const fill = into.slice(0, n);
  const sources = new Int32Array(m);
  const backWeights = new Float32Array(m);
  for (let u = 0; u < n; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const at = fill[targets[e]]++;
      sources[at] = u;
      backWeights[at] = weights[e];
    }
  }
  const byPair = (ids: Int32Array, ws: Float32Array) => (a: number, b: number) =>
    ids[a] - ids[b] || ws[a] - ws[b];
  for (let u = 0; u < n; u++) {
    const out = Array.from({ length: offsets[u + 1] - offsets[u] }, (_, i) => offsets[u] + i);
    const back = Array.from({ length: into[u + 1] - into[u] }, (_, i) => into[u] + i);
    out.sort(byPair(targets, weights));
    back.sort(byPair(sources, backWeights));
    const same =
      out.length === back.length &&
      out.every((e, i) => targets[e] === sources[back[i]] && weights[e] === backWeights[back[i]]);
    if (!same) {
      throw new RangeError(
        `targets and weights of row ${u} do not mirror the edges into node ${u} ` +
          `(${out.length} out, ${back.length} in, or their weights differ); expected an ` +
          "undirected graph to store each edge in both rows with one weight, or directed: true",
      );
    }
  }
}

function checkBridges(bridges: unknown, n: number): void {
  if (bridges === undefined) return;
  if (!Array.isArray(bridges)) throw typeError("bridges", bridges, "an array of bridges");
  bridges.forEach((b: Partial<Bridge> | null, i) => {
    if (typeof b !== "object" || b === null) {
      throw typeError(`bridges[${i}]`, b, "{ source, target, weight }");
    }
    for (const end of ["source", "target"] as const) {
      const id = b[end];
      if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= n) {
        throw rangeError(`bridges[${i}].${end}`, id, `a node id in [0, ${n - 1}]`);
      }
    }
    if (typeof b.weight !== "number" || !(b.weight >= 0) || !Number.isFinite(b.weight)) {
      throw rangeError(`bridges[${i}].weight`, b.weight, "a finite non-negative number");
    }
  });
}

// a graph too big for WebAssembly memory is refused by buildCSR; the message
// then says which argument asked for it
function fits<T>(name: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof RangeError && /^a graph of .*WebAssembly memory/.test(error.message)) {
      throw new RangeError(`${name}: ${error.message}`);
    }
    throw error;
  }
}

function checkDirected(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw typeError(name, value, "true or false");
  return value;
}

function checkOffsets(value: unknown): Int32Array {
  if (!isArrayLike(value)) throw typeError("csr.offsets", value, "an Int32Array or number[]");
  if (value.length < 1) throw rangeError("csr.offsets.length", 0, "at least 1 (nodes + 1)");
  const offsets = new Int32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const o = value[i];
    const prev = i === 0 ? 0 : offsets[i - 1];
    if (typeof o !== "number" || !Number.isInteger(o) || o > 2 ** 31 - 1) {
      throw rangeError(`csr.offsets[${i}]`, o, "an integer edge index");
    }
    if (i === 0 && o !== 0) throw rangeError("csr.offsets[0]", o, "0");
    if (o < prev) {
      throw rangeError(`csr.offsets[${i}]`, o, `offsets that never decrease (>= ${prev})`);
    }
    offsets[i] = o;
  }
  return offsets;
}

function checkTargets(name: string, value: unknown, n: number, length: number): Int32Array {
  if (!isArrayLike(value)) throw typeError(name, value, "an Int32Array or number[]");
  if (value.length !== length) {
    throw rangeError(`${name}.length`, value.length, `${length} (one per edge)`);
  }
  const ids = new Int32Array(length);
  for (let e = 0; e < length; e++) {
    const v = value[e];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= n) {
      throw rangeError(`${name}[${e}]`, v, `a node id in [0, ${n - 1}]`);
    }
    ids[e] = v;
  }
  return ids;
}

// weights are float32: Infinity, or a number past float32's range, is no weight
const WEIGHT = "a non-negative number within float32's range (at most 3.4e38)";

function checkWeights(name: string, value: unknown, length: number): Float32Array {
  if (!isArrayLike(value)) throw typeError(name, value, "a Float32Array or number[]");
  if (value.length !== length) {
    throw rangeError(`${name}.length`, value.length, `${length} (one per edge)`);
  }
  const weights = new Float32Array(length);
  for (let e = 0; e < length; e++) {
    const w = value[e];
    if (typeof w !== "number" || !(w >= 0) || !Number.isFinite(Math.fround(w))) {
      throw rangeError(`${name}[${e}]`, w, WEIGHT);
    }
    weights[e] = w;
  }
  return weights;
}
