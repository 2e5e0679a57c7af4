// The module's exports: hot loops over flat memory, nothing else. Every
// pointer is a byte offset into linear memory laid out by the TypeScript
// side, which has validated every value before the call.

export {
  rowNorms, pairDistance, queryDistances,
  METRIC_EUCLIDEAN, METRIC_SQEUCLIDEAN, METRIC_COSINE, METRIC_ANGULAR,
} from "./distance";
export { knnSelect, knnRefine, selectSmallest, nearestOther } from "./topk";
export { knnEdges, reverseEdges, buildCSR } from "./csr";
export { dijkstra } from "./dijkstra";
export { connectedComponents } from "./components";

/** First byte free for the caller: everything below is static data. */
export function heapBase(): usize {
  return __heap_base;
}
