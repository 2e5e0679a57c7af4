/**
 * Reading and writing NumPy's .npy format (versions 1.0, 2.0 and 3.0), for
 * little-endian numeric arrays in C order. Browser-safe: no Node imports.
 *
 * Layout of a file:
 *
 * ```
 * offset 0   6 bytes    magic "\x93NUMPY"
 *        6   1 byte     major version (1, 2 or 3)
 *        7   1 byte     minor version (0)
 *        8   2 bytes    header length, little-endian (4 bytes in 2.0 and 3.0)
 *        10  (or 12)    header: a Python dict literal, latin1 (UTF-8 in 3.0),
 *                       {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 *                       padded with spaces and ending in "\n"
 *        ...            data: product(shape) * itemsize bytes, row-major
 * ```
 *
 * Written by hand rather than with an npm package: the packages on offer
 * (npyjs 1.2.0, numpy-parser 1.2.3) accept a truncated body without a
 * word, leave Fortran order to the caller or misread 1-d shapes, and do
 * not check the header's keys, so the validation would have to be written
 * here anyway; what remains of a parser after that is a few lines.
 */

/** A typed array that .npy data is read into or written from. */
export type NpyData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/** NumPy's name for an element type this module reads and writes. */
export type NpyDtype =
  | "float32"
  | "float64"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "bool";

/** An array read from a .npy file. */
export interface NpyArray {
  /** The elements, row-major (C order); int64 and uint64 come as BigInt arrays. */
  data: NpyData;
  /** Dimensions, outermost first; `[]` for a scalar. */
  shape: number[];
  /** NumPy's name for the element type, e.g. "float32". */
  dtype: NpyDtype;
}

interface DtypeInfo {
  dtype: NpyDtype;
  /** the type code after the byte-order character, as in descr '<f4' */
  code: string;
  bytes: number;
  array: new (buffer: ArrayBuffer) => NpyData;
}

const DTYPES: readonly DtypeInfo[] = [
  { dtype: "float32", code: "f4", bytes: 4, array: Float32Array },
  { dtype: "float64", code: "f8", bytes: 8, array: Float64Array },
  { dtype: "int8", code: "i1", bytes: 1, array: Int8Array },
  { dtype: "int16", code: "i2", bytes: 2, array: Int16Array },
  { dtype: "int32", code: "i4", bytes: 4, array: Int32Array },
  { dtype: "int64", code: "i8", bytes: 8, array: BigInt64Array },
  { dtype: "uint8", code: "u1", bytes: 1, array: Uint8Array },
  { dtype: "uint16", code: "u2", bytes: 2, array: Uint16Array },
  { dtype: "uint32", code: "u4", bytes: 4, array: Uint32Array },
  { dtype: "uint64", code: "u8", bytes: 8, array: BigUint64Array },
  // bool is one byte per element, 0 or 1; it is read as Uint8Array (and never written)
  { dtype: "bool", code: "b1", bytes: 1, array: Uint8Array },
];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const HEADER_KEYS = ["descr", "fortran_order", "shape"];
// numpy writes tuples of integers; deeper nesting is not a header numpy reads
const MAX_NESTING = 32;

// numpy aligns the data to 64 bytes so that it can be memory-mapped
const ALIGN_BYTES = 64;

// typed arrays use the host's byte order and the files here are little-endian
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Parses a .npy file.
 *
 * The data is copied out, so the result does not share memory with `bytes`.
 * Supported: header versions 1.0, 2.0 and 3.0; little-endian (or one-byte)
 * float32, float64, int8/16/32/64, uint8/16/32/64 and bool; C order.
 *
 * @param bytes the whole file
 * @returns the elements, the shape and NumPy's name for the dtype
 * @throws RangeError naming the field when the magic, version, header
 *   length, shape, order or data length is not what a valid file has;
 *   TypeError when the input or the dtype is of a kind not supported
 */
