// Graphs from neighbour lists made elsewhere: an ANN index (hnswlib, FAISS)
// or a vector database answers each query with k ids and k distances, as
// flat rows. This turns such rows into the same graph knnGraph would build
// from the same lists.

import {
  checkChoice,
  checkInteger,
  checkKeys,
  isArrayLike,
  rangeError,
  typeError,
} from "./errors.js";
import type { GraphParts } from "./graph.js";
import { METRICS, MODES, type Metric, type Mode } from "./metric.js";
import { buildCSR } from "./csr.js";
import { bytesOf, checkFits } from "./wasm.js";

export interface NeighborOptions {
  /** Neighbours per row; `indices.length / k` rows. */
  k: number;
  /**
   * Which listed relations become edges. Default "union": an undirected
   * edge where either end lists the other; "mutual": where both do;
   * "directed": each row keeps its own list.
   */
  mode?: Mode;
  /**
   * The distances are squared euclidean lengths (hnswlib's "l2" space,
   * FAISS's IndexFlatL2 and IndexHNSWFlat): square roots are taken, since
   * squared lengths summed along a path mean nothing. Negative values,
   * which |a|² + |b|² - 2 a·b gives for near-duplicates, become 0.
   * Default false.
   */
  squared?: boolean;
  /**
   * Number of nodes, when the rows answer only the first nodes of a larger
   * set (ids may then reach nodes - 1). Default: the number of rows.
   */
  nodes?: number;
  /** The metric of the distances, kept on the graph for `geodesicFrom`. Default: none. */
  metric?: Metric;
}

/** What an index returns for its ids: numbers, or 64-bit integers (FAISS via .npy). */
export type NeighborIds = ArrayLike<number> | BigInt64Array;

/**
 * The parts of a graph from flat neighbour rows: row i lists ids
 * `indices[i * k .. (i + 1) * k)` at `distances[...]` from node i. An id of
 * -1 pads a short row and is skipped; a row listing its own node (as an
 * index queried with its own points does) loses that entry; an id listed
 * twice in a row keeps its smallest distance. Weights are float32.
 */
export function neighborParts(
  indices: NeighborIds,
  distances: ArrayLike<number>,
  options: NeighborOptions,
): GraphParts {
  if (typeof options !== "object" || options === null) {
    throw typeError("options", options, "{ k, mode, squared, nodes, metric }");
  }
  checkKeys("options", options, ["k", "mode", "squared", "nodes", "metric"]);
  if (!isArrayLike(indices)) {
    throw typeError("indices", indices, "an Int32Array, BigInt64Array or number[] of ids");
  }
  if (!isArrayLike(distances)) {
    throw typeError("distances", distances, "a Float32Array or number[] of distances");
  }
  const k = checkInteger("options.k", options.k, 1, 2 ** 31 - 1);
  if (indices.length % k !== 0) {
    throw rangeError("indices.length", indices.length, `a multiple of k = ${k} (rows x k)`);
  }
  if (distances.length !== indices.length) {
    throw rangeError("distances.length", distances.length, `${indices.length}, as indices`);
  }
  const rows = indices.length / k;
  const mode = checkChoice("options.mode", options.mode ?? "union", MODES);
  const squared = checkFlag("options.squared", options.squared);
  const nodes = checkInteger("options.nodes", options.nodes ?? rows, rows, 2 ** 31 - 2);
  const metric =
    options.metric === undefined
      ? undefined
      : checkChoice("options.metric", options.metric, METRICS);

  // before the scratch array of one slot per node is made
  checkFits(2 * bytesOf(nodes + 1, 4), `options.nodes = ${nodes}: a graph of ${nodes} nodes`);
  const { src, dst, w } = listEdges(indices, distances, rows, k, nodes, squared);
  const csr = buildCSR(nodes, src, dst, w, mode !== "directed", mode === "mutual");
  return { ...csr, directed: mode === "directed", metric, k };
}

// the directed edges of the rows: padding and self-loops dropped, each id
// once per row at its smallest distance
function listEdges(
  indices: NeighborIds,
  distances: ArrayLike<number>,
  rows: number,
  k: number,
  nodes: number,
  squared: boolean,
) {
  const src = new Int32Array(indices.length);
  const dst = new Int32Array(indices.length);
  const w = new Float32Array(indices.length);
  const slot = new Int32Array(nodes).fill(-1);
  let m = 0;
  for (let i = 0; i < rows; i++) {
    const first = m;
    for (let e = i * k; e < (i + 1) * k; e++) {
      const j = checkId(indices, e, nodes);
      if (j === -1) continue;
      const d = checkDistance(distances, e, squared);
      if (j === i) continue;

      // slot[j] >= first: j is already listed in this row
      const at = slot[j];
      if (at >= first && dst[at] === j) {
        if (d < w[at]) w[at] = d;
        continue;
      }
      slot[j] = m;
      src[m] = i;
      dst[m] = j;
      w[m++] = d;
    }
  }
  return { src: src.subarray(0, m), dst: dst.subarray(0, m), w: w.subarray(0, m) };
}

function checkId(indices: NeighborIds, e: number, nodes: number): number {
  const raw = indices[e];
  const v = typeof raw === "bigint" ? Number(raw) : raw;
  if (typeof v !== "number" || !Number.isInteger(v) || v < -1 || v >= nodes) {
    throw rangeError(`indices[${e}]`, raw, `a node id in [0, ${nodes - 1}], or -1 for padding`);
  }
  return v;
}

// the weight of entry e as float32: a non-negative finite distance
function checkDistance(distances: ArrayLike<number>, e: number, squared: boolean): number {
  const d = distances[e];
  const w = typeof d === "number" ? Math.fround(squared ? Math.sqrt(Math.max(d, 0)) : d) : NaN;
  if (typeof d !== "number" || !Number.isFinite(w) || (d < 0 && !squared)) {
    const expected = squared ? "a finite squared distance" : "a finite non-negative distance";
    throw rangeError(`distances[${e}]`, d, `${expected} within float32's range (3.4e38)`);
  }
  return w;
}

function checkFlag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw typeError(name, value, "true or false");
  return value;
}
