// radiusGraph: every pair of points within a radius, exactly.

import { checkChoice, checkKeys, rangeError, typeError } from "./errors.js";
import { BUILT, Graph } from "./graph.js";
import { CONNECTS, METRICS, METRIC_CODE, MODES, isCosineLike } from "./metric.js";
import type { Connect, Metric, Mode } from "./metric.js";
import { toPoints, type Points, type PointsInput } from "./points.js";
import { buildCSR, type Csr } from "./csr.js";
import { Boruvka, csrComponents, withBridges } from "./connect.js";
import { MAX_MEMORY_BYTES, arena, bytesOf, checkFits, wasm } from "./wasm.js";

/** The kernel of assembly/radius.ts, beside the shared ones. */
export interface RadiusOptions {
  /**
   * Largest edge weight kept, in `metric`'s units: an edge joins i and j
   * when their distance is <= radius (scikit-learn's convention). A finite
   * number >= 0.
   */
  radius: number;
  /** Distance between points. Default "euclidean". */
  metric?: Metric;
  /**
   * Default "union". Being within a radius is symmetric, so "union" and
   * "mutual" give the same undirected graph; "directed" gives the same
   * edges, stored both ways, with `directed: true`.
   */
  mode?: Mode;
  /**
   * What to do when the graph falls apart (isolated points included).
   * Default "bridge": join the components by their closest pairs, as
   * knnGraph does; "none": leave them apart; "error": throw.
   */
  connect?: Connect;
}

// edges held in WebAssembly memory between two drains of the buffer
const BUFFER_EDGES = 1 << 20;

// the CSR build holds 9 words per stored edge, and stores each pair twice
const CSR_BYTES_PER_PAIR = 2 * 9 * 4;

/**
 * The exact radius graph of `points`: an edge between every two points
 * whose distance in `metric` is at most `radius`, self excluded. The
 * distance is the edge weight itself, computed in float32 from the
 * coordinates (so duplicates weigh exactly 0 and are kept as edges), and
 * compared with `radius` in float64: `<=`, as scikit-learn's
 * `radius_neighbors_graph`. Unlike a scipy.sparse matrix, zero-weight
 * edges are real edges here. Brute force over every pair: O(rows² · dim).
 * How many pairs fall within the radius is known only during the scan: a
 * graph too large for WebAssembly memory is refused, with the bytes it
 * would need, as soon as the scan has counted that many.
 */
export function radiusGraph(points: PointsInput, options: RadiusOptions): Graph {
  if (typeof options !== "object" || options === null) {
    throw typeError("options", options, "{ radius, metric, mode, connect }");
  }
  checkKeys("options", options, ["radius", "metric", "mode", "connect"]);
  const radius = options.radius;
  if (typeof radius !== "number") throw typeError("options.radius", radius, "a number");
  if (!(radius >= 0) || !Number.isFinite(radius)) {
    throw rangeError("options.radius", radius, "a finite number >= 0");
  }
  const metric = checkChoice("options.metric", options.metric ?? "euclidean", METRICS);
  const mode = checkChoice("options.mode", options.mode ?? "union", MODES);
  const connect = checkChoice("options.connect", options.connect ?? "bridge", CONNECTS);
  const p = toPoints(points, "points", isCosineLike(metric));
  const n = p.rows;
  const capacity = Math.max(n, BUFFER_EDGES);
  checkFits(
    bytesOf(p.data.length, 4) + 3 * bytesOf(n, 4) + 3 * bytesOf(capacity, 4) + bytesOf(1, 4),
    `a radius graph of ${n} x ${p.dim} points`,
  );

  // the pairs i < j within the radius, then both directions of each
  const half = radiusPairs(p, metric, radius, capacity);
  const csr = buildCSR(n, half.src, half.dst, half.w, true, false);
  const { count, labels } = csrComponents(csr);
  const finish = (c: Csr, bridges: Graph["bridges"]) =>
    new Graph({ ...c, directed: mode === "directed", metric, bridges }, BUILT);
  if (count <= 1 || connect === "none") return finish(csr, []);
  if (connect === "error") {
    throw new Error(
      `radiusGraph: the graph has ${count} connected components with radius = ${radius}; ` +
        'raise the radius, or pass connect: "bridge" or "none"',
    );
  }
  const bridges = bridge(p, metric, labels, count);
  return finish(withBridges(csr, bridges), bridges);
}

