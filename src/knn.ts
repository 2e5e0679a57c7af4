// knnGraph: the exact k-nearest-neighbour graph of a set of points.

import { checkChoice, checkInteger, checkKeys, rangeError, typeError } from "./errors.js";
import { BUILT, Graph, type Bridge } from "./graph.js";
import {
  CONNECTS,
  METRICS,
  METRIC_CODE,
  MODES,
  isCosineLike,
  type Connect,
  type Metric,
  type Mode,
} from "./metric.js";
import { toPoints, type Points, type PointsInput } from "./points.js";
import { compact, type Csr } from "./csr.js";
import { Boruvka, componentsInMemory } from "./connect.js";
import { uploadPrepared } from "./rows.js";
import { exactTinyWeights, rerankTiny } from "./tiny.js";
import { arena, bytesOf, checkFits, wasm } from "./wasm.js";

export interface KnnOptions {
  /** Neighbours per point, 1 <= k < rows. */
  k: number;
  /** Distance between points. Default "euclidean". */
  metric?: Metric;
  /**
   * Which neighbour relations become edges. Default "union": an undirected
   * edge where either end is among the other's k nearest; "mutual": where
   * both are; "directed": each row keeps its own k.
   */
  mode?: Mode;
  /**
   * What to do when the graph falls apart. Default "bridge": join the
   * components by their closest pairs (a minimum spanning forest over the
   * components); "none": leave them apart (unreachable is Infinity);
   * "error": throw.
   */
  connect?: Connect;
}

/**
 * The exact kNN graph of `points`: brute force over every pair, self
 * excluded, ties broken by the lower index, zero-weight edges between
 * duplicate points kept. Edge weights are distances in `metric`.
 */
export function knnGraph(points: PointsInput, options: KnnOptions): Graph {
  // the values of the points are checked in WebAssembly, after the copy in
  const { p, metric, mode, connect, k } = checkKnnArgs(points, options, [], false);

  const m = mode === "directed" ? p.rows * k : 2 * p.rows * k;
  checkFits(knnBytes(p, k, m), `a kNN graph of ${p.rows} x ${p.dim} points with k = ${k}`);

  return arena.scoped(() => {
    const at = upload(p, metric);
    const { csr, labels, count } = buildKnn(p, at, metric, mode, k, m);
    if (count === 1 || connect === "none") return finish(csr, mode, metric, k, []);
    if (connect === "error") {
      throw new Error(
        `knnGraph: the graph has ${count} connected components with k = ${k}; ` +
          'raise k, or pass connect: "bridge" or "none"',
      );
    }
    const bridges = bridge(p, at, metric, labels, count);
    return finish(withBridges(csr, bridges), mode, metric, k, bridges);
  });
}

/** The checked arguments of knnGraph (and of the pool's twin). */
export function checkKnnArgs(
  points: PointsInput,
  options: KnnOptions,
  extra: string[] = [],
  values = true,
) {
  if (typeof options !== "object" || options === null) {
    throw typeError("options", options, "{ k, metric, mode, connect }");
  }
  checkKeys("options", options, ["k", "metric", "mode", "connect", ...extra]);
  const metric = checkChoice("options.metric", options.metric ?? "euclidean", METRICS);
  const mode = checkChoice("options.mode", options.mode ?? "union", MODES);
  const connect = checkChoice("options.connect", options.connect ?? "bridge", CONNECTS);
  const p = toPoints(points, "points", isCosineLike(metric), values);
  if (p.rows < 2) throw rangeError("points.rows", p.rows, "at least 2 points for a kNN graph");
  const k = checkInteger("options.k", options.k, 1, p.rows - 1);
  return { p, metric, mode, connect, k };
}

interface Uploaded {
  points: number;
  /** norms for ranking: rows are ranked by L2 (cosine rows are unit rows) */
  rankNorms: number;
  /** inverse norms for the exact cosine weights (unused by L2 metrics) */
  weightNorms: number;
  weightScale: number;
}

