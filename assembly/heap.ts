// Indexed binary min-heap on flat arrays, with decrease-key.
//
//   heapIds  i32[n]   node at each heap slot
//   heapKeys f64[n]   its key (tentative path length)
//   pos      i32[n]   slot of each node: >= 0 in the heap, -1 never seen,
//                     -2 settled (popped)
//
// The arrays live in the caller's scratch; `heapInit` binds them.

export const NOT_SEEN: i32 = -1;
export const SETTLED: i32 = -2;

let ids: usize = 0;
let keys: usize = 0;
let pos: usize = 0;
let size: i32 = 0;

export function heapInit(heapIds: usize, heapKeys: usize, positions: usize): void {
  ids = heapIds;
  keys = heapKeys;
  pos = positions;
  size = 0;
}

// @ts-ignore: decorator
@inline export function heapSize(): i32 {
  return size;
}

// @ts-ignore: decorator
@inline function place(slot: i32, node: i32, key: f64): void {
  store<i32>(ids + (<usize>slot << 2), node);
  store<f64>(keys + (<usize>slot << 3), key);
  store<i32>(pos + (<usize>node << 2), slot);
}

function siftUp(slot: i32, node: i32, key: f64): void {
  while (slot > 0) {
    const parent = (slot - 1) >> 1;
    const pk = load<f64>(keys + (<usize>parent << 3));
    if (pk <= key) break;
    place(slot, load<i32>(ids + (<usize>parent << 2)), pk);
    slot = parent;
  }
  place(slot, node, key);
}

function siftDown(slot: i32, node: i32, key: f64): void {
  const half = size >> 1;
  while (slot < half) {
    let child = 2 * slot + 1;
    let ck = load<f64>(keys + (<usize>child << 3));
    const right = child + 1;
    if (right < size) {
      const rk = load<f64>(keys + (<usize>right << 3));
      if (rk < ck) {
        child = right;
        ck = rk;
      }
    }
    if (ck >= key) break;
    place(slot, load<i32>(ids + (<usize>child << 2)), ck);
    slot = child;
  }
  place(slot, node, key);
}

/** Inserts `node`, or lowers its key when it is already in the heap. */
export function heapPushOrDecrease(node: i32, key: f64): void {
  const slot = load<i32>(pos + (<usize>node << 2));
  if (slot >= 0) {
    siftUp(slot, node, key);
    return;
  }
  size++;
  siftUp(size - 1, node, key);
}

/** Removes the node with the smallest key, marks it settled and returns it. */
export function heapPop(): i32 {
  const top = load<i32>(ids);
  store<i32>(pos + (<usize>top << 2), SETTLED);
  size--;
  if (size > 0) {
    const lastNode = load<i32>(ids + (<usize>size << 2));
    const lastKey = load<f64>(keys + (<usize>size << 3));
    siftDown(0, lastNode, lastKey);
  }
  return top;
}
