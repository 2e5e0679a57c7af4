// geodesic-knn: exact kNN graphs over embedding vectors and shortest paths
// over them, with the hot loops in WebAssembly.

export { init, initSync, type WasmSource } from "./wasm.js";
export type { Points, PointsInput } from "./points.js";
export type { Metric, Mode, Connect } from "./metric.js";
export { Graph, type Bridge } from "./graph.js";
export { knnGraph, type KnnOptions } from "./knn.js";
export {
  shortestPaths,
  geodesicFrom,
  type ShortestPathOptions,
  type ShortestPaths,
  type GeodesicOptions,
} from "./paths.js";
export { type Components } from "./components.js";
export { radiusGraph, type RadiusOptions } from "./radius.js";
export { allPairs, type AllPairsOptions } from "./allpairs.js";
export type { NeighborIds, NeighborOptions } from "./neighbors.js";
export { createPool, type Pool, type PoolOptions, type CallOptions } from "./pool.js";

import type { Graph } from "./graph.js";
import { countComponents, type Components } from "./components.js";
import { checkGraph } from "./paths.js";

/**
 * The connected components of `graph`, ignoring edge direction: their count
 * and a label per node, numbered in order of each component's lowest node.
 */
export function components(graph: Graph): Components {
  checkGraph(graph);
  return countComponents(graph);
}
