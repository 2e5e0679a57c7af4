// The module's exports: hot loops over flat memory, nothing else. Every
// pointer is a byte offset into linear memory laid out by the TypeScript
// side, which has validated every value before the call.

export {
  rowNorms, pairDistance, queryDistances,
  METRIC_EUCLIDEAN, METRIC_SQEUCLIDEAN, METRIC_COSINE, METRIC_ANGULAR,
} from "./distance";
export { knnSelect, knnRefine, selectSmallest, nearestOther } from "./topk";
export { knnUncertified, knnScratchBytes } from "./topk";
export {
  screenBegin, screenRange, screenTighten, screenMerge, screenRank, screenList, nearestBegin,
  nearestRank, knnRefineRows,
} from "./topk";
// not for callers: exported so that binaryen keeps each a function of its
// own, which V8 optimizes after its first calls (see topk.ts)
export { dotBlock } from "./distance";
export { screenRowBlock } from "./topk";
export { knnEdges, reverseEdges, buildCSR } from "./csr";
export { dijkstra } from "./dijkstra";
export { scanRows, scanLargest, unitRows, scaleValues } from "./rows";
export { connectedComponents } from "./components";
export { radiusEdges } from "./radius";
// not for callers either: the hot loop of the radius kernel
export { radiusRow } from "./radius";

/** First byte free for the caller: everything below is static data. */
export function heapBase(): usize {
  return __heap_base;
}
