// The .npy reader and writer, checked against files that NumPy wrote
// (test/fixtures/npy, made by scripts/fixtures/make_npy_fixtures.py) and,
// where Debian's NumPy is on the machine, against NumPy reading our files.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseNpy, writeNpy, type NpyData } from "../src/io/npy.js";

const DIR = join(import.meta.dirname, "fixtures", "npy");
const expected = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Record<
  string,
  { dtype: string; shape: number[]; values: number[] }
>;

const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, `${name}.npy`)));
const numbers = (data: NpyData): number[] => Array.from(data as ArrayLike<number | bigint>, Number);

/** Replaces the header text of a file, keeping the length field in step (version 1.0). */
function withHeader(file: Uint8Array, edit: (header: string) => string): Uint8Array {
  const length = file[8] | (file[9] << 8);
  const header = new TextDecoder("latin1").decode(file.subarray(10, 10 + length));
  const text = edit(header);
  const out = new Uint8Array(10 + text.length + file.length - 10 - length);
  out.set(file.subarray(0, 8));
  out[8] = text.length & 0xff;
  out[9] = text.length >> 8;
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  out.set(file.subarray(10 + length), 10 + text.length);
  return out;
}

describe("parseNpy on files written by NumPy", () => {
  const names = [
    "float32_2d",
    "float64_2d",
    "int32_1d",
    "int64_1d",
    "float32_0rows",
    "float64_scalar",
    "uint8_1d",
    "float32_v2",
    "float32_v3",
  ];
  for (const name of names) {
    it(`parseNpy(${name}.npy) reads dtype, shape and values`, () => {
      const want = expected[name];
      const got = parseNpy(read(name));
      expect(got.dtype).toBe(want.dtype);
      expect(got.shape).toEqual(want.shape);
      expect(numbers(got.data)).toEqual(want.values);
    });
  }

  it("parseNpy(float32) returns a Float32Array, int32 an Int32Array, int64 a BigInt64Array", () => {
    expect(parseNpy(read("float32_2d")).data).toBeInstanceOf(Float32Array);
    expect(parseNpy(read("float64_2d")).data).toBeInstanceOf(Float64Array);
    expect(parseNpy(read("int32_1d")).data).toBeInstanceOf(Int32Array);
    const int64 = parseNpy(read("int64_1d")).data;
    expect(int64).toBeInstanceOf(BigInt64Array);
    expect(int64[0]).toBe(-(2n ** 41n) + 1n);
  });

  it("parseNpy(ArrayBuffer) and parseNpy(unaligned subarray) read the same values", () => {
    const file = read("float64_2d");
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    const fromView = parseNpy(padded.subarray(3));
    const fromBuffer = parseNpy(file.slice().buffer);
    expect(numbers(fromView.data)).toEqual(expected.float64_2d.values);
    expect(numbers(fromBuffer.data)).toEqual(expected.float64_2d.values);
  });

  it("parseNpy(Node Buffer from readFileSync) reads only the file's own bytes", () => {
    // small files share one pooled ArrayBuffer, so buffer.slice() would see the pool
    const file = readFileSync(join(DIR, "int32_1d.npy"));
    const got = parseNpy(file);
    expect(got.data.length).toBe(7);
    expect(numbers(got.data)).toEqual(expected.int32_1d.values);
  });

  it("parseNpy(bytes) copies: changing the input afterwards leaves the result alone", () => {
    const file = read("float32_2d");
    const got = parseNpy(file);
    file.fill(0, file.length - 48);
    expect(numbers(got.data)).toEqual(expected.float32_2d.values);
  });
});

