import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { encodeWordVectors, HEADER_BYTES } from "../scripts/build-vectors.mjs";
import { parseWordVectors } from "../src/summarize/vectors.js";
import { defaultVectorsPath, loadWordVectors } from "../src/summarize/vectors-node.js";

const BUILT = defaultVectorsPath();

/** mulberry32: a small seeded generator, so random inputs repeat from run to run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words with multi-byte UTF-8, and random vectors whose lengths span three decades. */
function sample(size: number, dim: number, seed: number) {
  const next = random(seed);
  const words = Array.from({ length: size }, (_, i) => ["café", "東京", "naïve"][i] ?? `w${i}`);
  const vectors = new Float32Array(size * dim);
  for (let i = 0; i < size; i++) {
    const length = 10 ** (3 * next() - 2);
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = (2 * next() - 1) * length;
  }
  vectors.fill(0, 3 * dim, 4 * dim); // one zero vector
  return { words, vectors };
}

/** A valid file to damage, with its header fields readable and writable. */
function validFile() {
  const { words, vectors } = sample(5, 4, 7);
  const bytes = encodeWordVectors(words, vectors, 4);
  return { bytes, view: new DataView(bytes.buffer) };
}

describe("parseWordVectors", () => {
  test("parseWordVectors(encodeWordVectors(...)) returns each vector within half a step", () => {
    const dim = 7;
    const { words, vectors } = sample(50, dim, 1);
    const parsed = parseWordVectors(encodeWordVectors(words, vectors, dim));

    expect(parsed.dim).toBe(dim);
    expect(parsed.size).toBe(50);
    expect(parsed.words).toEqual(words);
    for (let i = 0; i < 50; i++) {
      expect(parsed.index(words[i])).toBe(i);
      const row = vectors.subarray(i * dim, (i + 1) * dim);
      const step = Math.max(...row.map(Math.abs)) / 127;
      const decoded = parsed.vector(i);
      for (let d = 0; d < dim; d++) {
        expect(Math.abs(decoded[d] - row[d])).toBeLessThanOrEqual(step / 2 + 1e-7 * step);
      }
    }
    expect(Array.from(parsed.vector(3))).toEqual(new Array(dim).fill(0));
  });

  test("parseWordVectors(bytes at an odd offset, or an ArrayBuffer) reads the same vectors", () => {
    const { words, vectors } = sample(20, 5, 2);
    const bytes = encodeWordVectors(words, vectors, 5);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const expected = parseWordVectors(bytes);

    for (const input of [shifted.subarray(3), bytes.slice().buffer]) {
      const parsed = parseWordVectors(input);
      expect(parsed.words).toEqual(words);
      for (let i = 0; i < 20; i++) expect(parsed.vector(i)).toEqual(expected.vector(i));
    }
  });

  test("parseWordVectors(no words) gives an empty vocabulary", () => {
    const parsed = parseWordVectors(encodeWordVectors([], new Float32Array(0), 3));
    expect(parsed.size).toBe(0);
    expect(parsed.words).toEqual([]);
    expect(parsed.index("the")).toBe(-1);
  });

  test("index(word) returns -1 for absent words and compares exactly", () => {
    const { words, vectors } = sample(10, 2, 3);
    const parsed = parseWordVectors(encodeWordVectors(words, vectors, 2));
    for (const word of ["", "CAFÉ", "cafe", "w10", "w1 ", "東"]) {
      expect(parsed.index(word)).toBe(-1);
    }
  });

  test("vector(i, out) writes into out and checks its arguments", () => {
    const { words, vectors } = sample(4, 3, 4);
    const parsed = parseWordVectors(encodeWordVectors(words, vectors, 3));
    const out = new Float32Array(5).fill(9);

    expect(parsed.vector(1, out)).toBe(out);
    expect(Array.from(out.subarray(0, 3))).toEqual(Array.from(parsed.vector(1)));
    expect(out[3]).toBe(9);
    for (const i of [-1, 4, 1.5, Number.NaN]) {
      expect(() => parsed.vector(i)).toThrow(
        new RangeError(`vector(i): i must be an integer in [0, 4), got ${i}`),
      );
    }
    expect(() => parsed.vector(0, new Float32Array(2))).toThrow(/out must hold 3 values/);
  });

  test("parseWordVectors(truncated or extended bytes) says expected and actual bytes", () => {
    const { bytes } = validFile();
    const n = bytes.length;
    expect(() => parseWordVectors(bytes.subarray(0, n - 1))).toThrow(
      new RangeError(
        `word vectors: truncated: expected ${n} bytes (5 words x 4 dims), got ${n - 1}`,
      ),
    );
    expect(() => parseWordVectors(bytes.subarray(0, 40))).toThrow(/truncated: expected/);
    expect(() => parseWordVectors(bytes.subarray(0, 10))).toThrow(
      new RangeError(
        `word vectors: truncated: expected at least a ${HEADER_BYTES}-byte header, got 10 bytes`,
      ),
    );
    const longer = new Uint8Array(n + 2);
    longer.set(bytes);
    expect(() => parseWordVectors(longer)).toThrow(/trailing bytes: expected \d+ bytes/);
  });

  test("parseWordVectors(another kind of file) throws TypeError", () => {
    const png = validFile().bytes;
    png.set([0x89, 0x50, 0x4e, 0x47]);
    expect(() => parseWordVectors(png)).toThrow(
      new TypeError(
        'word vectors: bad magic 0x474e5089, expected 0x56574b47 ("GKWV"): not a word-vector file',
      ),
    );

    const { bytes, view } = validFile();
    view.setUint16(4, 2, true);
    expect(() => parseWordVectors(bytes)).toThrow(/version 2, encoding 1; this reader knows/);
    expect(() => parseWordVectors("GKWV" as never)).toThrow(TypeError);
    expect(() => parseWordVectors(new Float32Array(8) as never)).toThrow(TypeError);
  });

  test("parseWordVectors(damaged sections) throws RangeError naming the damage", () => {
    const overlap = validFile();
    overlap.view.setUint32(20, HEADER_BYTES, true);
    expect(() => parseWordVectors(overlap.bytes)).toThrow(/damaged header: section 1 starts/);

    const nan = validFile();
    nan.view.setFloat32(HEADER_BYTES + 4 * 2, Number.NaN, true);
    expect(() => parseWordVectors(nan.bytes)).toThrow(/scale of word 2 is NaN/);

    const joined = validFile();
    const wordsAt = joined.view.getUint32(24, true);
    joined.bytes[joined.bytes.indexOf(10, wordsAt)] = 0x5f; // "\n" -> "_"
    expect(() => parseWordVectors(joined.bytes)).toThrow(/the word list holds 4 words, expected 5/);

    const utf8 = validFile();
    utf8.bytes[utf8.view.getUint32(24, true)] = 0xff;
    expect(() => parseWordVectors(utf8.bytes)).toThrow(/not valid UTF-8/);

    const twice = encodeWordVectors(["a", "b", "a"], new Float32Array(3), 1);
    expect(() => parseWordVectors(twice)).toThrow(/"a" is both word 0 and word 2/);
  });

  test("encodeWordVectors(bad input) throws RangeError", () => {
    expect(() => encodeWordVectors(["a\nb"], new Float32Array(2), 2)).toThrow(/hold no/);
    expect(() => encodeWordVectors(["a"], new Float32Array(3), 2)).toThrow(/got 3/);
    expect(() => encodeWordVectors(["a"], new Float32Array([1, Number.NaN]), 2)).toThrow(
      /not finite/,
    );
  });
});