function radiusPairs(p: Points, metric: Metric, radius: number, capacity: number) {
  const n = p.rows;
  const edges = new EdgeList();
  arena.scoped(() => {
    const w = wasm();
    const code = METRIC_CODE[metric];
    const { points, norms } = uploadRows(p, code);
    const src = arena.alloc(capacity * 4);
    const dst = arena.alloc(capacity * 4);
    const wts = arena.alloc(capacity * 4);
    const next = arena.alloc(4);

    // the kernel stops before a row that might overflow the buffer
    for (let from = 0; from < n;) {
      const count = w.radiusEdges(
        points,
        n,
        p.dim,
        code,
        norms,
        radius,
        from,
        src,
        dst,
        wts,
        capacity,
        next,
      );
      edges.append(arena.i32(), arena.f32(), src, dst, wts, count);
      from = arena.i32()[next >> 2];

      // stop as soon as the graph cannot be built, before holding more
      if (edges.length * CSR_BYTES_PER_PAIR > MAX_MEMORY_BYTES) {
        throw new RangeError(
          `radiusGraph: more than ${edges.length} pairs of the ${n} points are within ` +
            `radius = ${radius}; building their graph needs more than ` +
            `${edges.length * CSR_BYTES_PER_PAIR} bytes of WebAssembly memory, beyond its ` +
            `${MAX_MEMORY_BYTES} bytes (4 GiB): lower the radius, or use knnGraph`,
        );
      }
    }
  });
  return edges.done();
}

// the rows and their norms in metric `code`, in linear memory (caller's scope)
function uploadRows(p: Points, code: number): { points: number; norms: number } {
  const points = arena.alloc(p.data.length * 4);
  arena.f32().set(p.data, points >> 2);
  const norms = arena.alloc(p.rows * 4);
  wasm().rowNorms(points, p.rows, p.dim, code, norms);
  return { points, norms };
}

// Borůvka over components, nearest pairs from the single-thread kernel
function bridge(p: Points, metric: Metric, labels: Int32Array, count: number) {
  const n = p.rows;
  checkFits(bytesOf(p.data.length, 4) + 4 * bytesOf(n, 4), `bridging ${count} components`);
  return arena.scoped(() => {
    const w = wasm();
    const code = METRIC_CODE[metric];
    const { points, norms } = uploadRows(p, code);
    const label = arena.alloc(n * 4);
    const ids = arena.alloc(n * 4);
    const keys = arena.alloc(n * 4);
    const stride = p.dim * 4;
    const weight = (i: number, j: number) => {
      const inv = arena.f32();
      return w.pairDistance(
        points + i * stride,
        points + j * stride,
        p.dim,
        code,
        inv[(norms >> 2) + i],
        inv[(norms >> 2) + j],
      );
    };

    const rounds = new Boruvka(labels, count);
    while (rounds.count > 1) {
      arena.i32().set(rounds.labels, label >> 2);
      w.nearestOther(points, n, p.dim, code, norms, label, ids, keys);
      const near = arena.i32().slice(ids >> 2, (ids >> 2) + n);
      const key = arena.f32().slice(keys >> 2, (keys >> 2) + n);
      rounds.round(near, key, weight);
    }
    return rounds.bridges;
  });
}

/** Edges (i < j) drained from WebAssembly memory, in doubling typed arrays. */
class EdgeList {
  private src = new Int32Array(1024);
  private dst = new Int32Array(1024);
  private w = new Float32Array(1024);
  private m = 0;

  append(i32: Int32Array, f32: Float32Array, src: number, dst: number, w: number, count: number) {
    if (this.m + count > this.src.length) {
      let size = this.src.length;
      while (size < this.m + count) size *= 2;
      this.src = grow(this.src, new Int32Array(size));
      this.dst = grow(this.dst, new Int32Array(size));
      this.w = grow(this.w, new Float32Array(size));
    }
    this.src.set(i32.subarray(src >> 2, (src >> 2) + count), this.m);
    this.dst.set(i32.subarray(dst >> 2, (dst >> 2) + count), this.m);
    this.w.set(f32.subarray(w >> 2, (w >> 2) + count), this.m);
    this.m += count;
  }

  get length(): number {
    return this.m;
  }

  done() {
    const m = this.m;
    return { src: this.src.subarray(0, m), dst: this.dst.subarray(0, m), w: this.w.subarray(0, m) };
  }
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
