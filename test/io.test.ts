// Readers and writers of numeric tables (src/io): numbers that read back
// exactly, the formats' edge cases, and errors that name the line.
import { describe, expect, it } from "vitest";
import {
  columnsGrid,
  gridToCsv,
  gridToJsonl,
  gridToNpy,
  gridToTable,
  matrixGrid,
} from "../src/io/grid.js";
import { parseNpy, writeNpy } from "../src/io/npy.js";
import { formatNumber, parseNumber } from "../src/io/numbers.js";
import { parseCsv, parseJsonl, parseNpyTable, parseRaw32 } from "../src/io/tables.js";
import { rng } from "./random.js";

describe("formatNumber", () => {
  it("formatNumber(x, 'float32') does read back as the same float32 in at most 9 digits", () => {
    const random = rng(11);
    for (let i = 0; i < 20_000; i++) {
      const x = Math.fround((random() - 0.5) * 10 ** Math.floor(random() * 20 - 10));
      const text = formatNumber(x, "float32");
      expect(Math.fround(Number(text))).toBe(x);
      expect(text.replace(/^-|e.*$|\./g, "").replace(/^0+/, "").length).toBeLessThanOrEqual(9);
    }
  });

  it("formatNumber(float32 of 0.1) does write 0.1, not the float64 expansion", () => {
    expect(formatNumber(Math.fround(0.1), "float32")).toBe("0.1");
    expect(formatNumber(Math.fround(0.1), "float64")).toBe("0.10000000149011612");
    expect(formatNumber(3, "int")).toBe("3");
  });

  it("formatNumber(Infinity, -Infinity, NaN) does write NumPy's inf, -inf and nan", () => {
    expect([Infinity, -Infinity, NaN].map((x) => formatNumber(x, "float64"))).toEqual([
      "inf",
      "-inf",
      "nan",
    ]);
  });
});

describe("parseNumber", () => {
  it("parseNumber(text) does read decimals and NumPy's spellings of infinity and NaN", () => {
    expect(["1", "-2.5", ".5", "1e-3", "1.5E+2", " 7 "].map(parseNumber)).toEqual([
      1, -2.5, 0.5, 0.001, 150, 7,
    ]);
    expect(["inf", "-Inf", "Infinity", "+inf"].map(parseNumber)).toEqual([
      Infinity,
      -Infinity,
      Infinity,
      Infinity,
    ]);
    expect(parseNumber("nan")).toBeNaN();
  });

  it("parseNumber(text) does return undefined for what is not a number", () => {
    expect(["", "x", "1,5", "0x10", "1e", "--1"].map(parseNumber)).toEqual(
      new Array(6).fill(undefined),
    );
  });
});

describe("parseCsv", () => {
  it("parseCsv(text with a header) does take the names and the rows", () => {
    const t = parseCsv("x,y\n1,2\n3,4\n");
    expect(t.names).toEqual(["x", "y"]);
    expect([t.rows, t.cols, Array.from(t.data)]).toEqual([2, 2, [1, 2, 3, 4]]);
  });

  it("parseCsv(np.savetxt output) does read spaces, comments and inf", () => {
    const t = parseCsv("# x y\n1.000000000000000000e+00 inf\n-2.5e-01 3\n\n");
    expect(t.names).toBeUndefined();
    expect(Array.from(t.data)).toEqual([1, Infinity, -0.25, 3]);
  });

  it("parseCsv(tab-separated text) does split on tabs", () => {
    expect(Array.from(parseCsv("1\t2\n3\t4").data)).toEqual([1, 2, 3, 4]);
  });

  it("parseCsv(a bad cell) does throw naming the source, line and cell", () => {
    expect(() => parseCsv("1,2\n3,x\n", "p.csv")).toThrow(
      'p.csv:2: cell 2 is "x"; expected a number',
    );
  });

  it("parseCsv(a short row) does throw naming the line and the counts", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n", "p.csv")).toThrow(
      "p.csv:3: expected 2 cells like line 1, got 1",
    );
  });

  it("parseCsv('') does return an empty table", () => {
    expect(parseCsv("").rows).toBe(0);
  });
});

