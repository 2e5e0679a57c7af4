// Shortest paths over a Graph, and geodesic distances from an outside query.

import { checkInteger, checkChoice, checkIds, checkKeys, rangeError, typeError } from "./errors.js";
import { Graph } from "./graph.js";
import { METRICS, METRIC_CODE, isCosineLike, type Metric } from "./metric.js";
import { prepareQuery, toPoints, toVector, type Points, type PointsInput } from "./points.js";
import { residentGraph, type GraphPointers } from "./resident.js";
import { uploadPrepared } from "./rows.js";
import { arena, bytesOf, checkFits, wasm } from "./wasm.js";

export interface ShortestPathOptions {
  /** Stop expanding past this path length; farther nodes are Infinity. Default Infinity. */
  limit?: number;
  /** Stop once these nodes are settled; nodes not settled by then are Infinity. */
  targets?: number | ArrayLike<number>;
  /** Also return the predecessor of every node on its shortest path. Default false. */
  predecessors?: boolean;
  /** "min": one row, each node's distance to its nearest source. Default: one row per source. */
  reduce?: "min";
}

export interface ShortestPaths {
  /** sources x nodes, row-major (one row with reduce "min"); Infinity when unreachable. */
  distances: Float64Array;
  /** Same shape as distances; -1 for a source and an unreachable node. */
  predecessors?: Int32Array;
  /** With reduce "min": for each node, the index in `sources` of its nearest source, or -1. */
  sources?: Int32Array;
}

interface Scratch {
  dist: number;
  pred: number;
  label: number;
  heapIds: number;
  heapKeys: number;
  pos: number;
  mask: number;
}

/**
 * Dijkstra from each of `sources` over `graph` (one row of distances per
 * source, row-major), or from all at once with `reduce: "min"`. Path
 * lengths are summed in float64. Every finite distance returned is exact:
 * `limit` and `targets` only turn unsettled nodes into Infinity.
 */
export function shortestPaths(
  graph: Graph,
  sources: number | ArrayLike<number>,
  options: ShortestPathOptions = {},
): ShortestPaths {
  const n = checkGraph(graph);
  if (typeof options !== "object" || options === null) {
    throw typeError("options", options, "{ limit, targets, predecessors, reduce }");
  }
  checkKeys("options", options, ["limit", "targets", "predecessors", "reduce"]);
  const ids = checkIds("sources", sources, n);
  const limit = checkLimit(options.limit);
  const wanted =
    options.targets === undefined ? undefined : checkIds("targets", options.targets, n);
  const withPred = checkFlag("options.predecessors", options.predecessors);
  if (options.reduce !== undefined) checkChoice("options.reduce", options.reduce, ["min"]);
  const rows = options.reduce === "min" ? 1 : ids.length;
  if (rows * n > 2 ** 31 - 1) {
    throw rangeError(
      "sources.length",
      ids.length,
      `at most ${Math.floor((2 ** 31 - 1) / n)} rows of ${n} nodes`,
    );
  }

  const pointers = residentGraph(graph);
  checkFits(scratchBytes(n, ids.length, !!wanted), `Dijkstra over ${n} nodes`);
  return arena.scoped(() => {
    const s = allocScratch(n, !!wanted);
    const wantedCount = wanted ? fillMask(s.mask, n, wanted) : 0;
    const src = arena.alloc(ids.length * 4);
    arena.i32().set(ids, src >> 2);

    const distances = new Float64Array(rows * n);
    const predecessors = withPred ? new Int32Array(rows * n) : undefined;
    const run = (at: number, count: number, label: number): void => {
      wasm().dijkstra(
        n,
        pointers.offsets,
        pointers.targets,
        pointers.weights,
        at,
        0,
        count,
        limit,
        wanted ? s.mask : 0,
        wantedCount,
        s.dist,
        withPred ? s.pred : 0,
        label,
        s.heapIds,
        s.heapKeys,
        s.pos,
      );
    };
    if (options.reduce === "min") {
      run(src, ids.length, s.label);
      copyRow(s, n, 0, distances, predecessors);
      const labels = arena.i32().slice(s.label >> 2, (s.label >> 2) + n);
      return { distances, predecessors, sources: labels };
    }
    for (let r = 0; r < ids.length; r++) {
      run(src + r * 4, 1, 0);
      copyRow(s, n, r, distances, predecessors);
    }
    return predecessors ? { distances, predecessors } : { distances };
  });
}

export interface GeodesicOptions {
  /** Nearest nodes the query is attached to. Default: the graph's k, else 10. */
  k?: number;
  /** Metric from the query to the points. Default: the graph's, else "euclidean". */
  metric?: Metric;
  /**
   * Filled, when given, with each node's predecessor on its path from the
   * query: -1 for the nodes the query is attached to directly (and for
   * unreachable ones). Length: nodes.
   */
  predecessors?: Int32Array;
}

/**
 * Geodesic distance from `query`, a vector that is not a node (a centre, a
 * topic, a search query), to every node of `graph` built over `points`: the
 * query is attached to its k nearest points, then one multi-source Dijkstra
 * runs. Returns one float64 distance per node.
 */