// cosine metrics rank unit rows by L2, which orders them by 1 - cos
const RANK_CODE = METRIC_CODE.sqeuclidean;

/**
 * Bytes knnGraph reserves in WebAssembly memory for `m` edges (the pool
 * too): its arrays, and the screening scratch knnSelect lays out above
 * them (nearestOther's, while bridging, is smaller).
 */
export function knnBytes(p: Points, k: number, m: number): number {
  const n = p.rows;
  return (
    bytesOf(n * p.dim, 4) +
    7 * bytesOf(n, 4) +
    2 * bytesOf(n * k, 4) +
    9 * bytesOf(m, 4) +
    2 * bytesOf(n + 1, 4) +
    wasm().knnScratchBytes(n, p.dim, k)
  );
}

/**
 * Bytes a pool worker holds for a kNN job (src/worker.ts): the points, their
 * norms, its arrays, the screening scratch and room for another worker's lists.
 */
export function knnSliceBytes(n: number, dim: number, k: number): number {
  const scratch = wasm().knnScratchBytes(n, dim, k);
  const wide = Math.min(k + 8, n - 1);
  const other = scratch > 0 ? 2 * bytesOf(n * wide, 4) + 2 * bytesOf(n, 4) : 0;
  return bytesOf(n * dim, 4) + 2 * bytesOf(n * k, 4) + 7 * bytesOf(n, 4) + scratch + other;
}

// the rows checked and prepared in linear memory, with their norms
function upload(p: Points, metric: Metric): Uploaded {
  const { points, weightScale } = uploadPrepared(p, metric);
  const rankNorms = arena.alloc(p.rows * 4);
  const weightNorms = arena.alloc(p.rows * 4);
  wasm().rowNorms(points, p.rows, p.dim, RANK_CODE, rankNorms);
  wasm().rowNorms(points, p.rows, p.dim, METRIC_CODE[metric], weightNorms);
  return { points, rankNorms, weightNorms, weightScale };
}

function buildKnn(p: Points, at: Uploaded, metric: Metric, mode: Mode, k: number, m: number) {
  const w = wasm();
  const n = p.rows;
  const code = METRIC_CODE[metric];

  // select the k nearest per row, then replace keys by exact weights
  const ids = arena.alloc(n * k * 4);
  const keys = arena.alloc(n * k * 4);
  const counts = arena.alloc(n * 4);
  const worst = arena.alloc(n * 4);
  w.knnSelect(at.points, n, p.dim, RANK_CODE, at.rankNorms, k, ids, keys, counts, worst);
  w.knnRefine(at.points, n, p.dim, code, at.weightNorms, k, ids, keys);
  return fromLists(p, metric, mode, k, m, ids, keys, at.weightScale);
}

/**
 * knnGraph's steps after the selection, shared with the pool: from the
 * refined k-lists at `ids`, `keys` in linear memory (weights on the prepared
 * rows), the rows float32 cannot rank ranked again (src/tiny.ts), the edges,
 * symmetric unless directed, the CSR with true weights, and its components
 * (`labels`: a pointer to one i32 per node, left in linear memory for
 * bridging). Runs inside the caller's arena scope.
 */
export function fromLists(
  p: Points,
  metric: Metric,
  mode: Mode,
  k: number,
  m: number,
  ids: number,
  keys: number,
  weightScale: number,
): { csr: Csr; labels: number; count: number } {
  const w = wasm();
  const n = p.rows;
  rerankTiny(
    p,
    metric,
    k,
    arena.i32().subarray(ids >> 2, (ids >> 2) + n * k),
    arena.f32().subarray(keys >> 2, (keys >> 2) + n * k),
    weightScale,
  );

  const src = arena.alloc(m * 4);
  const dst = arena.alloc(m * 4);
  const wts = arena.alloc(m * 4);
  const edges = w.knnEdges(n, k, ids, keys, mode === "directed" ? 0 : 1, src, dst, wts);
  const csr = compact(n, edges, src, dst, wts, mode === "mutual");
  scaleWeights(csr.weights, weightScale);
  exactTinyWeights(p, metric, csr, weightScale);

  const { count, labels } = componentsInMemory(csr);
  return { csr, labels, count };
}

