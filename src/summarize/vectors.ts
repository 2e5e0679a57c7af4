// Reader for the word-vector file written by scripts/build-vectors.mjs. Browser-safe: it
// takes bytes that the caller fetched or read, and views them in place instead of copying the
// int8 components, so parsing costs a word-list decode and one Map.
//
// Format version 1, every number little-endian (the writer holds the full description):
//
//   offset  bytes  field
//   0       4      magic "GKWV"
//   4       2      version = 1
//   6       2      encoding = 1: int8 components, one float32 scale per vector
//   8       4      size: number of words
//   12      4      dim
//   16      4      scalesOffset   -> size x f32
//   20      4      vectorsOffset  -> size x dim x i8, row-major
//   24      4      wordsOffset    -> UTF-8 words joined by "\n", in index order
//   28      4      wordsBytes
//
//   component d of vector i = vectors[i * dim + d] * scales[i]

/** "GKWV" read as a little-endian u32. */
const MAGIC = 0x5657_4b47;
const VERSION = 1;
const ENCODING_INT8 = 1;
const HEADER_BYTES = 32;

// header field offsets
const VERSION_AT = 4;
const ENCODING_AT = 6;
const SIZE_AT = 8;
const DIM_AT = 12;
const SCALES_AT = 16;
const VECTORS_AT = 20;
const WORDS_AT = 24;
const WORDS_BYTES_AT = 28;

/** A fixed vocabulary of words, each with a dense vector. */
export interface WordVectors {
  /** Components per vector. */
  readonly dim: number;
  /** Number of words; word i has index i, most frequent first. */
  readonly size: number;
  /**
   * Index of a word, compared exactly (the vocabulary is lowercase).
   * @returns the index, or -1 when the word is not in the vocabulary
   */
  index(word: string): number;
  /**
   * Decoded vector of word `i`.
   * @param i word index, 0 <= i < size
   * @param out where to write; a new Float32Array(dim) by default; must hold dim values
   * @returns `out`, holding the vector in its first dim entries
   */
  vector(i: number, out?: Float32Array): Float32Array;
  /** The words in index order. */
  readonly words: readonly string[];
}

/**
 * Parse word vectors from the bytes of a file written by scripts/build-vectors.mjs
 * (build/vectors/glove-100d.bin). The int8 components are viewed in place, so the buffer
 * must not be modified afterwards.
 *
 * @param buffer the whole file
 * @returns the vectors
 * @throws TypeError when `buffer` is not bytes or not this format (magic, version, encoding);
 *   RangeError when it is truncated, longer than its sections, or damaged (sections out of
 *   order, a word list that does not match the header, non-finite scales)
 */
