// Types of what scripts/build-vectors.mjs exports, for the tests that import its encoder.

/** First four bytes of the file, "GKWV", read as a little-endian u32. */
export declare const MAGIC: number;
/** Format version written. */
export declare const VERSION: number;
/** Encoding 1: int8 components, one float32 scale per vector. */
export declare const ENCODING_INT8: number;
/** Bytes before the first section. */
export declare const HEADER_BYTES: number;

/**
 * Encode word vectors in format version 1.
 * @param words words in index order; none may be empty or hold "\n"
 * @param vectors words.length x dim components, row-major
 * @param dim components per vector
 * @returns the whole file
 */
export declare function encodeWordVectors(words: readonly string[],
  vectors: Float32Array | Float64Array, dim: number): Uint8Array;
