// Compressed sparse rows from edge lists.
//
//   offsets i32[n + 1]   row u spans targets[offsets[u] .. offsets[u + 1])
//   targets i32[edges]   sorted ascending within each row
//   weights f32[edges]   weight of the edge to targets[e]
//
// Rows are sorted by two stable counting sorts (by target, then by source):
// O(n + m) whatever the degree distribution, which hub-heavy kNN graphs need.

/**
 * Writes the directed edges of per-row neighbour lists (row i -> ids[i, s]).
 * With `symmetric`, the reversed edges follow them: 2 * rows * k in all.
 */
export function knnEdges(
  rows: i32, k: i32, ids: usize, keys: usize, symmetric: bool,
  src: usize, dst: usize, w: usize,
): i32 {
  const m = rows * k;
  for (let i = 0; i < rows; i++) {
    for (let s = 0; s < k; s++) {
      const e = <usize>(i * k + s) << 2;
      store<i32>(src + e, i);
      store<i32>(dst + e, load<i32>(ids + e));
      store<f32>(w + e, load<f32>(keys + e));
    }
  }
  if (!symmetric) return m;
  reverseEdges(m, src, dst, w);
  return m * 2;
}

/** Appends the reverse of the first `m` edges after them. */
export function reverseEdges(m: i32, src: usize, dst: usize, w: usize): void {
  const shift = <usize>m << 2;
  for (let e = 0; e < m; e++) {
    const o = <usize>e << 2;
    store<i32>(src + shift + o, load<i32>(dst + o));
    store<i32>(dst + shift + o, load<i32>(src + o));
    store<f32>(w + shift + o, load<f32>(w + o));
  }
}

function countingSort(
  n: i32, m: i32, keyArr: usize,
  src: usize, dst: usize, w: usize,
  outSrc: usize, outDst: usize, outW: usize, counts: usize,
): void {
  for (let u = 0; u <= n; u++) store<i32>(counts + (<usize>u << 2), 0);
  for (let e = 0; e < m; e++) {
    const c = counts + ((<usize>load<i32>(keyArr + (<usize>e << 2)) + 1) << 2);
    store<i32>(c, load<i32>(c) + 1);
  }
  for (let u = 0; u < n; u++) {
    const c = counts + ((<usize>u + 1) << 2);
    store<i32>(c, load<i32>(c) + load<i32>(counts + (<usize>u << 2)));
  }
  for (let e = 0; e < m; e++) {
    const o = <usize>e << 2;
    const c = counts + (<usize>load<i32>(keyArr + o) << 2);
    const p = <usize>load<i32>(c) << 2;
    store<i32>(c, load<i32>(c) + 1);
    store<i32>(outSrc + p, load<i32>(src + o));
    store<i32>(outDst + p, load<i32>(dst + o));
    store<f32>(outW + p, load<f32>(w + o));
  }
}

/**
 * Builds the CSR of `m` edges over `n` nodes. Parallel edges merge into one
 * with the smallest weight; self-loops are dropped (they never shorten a
 * path). With `mutual`, only edges given at least twice are kept: fed the
 * symmetric expansion of kNN lists, that is exactly the mutual neighbours.
 * `src`, `dst`, `w` are overwritten. Returns the number of edges kept.
 *
 * Scratch: tmpSrc, tmpDst, tmpW of m entries; counts of n + 1.
 */
export function buildCSR(
  n: i32, m: i32, src: usize, dst: usize, w: usize, mutual: bool,
  offsets: usize, targets: usize, weights: usize,
  tmpSrc: usize, tmpDst: usize, tmpW: usize, counts: usize,
): i32 {
  // sort by target, then stably by source: rows come out sorted by target
  countingSort(n, m, dst, src, dst, w, tmpSrc, tmpDst, tmpW, counts);
  countingSort(n, m, tmpSrc, tmpSrc, tmpDst, tmpW, src, dst, w, counts);

  // merge runs of equal (source, target)
  let kept = 0;
  let e = 0;
  for (let u = 0; u < n; u++) {
    store<i32>(offsets + (<usize>u << 2), kept);
    while (e < m && load<i32>(src + (<usize>e << 2)) == u) {
      const v = load<i32>(dst + (<usize>e << 2));
      let best = load<f32>(w + (<usize>e << 2));
      let times = 1;
      e++;
      while (
        e < m && load<i32>(src + (<usize>e << 2)) == u && load<i32>(dst + (<usize>e << 2)) == v
      ) {
        best = Mathf.min(best, load<f32>(w + (<usize>e << 2)));
        times++;
        e++;
      }
      if (v == u || (mutual && times < 2)) continue;
      store<i32>(targets + (<usize>kept << 2), v);
      store<f32>(weights + (<usize>kept << 2), best);
      kept++;
    }
  }
  store<i32>(offsets + (<usize>n << 2), kept);
  return kept;
}