/**
 * Borůvka over components: each round joins every component to its
 * nearest other one by the closest pair of points, until one is left.
 * A round is one O(rows²) scan, and there are at most log2(components).
 */
function bridge(p: Points, at: Uploaded, metric: Metric, labels: number, count: number): Bridge[] {
  const w = wasm();
  const n = p.rows;
  const code = METRIC_CODE[metric];
  const ids = arena.alloc(n * 4);
  const keys = arena.alloc(n * 4);
  const rounds = new Boruvka(arena.i32().slice(labels >> 2, (labels >> 2) + n), count);
  while (rounds.count > 1) {
    w.nearestOther(at.points, n, p.dim, RANK_CODE, at.rankNorms, labels, ids, keys);
    const near = arena.i32().slice(ids >> 2, (ids >> 2) + n);
    const key = arena.f32().slice(keys >> 2, (keys >> 2) + n);
    rounds.round(near, key, (i, j) => pairWeight(p, at, code, i, j));
    arena.i32().set(rounds.labels, labels >> 2);
  }
  return rounds.bridges;
}

function pairWeight(p: Points, at: Uploaded, code: number, i: number, j: number): number {
  const stride = p.dim * 4;
  const norms = arena.f32();
  const inv = (r: number) => norms[(at.weightNorms >> 2) + r];
  const a = at.points + i * stride;
  const b = at.points + j * stride;
  return scaledWeight(wasm().pairDistance(a, b, p.dim, code, inv(i), inv(j)), at.weightScale);
}

// float32 holds the graph's weights: past its range they would become Infinity
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Multiplies weights computed on scaled rows by `scale` (see prepareRows);
 * refuses points whose weights then leave float32's range: sqeuclidean
 * weights of points more than about 1.8e19 apart, or distances of points
 * near float32's largest values.
 */
function scaleWeights(weights: Float32Array, scale: number): void {
  if (scale === 1) return;
  for (let e = 0; e < weights.length; e++) weights[e] = scaledWeight(weights[e], scale);
}

/** One weight times `scale`, in float32, or the refusal of scaleWeights. */
export function scaledWeight(weight: number, scale: number): number {
  const scaled = weight * scale;
  if (scaled > FLOAT32_MAX) {
    throw new RangeError(
      `points are too far apart: a weight of ${scaled.toPrecision(3)} is past float32's range ` +
        "(3.4e38), which holds a graph's weights; expected points whose distances fit it " +
        "(sqeuclidean: points within about 1.8e19 of each other), or scaled down",
    );
  }
  return Math.fround(scaled);
}

function withBridges(csr: Csr, bridges: Bridge[]): Csr {
  const n = csr.offsets.length - 1;
  const m = csr.targets.length + 2 * bridges.length;
  const src = arena.alloc(m * 4);
  const dst = arena.alloc(m * 4);
  const wts = arena.alloc(m * 4);
  const s = arena.i32().subarray(src >> 2, (src >> 2) + m);
  for (let u = 0; u < n; u++) s.fill(u, csr.offsets[u], csr.offsets[u + 1]);
  arena.i32().set(csr.targets, dst >> 2);
  arena.f32().set(csr.weights, wts >> 2);

  // both directions of each bridge, whatever the mode
  let e = csr.targets.length;
  const d = arena.i32();
  const f = arena.f32();
  for (const b of bridges) {
    d[(src >> 2) + e] = b.source;
    d[(dst >> 2) + e] = b.target;
    f[(wts >> 2) + e++] = b.weight;
    d[(src >> 2) + e] = b.target;
    d[(dst >> 2) + e] = b.source;
    f[(wts >> 2) + e++] = b.weight;
  }
  return compact(n, m, src, dst, wts, false);
}

function finish(csr: Csr, mode: Mode, metric: Metric, k: number, bridges: Bridge[]): Graph {
  return new Graph({ ...csr, directed: mode === "directed", metric, k, bridges }, BUILT);
}
