// Plain TypeScript versions of every kernel: the test oracle and the
// benchmark baseline. Readable first; float64 throughout.

export { distance, distanceTo } from "./distance.js";
export { knnLists, type KnnLists } from "./topk.js";
export { csrFromEdges, type ReferenceCsr } from "./csr.js";
export { ReferenceHeap } from "./heap.js";
export { dijkstra, type ReferenceGraph, type ReferencePaths } from "./dijkstra.js";
export { componentLabels } from "./components.js";
export { referenceKnnGraph, type ReferenceKnnGraph } from "./knn.js";