describe("loadWordVectors", () => {
  test("loadWordVectors() reads the built GloVe vectors", async () => {
    if (!existsSync(BUILT)) {
      throw new Error(
        `${BUILT} is missing: run \`node scripts/build-vectors.mjs\` ` +
          "(part of `npm run build`) before the tests",
      );
    }
    const vectors = await loadWordVectors();

    expect(vectors.dim).toBe(100);
    expect(vectors.size).toBeGreaterThanOrEqual(50_000);
    expect(vectors.words.slice(0, 5)).toEqual(["the", ",", ".", "of", "to"]);
    for (const word of ["bluetooth", "headset", "zipper", "well-known", "dont"]) {
      expect(vectors.words[vectors.index(word)]).toBe(word);
    }
    for (const word of ["i", "a", "n't", "'s", "2", "The"]) expect(vectors.index(word)).toBe(-1);

    // the first components of "the" in the source JSON; its int8 step is 3.0243 / 127
    const source = [-0.038194, -0.24487, 0.72812, -0.39961, 0.083172, 0.043953, -0.39141];
    const the = vectors.vector(0);
    source.forEach((value, d) => expect(Math.abs(the[d] - value)).toBeLessThan(0.012));
  });

  test("loadWordVectors(missing path) tells how to build the file", async () => {
    await expect(loadWordVectors("/nonexistent/glove-100d.bin")).rejects.toThrow(
      /word vectors not found at \/nonexistent\/glove-100d\.bin: run `npm run build`/,
    );
  });
});
