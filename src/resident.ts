// One graph at a time stays in WebAssembly memory between calls, so that a
// run of queries on the same graph copies it in once.

import { arena, bytesOf, checkFits } from "./wasm.js";

/** Byte offsets of a graph's arrays in linear memory. */
export interface GraphPointers {
  offsets: number;
  targets: number;
  weights: number;
}

interface CsrArrays {
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
}

let held: { graph: WeakRef<CsrArrays>; pointers: GraphPointers } | undefined;

/** Pointers to `graph` in linear memory, copying it in unless it is resident. */
export function residentGraph(graph: CsrArrays): GraphPointers {
  if (held && held.graph.deref() === graph) return held.pointers;

  // the new graph replaces the old one at the bottom of the heap
  held = undefined;
  const bytes =
    bytesOf(graph.offsets.length, 4) +
    bytesOf(graph.targets.length, 4) +
    bytesOf(graph.weights.length, 4);
  arena.setBase(arena.lowest);
  checkFits(bytes, "keeping the graph in WebAssembly memory");
  const pointers = {
    offsets: arena.alloc(graph.offsets.length * 4),
    targets: arena.alloc(graph.targets.length * 4),
    weights: arena.alloc(graph.weights.length * 4),
  };
  arena.i32().set(graph.offsets, pointers.offsets >> 2);
  arena.i32().set(graph.targets, pointers.targets >> 2);
  arena.f32().set(graph.weights, pointers.weights >> 2);
  arena.setBase(pointers.weights + graph.weights.length * 4);
  held = { graph: new WeakRef(graph), pointers };
  return pointers;
}

/** Forgets `graph` if it is the resident one; its memory is reused. */
export function releaseResident(graph: CsrArrays): void {
  if (held && held.graph.deref() === graph) {
    held = undefined;
    arena.setBase(arena.lowest);
  }
}
