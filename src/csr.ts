// CSR construction through the WebAssembly kernel.

import { arena, bytesOf, checkFits, wasm } from "./wasm.js";

export interface Csr {
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
}

/**
 * CSR of the edges sources[e] -> targets[e] over `n` nodes, rows sorted by
 * target, parallel edges merged to the smallest weight, self-loops dropped.
 * With `symmetric`, every edge is also taken in reverse; with `mutual`, only
 * edges given twice are kept.
 */
export function buildCSR(
  n: number,
  sources: Int32Array,
  targets: Int32Array,
  weights: Float32Array,
  symmetric: boolean,
  mutual: boolean,
): Csr {
  const given = sources.length;
  const m = symmetric ? 2 * given : given;
  checkFits(9 * bytesOf(m, 4) + 2 * bytesOf(n + 1, 4), `a graph of ${n} nodes and ${m} edges`);
  return arena.scoped(() => {
    const k = wasm();
    const src = arena.alloc(m * 4);
    const dst = arena.alloc(m * 4);
    const w = arena.alloc(m * 4);
    arena.i32().set(sources, src >> 2);
    arena.i32().set(targets, dst >> 2);
    arena.f32().set(weights, w >> 2);
    if (symmetric) k.reverseEdges(given, src, dst, w);
    return compact(n, m, src, dst, w, mutual);
  });
}

/**
 * Runs the CSR kernel on `m` edges already in linear memory and copies the
 * result out. Call it inside `arena.scoped`.
 */
export function compact(
  n: number,
  m: number,
  src: number,
  dst: number,
  w: number,
  mutual: boolean,
): Csr {
  const k = wasm();
  const offsets = arena.alloc((n + 1) * 4);
  const targets = arena.alloc(m * 4);
  const weights = arena.alloc(m * 4);
  const tmpSrc = arena.alloc(m * 4);
  const tmpDst = arena.alloc(m * 4);
  const tmpW = arena.alloc(m * 4);
  const counts = arena.alloc((n + 1) * 4);
  const kept = k.buildCSR(
    n,
    m,
    src,
    dst,
    w,
    mutual ? 1 : 0,
    offsets,
    targets,
    weights,
    tmpSrc,
    tmpDst,
    tmpW,
    counts,
  );
  return {
    offsets: arena.i32().slice(offsets >> 2, (offsets >> 2) + n + 1),
    targets: arena.i32().slice(targets >> 2, (targets >> 2) + kept),
    weights: arena.f32().slice(weights >> 2, (weights >> 2) + kept),
  };
}