export function parseWordVectors(buffer: ArrayBuffer | Uint8Array): WordVectors {
  const bytes = toBytes(buffer);
  if (bytes.byteLength < HEADER_BYTES) {
    throw new RangeError(
      `word vectors: truncated: expected at least a ${HEADER_BYTES}-byte ` +
        `header, got ${bytes.byteLength} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  // what kind of file
  const magic = view.getUint32(0, true);
  if (magic !== MAGIC) {
    throw new TypeError(
      `word vectors: bad magic 0x${magic.toString(16).padStart(8, "0")}, ` +
        `expected 0x${MAGIC.toString(16)} ("GKWV"): not a word-vector file`,
    );
  }
  const version = view.getUint16(VERSION_AT, true);
  const encoding = view.getUint16(ENCODING_AT, true);
  if (version !== VERSION || encoding !== ENCODING_INT8) {
    throw new TypeError(
      `word vectors: version ${version}, encoding ${encoding}; this reader ` +
        `knows version ${VERSION}, encoding ${ENCODING_INT8} (int8): rebuild the file`,
    );
  }

  // where the sections are, checked before any of them is read
  const size = view.getUint32(SIZE_AT, true);
  const dim = view.getUint32(DIM_AT, true);
  const scalesAt = view.getUint32(SCALES_AT, true);
  const vectorsAt = view.getUint32(VECTORS_AT, true);
  const wordsAt = view.getUint32(WORDS_AT, true);
  const wordsBytes = view.getUint32(WORDS_BYTES_AT, true);
  checkLayout(size, dim, scalesAt, vectorsAt, wordsAt);
  const expected = wordsAt + wordsBytes;
  if (bytes.byteLength !== expected) {
    const what = bytes.byteLength < expected ? "truncated" : "trailing bytes";
    throw new RangeError(
      `word vectors: ${what}: expected ${expected} bytes ` +
        `(${size} words x ${dim} dims), got ${bytes.byteLength}`,
    );
  }

  const scales = readScales(view, scalesAt, size);
  const components = new Int8Array(bytes.buffer, bytes.byteOffset + vectorsAt, size * dim);
  const words = readWords(bytes.subarray(wordsAt, expected), size);
  return new Int8WordVectors(dim, words, scales, components);
}

function toBytes(buffer: ArrayBuffer | Uint8Array): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  throw new TypeError(
    `word vectors: buffer must be an ArrayBuffer or a Uint8Array, got ` +
      `${Object.prototype.toString.call(buffer)}`,
  );
}

/** Sections must follow the header in order, without overlapping. */
function checkLayout(
  size: number,
  dim: number,
  scalesAt: number,
  vectorsAt: number,
  wordsAt: number,
): void {
  if (dim === 0) throw new RangeError("word vectors: header says dim 0, expected at least 1");
  const ends = [HEADER_BYTES, scalesAt + 4 * size, vectorsAt + size * dim];
  const starts = [scalesAt, vectorsAt, wordsAt];
  for (let s = 0; s < starts.length; s++) {
    if (starts[s] < ends[s]) {
      throw new RangeError(
        `word vectors: damaged header: section ${s} starts at byte ` +
          `${starts[s]}, before the previous one ends at ${ends[s]}`,
      );
    }
  }
}

/** Scales through the DataView: the section may not be 4-byte aligned in the caller's buffer. */
function readScales(view: DataView, at: number, size: number): Float32Array {
  const scales = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const scale = view.getFloat32(at + 4 * i, true);
    if (!(scale >= 0 && scale < Infinity)) {
      throw new RangeError(
        `word vectors: scale of word ${i} is ${scale}, ` +
          "expected a finite value >= 0: the file is damaged",
      );
    }
    scales[i] = scale;
  }
  return scales;
}

function readWords(bytes: Uint8Array, size: number): string[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RangeError("word vectors: the word list is not valid UTF-8: the file is damaged");
  }
  const words = size === 0 ? [] : text.split("\n");
  if (words.length !== size) {
    throw new RangeError(
      `word vectors: the word list holds ${words.length} words, ` +
        `expected ${size}: the file is damaged`,
    );
  }
  return words;
}

class Int8WordVectors implements WordVectors {
  readonly size: number;
  /**
   * Open-addressing hash table of word indices, -1 for an empty slot, at most half full.
   * Built here instead of a Map: for 100,000 words a Map takes 25 to 85 ms to fill, this
   * table 5 to 15 ms, and loading is meant to cost milliseconds.
   */
  private readonly slots: Int32Array;

  constructor(
    readonly dim: number,
    readonly words: readonly string[],
    /** scales[i] turns the int8 components of word i into floats. */
    private readonly scales: Float32Array,
    /** size x dim int8 components, row-major, viewed in the caller's buffer. */
    private readonly components: Int8Array,
  ) {
    this.size = words.length;
    let capacity = 16;
    while (capacity < 2 * words.length) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);

    for (let i = 0; i < words.length; i++) {
      const slot = this.find(words[i]);
      if (this.slots[slot] !== -1) {
        throw new RangeError(
          `word vectors: ${JSON.stringify(words[i])} is both word ` +
            `${this.slots[slot]} and word ${i}: the file is damaged`,
        );
      }
      this.slots[slot] = i;
    }
  }

  /** The slot holding `word`, or the empty slot where it would go (linear probing). */
  private find(word: string): number {
    const mask = this.slots.length - 1;
    let slot = hash(word) & mask;
    for (;;) {
      const i = this.slots[slot];
      if (i === -1 || this.words[i] === word) return slot;
      slot = (slot + 1) & mask;
    }
  }

  index(word: string): number {
    return this.slots[this.find(word)];
  }

  vector(i: number, out: Float32Array = new Float32Array(this.dim)): Float32Array {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new RangeError(`vector(i): i must be an integer in [0, ${this.size}), got ${i}`);
    }
    if (out.length < this.dim) {
      throw new RangeError(
        `vector(i, out): out must hold ${this.dim} values, ` + `got length ${out.length}`,
      );
    }
    const scale = this.scales[i];
    const start = i * this.dim;
    for (let d = 0; d < this.dim; d++) out[d] = this.components[start + d] * scale;
    return out;
  }
}

/** FNV-1a over UTF-16 code units: short, and good enough for linear probing. */
function hash(word: string): number {
  let h = 0x811c9dc5;
  for (let c = 0; c < word.length; c++) {
    h ^= word.charCodeAt(c);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