export function parseNpy(bytes: Uint8Array | ArrayBuffer): NpyArray {
  checkHost("parseNpy");
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `parseNpy: bytes: expected a Uint8Array or ArrayBuffer, got ${kind(bytes)}`,
    );
  }

  // preamble: magic, version, header length
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0"));
    throw new RangeError(
      `parseNpy: magic: expected bytes 93 4e 55 4d 50 59 ("\\x93NUMPY"), ` +
        `got ${got.join(" ") || "nothing"}`,
    );
  }
  if (bytes.length < 8) {
    throw new RangeError(`parseNpy: version: expected 2 bytes, file ends after ${bytes.length}`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw new RangeError(`parseNpy: version: expected 1.0, 2.0 or 3.0, got ${major}.${minor}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) {
    throw new RangeError(
      `parseNpy: header length: expected ${lengthBytes} bytes, file ends after ${bytes.length}`,
    );
  }
  const headerBytes = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerBytes;
  if (dataStart > bytes.length) {
    throw new RangeError(
      `parseNpy: header length: expected at most ${bytes.length - headerStart} bytes ` +
        `(the rest of the file), got ${headerBytes}`,
    );
  }

  // header: a dict literal with exactly the keys descr, fortran_order, shape
  const decoder = new TextDecoder(major === 3 ? "utf-8" : "latin1");
  const text = decoder.decode(bytes.subarray(headerStart, dataStart));
  const header = parseHeader(text);
  const info = dtypeOf(header.descr);
  const shape = shapeOf(header.shape);
  if (typeof header.fortran_order !== "boolean") {
    throw new RangeError(
      `parseNpy: fortran_order: expected True or False, got ${show(header.fortran_order)}`,
    );
  }
  // in Fortran order a 0-d or 1-d array has the same bytes as in C order
  if (header.fortran_order && shape.length > 1) {
    throw new RangeError(
      `parseNpy: fortran_order: expected False (C order) for shape (${shape.join(", ")}), ` +
        `got True; save a C-ordered copy (numpy.ascontiguousarray)`,
    );
  }

  // body: exactly product(shape) elements
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * info.bytes;
  const got = bytes.length - dataStart;
  if (got !== expected) {
    throw new RangeError(
      `parseNpy: data length: expected ${expected} bytes (${count} x ${info.dtype} for shape ` +
        `(${shape.join(", ")})), got ${got}`,
    );
  }
  // copied into a fresh buffer, aligned for any element type; not with
  // bytes.slice(), which on a Node Buffer is a view into a shared pool
  const body = new Uint8Array(expected);
  body.set(bytes.subarray(dataStart));
  const data = new info.array(body.buffer);
  return { data, shape, dtype: info.dtype };
}

/**
 * Writes an array as a .npy file (version 1.0, or 2.0 when the header is
 * longer than 65535 bytes), little-endian, C order.
 *
 * @param data the elements, row-major; Uint8Array is written as uint8
 * @param shape dimensions, outermost first; default `[data.length]`
 * @returns the whole file
 * @throws TypeError when `data` is not a supported typed array;
 *   RangeError when `shape` does not hold exactly `data.length` elements
 */
export function writeNpy(data: NpyData, shape: readonly number[] = [data.length]): Uint8Array {
  checkHost("writeNpy");
  const info = DTYPES.find((d) => d.array === data?.constructor);
  if (info === undefined) {
    throw new TypeError(`writeNpy: data: expected a numeric typed array, got ${kind(data)}`);
  }
  const dims = shapeOf(shape, "writeNpy");
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(
      `writeNpy: shape: expected dimensions whose product is data.length = ${data.length}, ` +
        `got (${dims.join(", ")}) = ${count}`,
    );
  }

  // header text, padded with spaces so that the data starts on ALIGN_BYTES
  const order = info.bytes === 1 ? "|" : "<";
  const tuple = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
  let text = `{'descr': '${order}${info.code}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const major = text.length + 11 < 65536 ? 1 : 2;
  const headerStart = major === 1 ? 10 : 12;
  const padded = Math.ceil((headerStart + text.length + 1) / ALIGN_BYTES) * ALIGN_BYTES;
  text = text.padEnd(padded - headerStart - 1, " ") + "\n";

  // preamble, header, data
  const out = new Uint8Array(padded + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[headerStart + i] = text.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), padded);
  return out;
}

/** Parses the header's dict literal; only the forms numpy writes are accepted. */
function parseHeader(text: string): Record<string, unknown> {
  let at = 0;
  const fail = (what: string): never => {
    const near = JSON.stringify(text.slice(at, at + 20));
    throw new RangeError(
      `parseNpy: header: expected ${what} at character ${at}, got ${near} ` +
        `in ${JSON.stringify(text.trim())}`,
    );
  };
  const space = (): void => {
    while (at < text.length && " \t\r\n".includes(text[at])) at++;
  };
  const peek = (c: string): boolean => {
    space();
    return text[at] === c;
  };
  const eat = (c: string): void => {
    if (!peek(c)) fail(`"${c}"`);
    at++;
  };

  // a value is a quoted string, True, False, an integer or a tuple/list of
  // values; nesting is bounded so that no header can exhaust the stack
  const value = (depth = 0): unknown => {
    space();
    const c = text[at];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, at + 1);
      if (end < 0) fail("a closing quote");
      const s = text.slice(at + 1, end);
      at = end + 1;
      return s;
    }
    if (c === "(" || c === "[") {
      if (depth >= MAX_NESTING) fail(`a value nested at most ${MAX_NESTING} deep`);
      const close = c === "(" ? ")" : "]";
      const items: unknown[] = [];
      at++;
      while (!peek(close)) {
        items.push(value(depth + 1));
        if (!peek(close)) eat(",");
      }
      at++;
      return items;
    }
    // python 2 wrote long integers with an L suffix
    const m = /^(True|False|[+-]?\d+)L?/.exec(text.slice(at));
    if (m === null) return fail("a string, True, False, a tuple or an integer");
    at += m[0].length;
    return m[1] === "True" ? true : m[1] === "False" ? false : Number.parseInt(m[1], 10);
  };

  eat("{");
  // no prototype: a key such as "__proto__" is a key like any other
  const dict: Record<string, unknown> = Object.create(null);
  while (!peek("}")) {
    const key = value();
    if (typeof key !== "string") fail("a quoted key");
    eat(":");
    dict[key as string] = value();
    if (!peek("}")) eat(",");
  }
  at++;
  space();
  if (at !== text.length) fail('the end of the header after "}"');

  const keys = Object.keys(dict).sort();
  if (keys.join() !== HEADER_KEYS.join()) {
    throw new RangeError(
      `parseNpy: header keys: expected ${HEADER_KEYS.join(", ")}, got ${keys.join(", ") || "none"}`,
    );
  }
  return dict;
}

