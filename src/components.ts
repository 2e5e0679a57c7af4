// Connected components of a graph, ignoring edge direction.

import { residentGraph } from "./resident.js";
import { arena, bytesOf, checkFits, wasm } from "./wasm.js";

/** Component count and a label per node (0, 1, ... in order of lowest node). */
export interface Components {
  count: number;
  labels: Int32Array;
}

interface CsrArrays {
  nodes: number;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
}

/** Labels the connected components of `graph`, ignoring edge direction. */
export function countComponents(graph: CsrArrays): Components {
  const n = graph.nodes;
  const pointers = residentGraph(graph);
  checkFits(2 * bytesOf(n, 4), `components of ${n} nodes`);
  return arena.scoped(() => {
    const parent = arena.alloc(n * 4);
    const labels = arena.alloc(n * 4);
    const count = wasm().connectedComponents(n, pointers.offsets, pointers.targets, parent, labels);
    return { count, labels: arena.i32().slice(labels >> 2, (labels >> 2) + n) };
  });
}
