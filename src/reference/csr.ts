// Plain TypeScript CSR construction: sort the edge list, merge duplicates.

export interface ReferenceCsr {
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
}

/**
 * CSR of edges src[e] -> dst[e], rows sorted by target, parallel edges
 * merged to the smallest weight, self-loops dropped; `symmetric` adds the
 * reverse of each edge; `mutual` keeps only edges given at least twice.
 */
export function csrFromEdges(
  n: number,
  src: ArrayLike<number>,
  dst: ArrayLike<number>,
  w: ArrayLike<number>,
  symmetric: boolean,
  mutual = false,
): ReferenceCsr {
  const list: [number, number, number][] = [];
  for (let e = 0; e < src.length; e++) {
    list.push([src[e], dst[e], w[e]]);
    if (symmetric) list.push([dst[e], src[e], w[e]]);
  }
  list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  const targets: number[] = [];
  const weights: number[] = [];
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < list.length;) {
    const [u, v] = list[e];
    let best = Infinity;
    let times = 0;
    for (; e < list.length && list[e][0] === u && list[e][1] === v; e++) {
      best = Math.min(best, list[e][2]);
      times++;
    }
    if (u === v || (mutual && times < 2)) continue;
    targets.push(v);
    weights.push(best);
    offsets[u + 1]++;
  }
  for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u];
  return { offsets, targets: Int32Array.from(targets), weights: Float64Array.from(weights) };
}