describe("parseNpy refuses invalid files", () => {
  it("parseNpy(Fortran-order file) throws naming fortran_order", () => {
    expect(() => parseNpy(read("float32_fortran"))).toThrow(RangeError);
    expect(() => parseNpy(read("float32_fortran"))).toThrow(/fortran_order: expected False/);
  });

  it("parseNpy(big-endian file) throws naming descr and the value", () => {
    expect(() => parseNpy(read("float32_bigendian"))).toThrow(TypeError);
    expect(() => parseNpy(read("float32_bigendian"))).toThrow(/descr: .*got '>f4'/);
  });

  it("parseNpy(truncated body) throws with the expected and actual data length", () => {
    const file = read("float32_2d");
    expect(() => parseNpy(file.subarray(0, file.length - 1))).toThrow(
      /data length: expected 48 bytes \(12 x float32 for shape \(3, 4\)\), got 47/,
    );
    expect(() => parseNpy(file.subarray(0, file.length - 4))).toThrow(/got 44/);
    expect(() => parseNpy(file.subarray(0, file.length - 48))).toThrow(/got 0/);
  });

  it("parseNpy(body with trailing bytes) throws", () => {
    const file = read("int32_1d");
    const longer = new Uint8Array(file.length + 4);
    longer.set(file);
    expect(() => parseNpy(longer)).toThrow(/data length: expected 28 bytes .* got 32/);
  });

  it("parseNpy(truncated header) throws naming the header length", () => {
    const file = read("float32_2d");
    expect(() => parseNpy(file.subarray(0, 40))).toThrow(/header length: expected at most 30/);
    expect(() => parseNpy(file.subarray(0, 9))).toThrow(/header length: expected 2 bytes/);
    expect(() => parseNpy(file.subarray(0, 7))).toThrow(/version: expected 2 bytes/);
  });

  it("parseNpy(wrong magic) throws naming the magic and the bytes found", () => {
    const file = read("float32_2d").slice();
    file[1] = 0x4f;
    expect(() => parseNpy(file)).toThrow(/magic: expected .*got 93 4f 55 4d 50 59/);
    expect(() => parseNpy(new Uint8Array(0))).toThrow(/magic: .*got nothing/);
  });

  it("parseNpy(version 4.0 or 1.1) throws naming the version", () => {
    const file = read("float32_2d").slice();
    file[6] = 4;
    expect(() => parseNpy(file)).toThrow(/version: expected 1.0, 2.0 or 3.0, got 4.0/);
    file[6] = 1;
    file[7] = 1;
    expect(() => parseNpy(file)).toThrow(/got 1.1/);
  });

  it("parseNpy(header with a key missing or added) throws naming the keys", () => {
    const file = read("float32_2d");
    const missing = withHeader(file, (h) => h.replace("'fortran_order': False, ", ""));
    expect(() => parseNpy(missing)).toThrow(
      /header keys: expected descr, fortran_order, shape, got descr, shape/,
    );
    const added = withHeader(file, (h) => h.replace("{", "{'extra': 1, "));
    expect(() => parseNpy(added)).toThrow(/got descr, extra, fortran_order, shape/);
  });

  it("parseNpy(header with a bad shape or descr) throws naming the field and value", () => {
    const file = read("float32_2d");
    const negative = withHeader(file, (h) => h.replace("(3, 4)", "(3, -4)"));
    expect(() => parseNpy(negative)).toThrow(/shape: expected .* got \(3, -4\)/);
    const text = withHeader(file, (h) => h.replace("(3, 4)", "'3x4'"));
    expect(() => parseNpy(text)).toThrow(/shape: .*got '3x4'/);
    const structured = withHeader(file, (h) => h.replace("'<f4'", "[('a', '<f4')]"));
    expect(() => parseNpy(structured)).toThrow(/descr: .*got \(\('a', '<f4'\)\)/);
    const unknown = withHeader(file, (h) => h.replace("'<f4'", "'<c8'"));
    expect(() => parseNpy(unknown)).toThrow(/descr: .*got '<c8'/);
  });

  it("parseNpy(malformed header text) throws naming the header and position", () => {
    const file = read("float32_2d");
    const bad = withHeader(file, (h) => h.replace("False", "Nope"));
    expect(() => parseNpy(bad)).toThrow(/header: expected a string, True, False/);
    const unclosed = withHeader(file, (h) => h.replace("}", ""));
    expect(() => parseNpy(unclosed)).toThrow(/header: expected/);
  });

  it("parseNpy(not bytes) throws a TypeError", () => {
    expect(() => parseNpy([1, 2, 3] as unknown as Uint8Array)).toThrow(
      /bytes: expected a Uint8Array or ArrayBuffer, got Array/,
    );
  });
});

