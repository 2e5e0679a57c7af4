// A plain binary min-heap over typed arrays with lazy deletion: the usual
// JavaScript way to run Dijkstra, and the baseline the WASM heap must beat.

export class ReferenceHeap {
  private keys: Float64Array;
  private ids: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(capacity, 1));
    this.ids = new Int32Array(Math.max(capacity, 1));
  }

  push(id: number, key: number): void {
    if (this.size === this.keys.length) this.growTo(this.size * 2);
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.keys[i] = this.keys[parent];
      this.ids[i] = this.ids[parent];
      i = parent;
    }
    this.keys[i] = key;
    this.ids[i] = id;
  }

  /** Removes the top; returns its id (its key is `topKey` before the call). */
  pop(): number {
    const top = this.ids[0];
    const key = this.keys[--this.size];
    const id = this.ids[this.size];
    let i = 0;
    const half = this.size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      if (child + 1 < this.size && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= key) break;
      this.keys[i] = this.keys[child];
      this.ids[i] = this.ids[child];
      i = child;
    }
    this.keys[i] = key;
    this.ids[i] = id;
    return top;
  }

  topKey(): number {
    return this.keys[0];
  }

  private growTo(capacity: number): void {
    const keys = new Float64Array(capacity);
    const ids = new Int32Array(capacity);
    keys.set(this.keys);
    ids.set(this.ids);
    this.keys = keys;
    this.ids = ids;
  }
}