/** Looks up a descr such as '<f4'; big-endian and structured types are refused. */
function dtypeOf(descr: unknown): DtypeInfo {
  const supported = "'<f4', '<f8', '<i1/2/4/8', '<u1/2/4/8' or '|b1'";
  if (typeof descr !== "string") {
    throw new TypeError(`parseNpy: descr: expected one of ${supported}, got ${show(descr)}`);
  }
  const order = descr[0];
  const info = DTYPES.find((d) => d.code === descr.slice(1));
  // '|' means "byte order not applicable", right only for one-byte types
  const orderOk = order === "<" || (order === "|" && info?.bytes === 1);
  if (info === undefined || !orderOk) {
    throw new TypeError(`parseNpy: descr: expected one of ${supported}, got '${descr}'`);
  }
  return info;
}

/** Checks a shape: a tuple of non-negative safe integers. */
function shapeOf(shape: unknown, caller = "parseNpy"): number[] {
  const ok =
    Array.isArray(shape) &&
    shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    Number.isSafeInteger(shape.reduce((a: number, b: number) => a * b, 1));
  if (!ok) {
    throw new RangeError(
      `${caller}: shape: expected a tuple of non-negative integers, got ${show(shape)}`,
    );
  }
  // "-0" is a dimension of 0
  return (shape as number[]).map((d) => d + 0);
}

// TODO: big-endian hosts would need a byte swap of the data on the way in and out;
// no JavaScript engine in use runs big-endian, so they are refused instead
function checkHost(caller: string): void {
  if (!HOST_LITTLE_ENDIAN) {
    throw new RangeError(`${caller}: host byte order: expected little-endian, got big-endian`);
  }
}

function show(v: unknown): string {
  if (Array.isArray(v)) return `(${v.map(show).join(", ")})`;
  return typeof v === "string" ? `'${v}'` : String(v);
}

function kind(v: unknown): string {
  return v === null ? "null" : typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
}