describe("parseJsonl", () => {
  it("parseJsonl(arrays) does read rows, null as infinity", () => {
    const t = parseJsonl("[1, 2]\n\n[3, null]\n");
    expect([t.rows, t.cols, Array.from(t.data)]).toEqual([2, 2, [1, 2, 3, Infinity]]);
  });

  it("parseJsonl(objects) does take the keys as column names", () => {
    const t = parseJsonl(
      '{"source":0,"target":1,"weight":0.5}\n{"source":1,"target":2,"weight":2}\n',
    );
    expect(t.names).toEqual(["source", "target", "weight"]);
    expect(Array.from(t.data)).toEqual([0, 1, 0.5, 1, 2, 2]);
  });

  const bad: [string, string, string][] = [
    ["malformed JSON", "[1, 2]\n[1,", "e.jsonl:2: expected a JSON array of numbers, got"],
    ["a string", '[1, "2"]', 'e.jsonl:1: item 2 is "2"; expected a number'],
    ["a ragged row", "[1, 2]\n[3]", "e.jsonl:2: has 1 numbers; expected 2 like the first line"],
    [
      "other keys",
      '{"a":1}\n{"b":1}',
      "e.jsonl:2: expected an object with keys a like the first line",
    ],
    ["a bare number", "3", "e.jsonl:1: expected a JSON array of numbers or an object of numbers"],
  ];
  for (const [what, text, message] of bad) {
    it(`parseJsonl(${what}) does throw naming the line`, () => {
      expect(() => parseJsonl(text, "e.jsonl")).toThrow(message);
    });
  }
});

describe("parseRaw32 and parseNpyTable", () => {
  it("parseRaw32(bytes, dim) does read little-endian float32 rows", () => {
    const values = Float32Array.from([1.5, -2, 0.1, 4, 5, 6]);
    const t = parseRaw32(new Uint8Array(values.buffer), 3);
    expect([t.rows, t.cols]).toEqual([2, 3]);
    expect(t.data).toEqual(values);
  });

  it("parseRaw32(bytes, dim) does throw when the bytes are not whole rows", () => {
    expect(() => parseRaw32(new Uint8Array(20), 3, "p.f32")).toThrow(
      "p.f32: 20 bytes; expected a multiple of 12 (rows of --dim 3 float32 values)",
    );
  });

  it("parseNpyTable(1-d, 2-d, 3-d) does read one row, rows, and refuse the rest", () => {
    expect(parseNpyTable(writeNpy(Float64Array.from([1, 2, 3]))).rows).toBe(1);
    const t = parseNpyTable(writeNpy(Int32Array.from([1, 2, 3, 4]), [2, 2]));
    expect([t.rows, t.cols, t.data instanceof Float64Array]).toEqual([2, 2, true]);
    expect(() => parseNpyTable(writeNpy(new Float32Array(8), [2, 2, 2]), "c.npy")).toThrow(
      "c.npy: shape is (2, 2, 2); expected 2 dimensions (rows, columns) or 1",
    );
  });
});

describe("grid writers", () => {
  const edges = columnsGrid([
    { name: "source", kind: "int", values: [0, 1] },
    { name: "target", kind: "int", values: [1, 2] },
    { name: "weight", kind: "float32", values: [Math.fround(0.1), Math.fround(2.5)] },
  ]);
  const matrix = matrixGrid(Float64Array.from([0, 0.1, Infinity, 1 / 3]), 2, 2, "float64");

  it("gridToCsv(edges) does write a header and the shortest exact numbers", () => {
    expect(gridToCsv(edges)).toBe("source,target,weight\n0,1,0.1\n1,2,2.5\n");
    expect(gridToCsv(matrix)).toBe("0,0.1\ninf,0.3333333333333333\n");
  });

  it("gridToJsonl(edges, matrix) does write objects for names, arrays without, inf as null", () => {
    expect(gridToJsonl(edges)).toBe(
      '{"source":0,"target":1,"weight":0.1}\n{"source":1,"target":2,"weight":2.5}\n',
    );
    expect(gridToJsonl(matrix)).toBe("[0,0.1]\n[null,0.3333333333333333]\n");
  });

  it("gridToCsv and gridToJsonl output does parse back to the same values", () => {
    expect(parseCsv(gridToCsv(matrix)).data).toEqual(Float64Array.from([0, 0.1, Infinity, 1 / 3]));
    // the float32 weights come back as the decimals written, which round to the same float32
    const back = Float32Array.from(parseJsonl(gridToJsonl(edges)).data);
    expect(back).toEqual(Float32Array.from([0, 1, 0.1, 1, 2, 2.5]));
  });

  it("gridToNpy(matrix) does write float64, and int32 when every column is int", () => {
    const m = parseNpy(gridToNpy(matrix));
    expect([m.dtype, m.shape]).toEqual(["float64", [2, 2]]);
    const ids = columnsGrid([{ name: "a", kind: "int", values: [4, 5] }]);
    expect(parseNpy(gridToNpy(ids)).dtype).toBe("int32");
  });

  it("gridToTable(wide, long) does fit the width and say what it left out", () => {
    const wide = matrixGrid(
      new Float64Array(60 * 30).map((_, i) => i / 7),
      60,
      30,
      "float64",
    );
    const text = gridToTable(wide, { width: 60, maxRows: 5 });
    const lines = text.trimEnd().split("\n");
    expect(lines.slice(0, -1).every((l) => l.length <= 60)).toBe(true);
    expect(lines).toHaveLength(1 + 1 + 5 + 1);
    expect(lines.at(-1)).toMatch(
      /^\.\.\. 55 more rows and \d+ more columns: write them with --output FILE$/,
    );
  });
});
