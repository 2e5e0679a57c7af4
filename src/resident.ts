// One graph at a time stays in WebAssembly memory between calls, so that a
// run of queries on the same graph copies it in once.
//
// The resident copy sits at the bottom of the arena (see src/wasm.ts) and
// is released, moving the per-call arena back down to the lowest free byte,
// when the first of these happens:
//   - another graph is queried: it takes the same place;
//   - `graph.dispose()` is called;
//   - the Graph object is garbage-collected (a FinalizationRegistry).
// Each upload is one record; a release names its record, so a late
// finalizer or a second dispose() can never release a later graph's copy.

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

/** One upload: whose it is (held weakly), where, and where the arena starts after it. */
interface Upload {
  graph: WeakRef<CsrArrays>;
  pointers: GraphPointers;
  end: number;
}

let held: Upload | undefined;

// the held value and the unregister token are the upload itself, which
// refers to its graph only weakly, so registering keeps no graph alive
const collected = /* @__PURE__ */ new FinalizationRegistry<Upload>((upload) => release(upload));

/** Pointers to `graph` in linear memory, copying it in unless it is resident. */
export function residentGraph(graph: CsrArrays): GraphPointers {
  // resident, and the arena still starts right after it (nothing moved it since)
  if (held && held.graph.deref() === graph && arena.start === held.end) return held.pointers;

  // the new graph replaces the old one at the bottom of the heap
  if (held) release(held);
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
  const upload = { graph: new WeakRef(graph), pointers, end: arena.start };
  collected.register(graph, upload, upload);
  held = upload;
  return pointers;
}

/**
 * Releases `graph`'s copy if it is the resident one; its memory is reused.
 * A no-op otherwise, so it may be called any number of times.
 */
export function releaseResident(graph: CsrArrays): void {
  if (held && held.graph.deref() === graph) release(held);
}

/** Bytes the resident graph holds in linear memory between calls (0 when none). */
export function residentBytes(): number {
  return held ? held.end - arena.lowest : 0;
}

// releases `upload` only while it is the resident one
function release(upload: Upload): void {
  collected.unregister(upload);
  if (held !== upload) return;
  held = undefined;
  // the arena moves down only from where this upload left it
  if (arena.start === upload.end) arena.setBase(arena.lowest);
}
