// allPairs: the geodesic distance matrix, one Dijkstra per source, each row
// narrowed to float32 and written straight into a Float32Array in
// JavaScript memory. WebAssembly memory holds the graph and one row of
// scratch whatever the number of sources, so the result is bound by what
// JavaScript can allocate, not by WebAssembly's 4 GiB.

import { checkIds, checkKeys, typeError, rangeError } from "./errors.js";
import type { Graph } from "./graph.js";
import { checkGraph } from "./paths.js";
import { residentGraph } from "./resident.js";
import { arena, bytesOf, checkFits, wasm } from "./wasm.js";

/**
 * The longest typed array the result may be: V8 (Node 20) stops at 2^32
 * elements; browsers may stop earlier, which the allocation then reports.
 */
export const MAX_RESULT_LENGTH = 2 ** 32 - 1;

export interface AllPairsOptions {
  /** Node ids, one row of the result each. Default: every node, in order. */
  sources?: number | ArrayLike<number>;
  /**
   * Where to write the result instead of allocating it: a Float32Array of
   * sources x nodes. Default: a new Float32Array.
   */
  out?: Float32Array;
}

/** What `allPairs` checks before any work: the graph's nodes, the rows, their count. */
export interface AllPairsPlan {
  nodes: number;
  sources: Int32Array;
  length: number;
}

/**
 * Checks the arguments of `allPairs` and refuses a result longer than a
 * typed array can be, with the bytes it would need.
 */
export function planAllPairs(graph: unknown, options: unknown, extra: string[] = []): AllPairsPlan {
  const n = checkGraph(graph);
  if (typeof options !== "object" || options === null) {
    throw typeError("options", options, "{ sources, out }");
  }
  checkKeys("options", options, ["sources", "out", ...extra]);
  const given = (options as AllPairsOptions).sources;
  const sources = given === undefined ? everyNode(n) : checkIds("options.sources", given, n);
  const length = sources.length * n;
  if (length > MAX_RESULT_LENGTH) {
    throw rangeError(
      "options.sources.length",
      sources.length,
      `at most ${Math.floor(MAX_RESULT_LENGTH / Math.max(n, 1))} rows of ${n} nodes: the ` +
        `result would need ${length * 4} bytes, more than one Float32Array can hold; ` +
        "compute it in blocks of sources",
    );
  }
  return { nodes: n, sources, length };
}

/**
 * Allocates a Float32Array of `length`, refusing with the bytes it needs
 * when JavaScript cannot.
 */
export function allocateResult(length: number, what: string): Float32Array {
  try {
    return new Float32Array(length);
  } catch (error) {
    throw new RangeError(
      `${what} needs ${length * 4} bytes for its float32 result, which could not be ` +
        `allocated (${(error as Error).message}); compute it in blocks of sources`,
    );
  }
}

/**
 * Geodesic distances from each of `sources` (default: every node) to every
 * node of `graph`, as a Float32Array of sources x nodes, row-major;
 * Infinity where unreachable. Paths are summed in float64, then rounded to
 * float32, which halves the memory of the result. A result too large for
 * one typed array is refused before any work, with the bytes it needs.
 */
export function allPairs(graph: Graph, options: AllPairsOptions = {}): Float32Array {
  const { nodes: n, sources, length } = planAllPairs(graph, options);
  const what = `allPairs from ${sources.length} sources over ${n} nodes`;
  const out = options.out;
  if (out !== undefined && (!(out instanceof Float32Array) || out.length !== length)) {
    throw typeError("options.out", out, `a Float32Array of length ${length} (sources x nodes)`);
  }
  if (length === 0) return out ?? new Float32Array(0);

  const pointers = residentGraph(graph);
  checkFits(2 * bytesOf(n, 8) + 2 * bytesOf(n, 4) + bytesOf(1, 4), what);
  const result = out ?? allocateResult(length, what);
  return arena.scoped(() => {
    const w = wasm();
    const dist = arena.alloc(n * 8);
    const heapIds = arena.alloc(n * 4);
    const heapKeys = arena.alloc(n * 8);
    const pos = arena.alloc(n * 4);
    const source = arena.alloc(4);

    // one row at a time: a row is all the scratch WebAssembly ever holds
    for (let r = 0; r < sources.length; r++) {
      arena.i32()[source >> 2] = sources[r];
      w.dijkstra(
        n,
        pointers.offsets,
        pointers.targets,
        pointers.weights,
        source,
        0,
        1,
        Infinity,
        0,
        0,
        dist,
        0,
        0,
        heapIds,
        heapKeys,
        pos,
      );
      result.set(arena.f64().subarray(dist >> 3, (dist >> 3) + n), r * n);
    }
    return result;
  });
}

function everyNode(n: number): Int32Array {
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  return ids;
}