export function geodesicFrom(
  graph: Graph,
  points: PointsInput,
  query: ArrayLike<number>,
  options: GeodesicOptions = {},
): Float64Array {
  // the values of the points are checked in WebAssembly, after the copy in
  const { n, metric, p, q, k, pred } = checkGeodesicArgs(graph, points, query, options, false);

  const pointers = residentGraph(graph);
  const bytes = scratchBytes(n, k, false) + bytesOf(p.data.length + 3 * n + p.dim + 3 * k, 4);
  checkFits(bytes, `a geodesic query over ${n} x ${p.dim} points`);
  return arena.scoped(() => {
    const { ids, starts } = attach(p, metric, q, k);
    const s = allocScratch(n, false);
    wasm().dijkstra(
      n,
      pointers.offsets,
      pointers.targets,
      pointers.weights,
      ids,
      starts,
      k,
      Infinity,
      0,
      0,
      s.dist,
      pred ? s.pred : 0,
      0,
      s.heapIds,
      s.heapKeys,
      s.pos,
    );
    if (pred) pred.set(arena.i32().subarray(s.pred >> 2, (s.pred >> 2) + n));
    return arena.f64().slice(s.dist >> 3, (s.dist >> 3) + n);
  });
}

// the k nearest points of the query and their distances, in linear memory
function attach(
  p: Points,
  metric: Metric,
  q: Float32Array,
  k: number,
): { ids: number; starts: number } {
  const { rows: n, dim } = p;
  const w = wasm();

  // checked and prepared as knnGraph's rows are
  const cosine = isCosineLike(metric);
  const { points, ...prepared } = uploadPrepared(p, metric);
  const norms = arena.alloc(n * 4);
  const query = arena.alloc(dim * 4);
  const dists = arena.alloc(n * 4);
  const unitQuery = prepareQuery(q, cosine, prepared);
  arena.f32().set(unitQuery, query >> 2);
  w.rowNorms(points, n, dim, METRIC_CODE[metric], norms);

  let squared = 0;
  for (let d = 0; d < dim; d++) squared += unitQuery[d] * unitQuery[d];
  w.queryDistances(
    points,
    n,
    dim,
    METRIC_CODE[metric],
    norms,
    query,
    1 / Math.sqrt(squared),
    dists,
  );

  const ids = arena.alloc(k * 4);
  const keys = arena.alloc(k * 4);
  const counts = arena.alloc(4);
  const worst = arena.alloc(4);
  w.selectSmallest(dists, n, k, ids, keys, counts, worst);
  const starts = arena.alloc(k * 8);
  const f64 = arena.f64();
  const f32 = arena.f32();
  for (let i = 0; i < k; i++) f64[(starts >> 3) + i] = f32[(keys >> 2) + i] * prepared.weightScale;
  return { ids, starts };
}

/** The checked arguments of geodesicFrom (and of the pool's twin). */
export function checkGeodesicArgs(
  graph: Graph,
  points: PointsInput,
  query: ArrayLike<number>,
  options: GeodesicOptions,
  values = true,
  extra: string[] = [],
) {
  const n = checkGraph(graph);
  if (typeof options !== "object" || options === null) {
    throw typeError("options", options, "{ k, metric, predecessors }");
  }
  checkKeys("options", options, ["k", "metric", "predecessors", ...extra]);
  const metric = checkChoice(
    "options.metric",
    options.metric ?? graph.metric ?? "euclidean",
    METRICS,
  );
  const p = toPoints(points, "points", isCosineLike(metric), values);
  if (p.rows !== n) throw rangeError("points.rows", p.rows, `${n}, the graph's node count`);
  const q = toVector(query, "query", p.dim, isCosineLike(metric));
  const k = checkInteger("options.k", options.k ?? Math.min(graph.k ?? 10, n), 1, n);
  const pred = options.predecessors;
  if (pred !== undefined && (!(pred instanceof Int32Array) || pred.length !== n)) {
    throw typeError("options.predecessors", pred, `an Int32Array of length ${n}`);
  }
  return { n, metric, p, q, k, pred };
}

/** Checks that `graph` is a Graph; returns its node count. */
export function checkGraph(graph: unknown): number {
  if (!(graph instanceof Graph)) {
    throw typeError("graph", graph, "a Graph (from knnGraph, Graph.fromCSR or Graph.fromEdges)");
  }
  return graph.nodes;
}

function checkLimit(limit: unknown): number {
  if (limit === undefined) return Infinity;
  if (typeof limit !== "number" || Number.isNaN(limit) || limit < 0) {
    throw rangeError("options.limit", limit, "a non-negative number or Infinity");
  }
  return limit;
}

function checkFlag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw typeError(name, value, "true or false");
  return value;
}

function scratchBytes(n: number, sources: number, masked: boolean): number {
  return bytesOf(n, 8) * 2 + bytesOf(n, 4) * 4 + (masked ? bytesOf(n, 1) : 0) + bytesOf(sources, 4);
}

function allocScratch(n: number, masked: boolean): Scratch {
  return {
    dist: arena.alloc(n * 8),
    pred: arena.alloc(n * 4),
    label: arena.alloc(n * 4),
    heapIds: arena.alloc(n * 4),
    heapKeys: arena.alloc(n * 8),
    pos: arena.alloc(n * 4),
    mask: masked ? arena.alloc(n) : 0,
  };
}

// flags the wanted nodes; returns how many distinct ones there are
function fillMask(at: number, n: number, wanted: Int32Array): number {
  const view = arena.u8().subarray(at, at + n);
  view.fill(0);
  let distinct = 0;
  for (const v of wanted) {
    if (view[v] === 0) distinct++;
    view[v] = 1;
  }
  return distinct;
}

function copyRow(
  s: Scratch,
  n: number,
  row: number,
  distances: Float64Array,
  predecessors?: Int32Array,
): void {
  distances.set(arena.f64().subarray(s.dist >> 3, (s.dist >> 3) + n), row * n);
  if (predecessors) predecessors.set(arena.i32().subarray(s.pred >> 2, (s.pred >> 2) + n), row * n);
}