describe("writeNpy", () => {
  const arrays: [string, NpyData, number[]][] = [
    ["float32 2-d", new Float32Array([1.5, -2, 3.25, 0, 1e-30, 3e38]), [2, 3]],
    ["float64 2-d", new Float64Array([Math.PI, -Math.E, 1e-300, Infinity]), [2, 2]],
    ["int32 1-d", new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1]), [3]],
    ["int64 1-d", new BigInt64Array([-(2n ** 63n), 0n, 2n ** 63n - 1n]), [3]],
    ["uint8", new Uint8Array([0, 255, 7]), [3, 1]],
    ["float32 0 rows", new Float32Array(0), [0, 100]],
    ["float64 scalar", new Float64Array([42]), []],
  ];

  for (const [label, data, shape] of arrays) {
    it(`writeNpy(${label}) round-trips through parseNpy`, () => {
      const got = parseNpy(writeNpy(data, shape));
      expect(got.shape).toEqual(shape);
      expect(got.data.constructor).toBe(data.constructor);
      expect(Array.from(got.data as ArrayLike<unknown>)).toEqual(
        Array.from(data as ArrayLike<unknown>),
      );
    });
  }

  it("writeNpy(data) writes the same bytes as NumPy for the same array", () => {
    const fromNumpy = read("float32_2d");
    const values = new Float32Array(expected.float32_2d.values);
    expect(writeNpy(values, [3, 4])).toEqual(fromNumpy);
  });

  it("writeNpy(data) defaults the shape to [data.length] and aligns the data to 64 bytes", () => {
    const file = writeNpy(new Float64Array([1, 2, 3]));
    expect(parseNpy(file).shape).toEqual([3]);
    expect((file.length - 24) % 64).toBe(0);
  });

  it("writeNpy(data with a long shape) switches to version 2.0 when the header needs it", () => {
    const shape = new Array<number>(30_000).fill(1);
    const file = writeNpy(new Int32Array([5]), shape);
    expect(file[6]).toBe(2);
    const got = parseNpy(file);
    expect(got.shape.length).toBe(30_000);
    expect(Array.from(got.data as Int32Array)).toEqual([5]);
  });

  it("writeNpy(subarray) writes only the viewed elements", () => {
    const base = new Float32Array([9, 1, 2, 3, 9]);
    expect(numbers(parseNpy(writeNpy(base.subarray(1, 4))).data)).toEqual([1, 2, 3]);
  });

  it("writeNpy(data, wrong shape) throws naming the shape and data.length", () => {
    expect(() => writeNpy(new Float32Array(6), [4, 2])).toThrow(
      /shape: expected dimensions whose product is data.length = 6, got \(4, 2\) = 8/,
    );
    expect(() => writeNpy(new Float32Array(6), [6.5])).toThrow(/shape: expected a tuple/);
  });

  it("writeNpy(plain array) throws a TypeError", () => {
    expect(() => writeNpy([1, 2] as unknown as Float32Array)).toThrow(
      /data: expected a numeric typed array, got Array/,
    );
  });

  // numpy on the machine reads what we write: Debian's python3-numpy, where installed
  const python = "/usr/bin/python3";
  const hasNumpy =
    existsSync(python) &&
    (() => {
      try {
        execFileSync(python, ["-c", "import numpy"], { stdio: "ignore" });
        return true;
      } catch {
        return false;
      }
    })();

  // skipped only off CI: .ci/run installs python3-numpy
  it.skipIf(!hasNumpy && !process.env.CI)(
    "writeNpy(data) writes files that numpy.load reads back",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "npy-"));
      try {
        const files: Record<string, NpyData> = {
          f4: new Float32Array([0.5, -1.25, 3, 4, 5, 6]),
          f8: new Float64Array([Math.PI, 1e-300]),
          i4: new Int32Array([-7, 8, 9]),
          i8: new BigInt64Array([-(2n ** 40n), 2n ** 40n]),
        };
        const shapes: Record<string, number[]> = { f4: [2, 3], f8: [2], i4: [3], i8: [2, 1] };
        for (const [name, data] of Object.entries(files)) {
          writeFileSync(join(dir, `${name}.npy`), writeNpy(data, shapes[name]));
        }
        const script = [
          "import json, sys, numpy as np",
          "out = {}",
          "for n in ['f4', 'f8', 'i4', 'i8']:",
          "    a = np.load(sys.argv[1] + '/' + n + '.npy', allow_pickle=False)",
          "    out[n] = [a.dtype.str, list(a.shape), [str(v) for v in a.ravel().tolist()]]",
          "print(json.dumps(out))",
        ].join("\n");
        const got = JSON.parse(execFileSync(python, ["-c", script, dir], { encoding: "utf8" }));
        expect(got.f4).toEqual(["<f4", [2, 3], ["0.5", "-1.25", "3.0", "4.0", "5.0", "6.0"]]);
        expect(got.f8[0]).toBe("<f8");
        expect(Number(got.f8[2][0])).toBe(Math.PI);
        expect(got.i4).toEqual(["<i4", [3], ["-7", "8", "9"]]);
        expect(got.i8).toEqual(["<i8", [2, 1], ["-1099511627776", "1099511627776"]]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
