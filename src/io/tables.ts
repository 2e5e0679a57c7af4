// Readers of numeric tables: CSV (or TSV, or whitespace-separated, as
// np.savetxt writes), JSON Lines, raw little-endian float32 and .npy.
// Each returns the same Table; errors name the source, the line and what was
// expected. Browser-safe: they take text or bytes that the caller read.

import { parseNumber } from "./numbers.js";
import { parseNpy } from "./npy.js";

/** A rows x cols table of numbers, row-major, maybe with column names. */
export interface Table {
  /** Column names from a CSV header or JSONL objects; undefined for a plain matrix. */
  names?: string[];
  /** Float32Array for float32 sources (.npy f4, raw .f32), Float64Array otherwise. */
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/**
 * Parses delimited text. The delimiter is a comma where the first line has
 * one, else a tab, else runs of spaces (np.savetxt's default). A first line
 * holding anything but numbers is a header of column names; blank lines and
 * lines starting with "#" (np.savetxt's header) are skipped.
 *
 * @param text the file's content
 * @param source file name for error messages
 * @throws Error naming `source`, the line and the cell when a cell is not a
 *   number or a row has a different number of cells
 */
export function parseCsv(text: string, source = "<csv>"): Table {
  const lines = text.split(/\r?\n/);
  const content = lines.findIndex((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  if (content < 0) return { data: new Float64Array(0), rows: 0, cols: 0 };
  const first = lines[content];
  const split = first.includes(",")
    ? (l: string) => l.split(",")
    : first.includes("\t")
      ? (l: string) => l.split("\t")
      : (l: string) => l.trim().split(/\s+/);

  // a header row is one with a cell that is not a number
  const firstCells = split(first).map((c) => c.trim());
  const header = firstCells.some((c) => parseNumber(c) === undefined);
  const names = header ? firstCells.map((c) => c.replace(/^"(.*)"$/, "$1")) : undefined;
  const cols = firstCells.length;

  const values: number[] = [];
  let rows = 0;
  for (let i = header ? content + 1 : content; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const cells = split(line);
    if (cells.length !== cols) {
      throw new Error(
        `${source}:${i + 1}: expected ${cols} cells like line ${content + 1}, got ${cells.length}`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const x = parseNumber(cells[j]);
      if (x === undefined) {
        throw new Error(
          `${source}:${i + 1}: cell ${j + 1} is ${JSON.stringify(cells[j].trim())}; ` +
            "expected a number",
        );
      }
      values.push(x);
    }
    rows++;
  }
  return { names, data: Float64Array.from(values), rows, cols };
}

/**
 * Parses JSON Lines: each non-blank line an array of numbers, or an object
 * whose values are numbers (its keys become the column names, and every line
 * must have the same keys). `null` stands for infinity, as JSON has none.
 *
 * @param text the file's content
 * @param source file name for error messages
 * @throws Error naming `source` and the line on malformed JSON, a value
 *   that is not a number, or a row of a different length or keys
 */
export function parseJsonl(text: string, source = "<jsonl>"): Table {
  const values: number[] = [];
  let names: string[] | undefined;
  let cols = -1;
  let rows = 0;
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `${source}:${index + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new Error(
        `${where}: expected a JSON array of numbers, got ${(error as Error).message}`,
      );
    }
    const isObject = typeof row === "object" && row !== null && !Array.isArray(row);
    if (!Array.isArray(row) && !isObject) {
      throw new Error(`${where}: expected a JSON array of numbers or an object of numbers`);
    }
    const keys = isObject ? Object.keys(row as object) : undefined;
    const cells = isObject ? Object.values(row as object) : (row as unknown[]);
    if (cols < 0) {
      cols = cells.length;
      names = keys;
    } else if (keys ? keys.join() !== names?.join() : names !== undefined) {
      const expected = names ? `an object with keys ${names.join(", ")}` : "an array";
      throw new Error(`${where}: expected ${expected} like the first line`);
    } else if (cells.length !== cols) {
      throw new Error(
        `${where}: has ${cells.length} numbers; expected ${cols} like the first line`,
      );
    }
    cells.forEach((x, j) => {
      if (x !== null && typeof x !== "number") {
        const at = keys ? `"${keys[j]}"` : `item ${j + 1}`;
        throw new Error(`${where}: ${at} is ${JSON.stringify(x)}; expected a number`);
      }
      values.push(x ?? Infinity);
    });
    rows++;
  });
  return { names, data: Float64Array.from(values), rows, cols: Math.max(cols, 0) };
}

/**
 * Reads raw little-endian float32 values (a `.f32` file, as numpy's
 * `a.astype('<f4').tofile(path)` writes) as rows of `dim` values.
 *
 * @throws RangeError when the byte length is not a whole number of rows
 */
export function parseRaw32(bytes: Uint8Array, dim: number, source = "<f32>"): Table {
  const rowBytes = 4 * dim;
  if (bytes.byteLength % rowBytes !== 0) {
    throw new RangeError(
      `${source}: ${bytes.byteLength} bytes; expected a multiple of ${rowBytes} ` +
        `(rows of --dim ${dim} float32 values)`,
    );
  }
  const rows = bytes.byteLength / rowBytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(4 * i, true);
  return { data, rows, cols: dim };
}

/**
 * Reads a .npy file of one or two dimensions as a table (a 1-d array is one
 * row); any numeric dtype, kept as float32 for float32 and float64 otherwise.
 *
 * @throws RangeError naming `source` when the array has more than 2 dimensions
 */
export function parseNpyTable(bytes: Uint8Array, source = "<npy>"): Table {
  let array;
  try {
    array = parseNpy(bytes);
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`);
  }
  const { shape, data } = array;
  if (shape.length < 1 || shape.length > 2) {
    throw new RangeError(
      `${source}: shape is (${shape.join(", ")}); expected 2 dimensions (rows, columns) or 1`,
    );
  }
  const [rows, cols] = shape.length === 2 ? shape : [1, shape[0]];
  if (data instanceof Float32Array) return { data, rows, cols };
  const values = Float64Array.from(data as ArrayLike<number | bigint>, Number);
  return { data: values, rows, cols };
}
