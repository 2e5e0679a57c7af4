// Writers of numeric results: CSV, JSON Lines, .npy, and an aligned table
// for a terminal. A Grid says how to read cell (i, j) and how its column is
// printed, so that a distance matrix and an edge list share one writer.
// Browser-safe: they return text or bytes and write nothing.

import { writeNpy } from "./npy.js";
import { formatNumber, type NumberKind } from "./numbers.js";

/** A rows x cols table to write. */
export interface Grid {
  rows: number;
  cols: number;
  /** Column names: a CSV header, JSONL object keys. Undefined for a plain matrix. */
  names?: string[];
  /** How each column's numbers are written. */
  kinds: NumberKind[];
  at(i: number, j: number): number;
}

/** A row-major matrix as a Grid without column names. */
export function matrixGrid(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  kind: NumberKind,
): Grid {
  return { rows, cols, kinds: new Array(cols).fill(kind), at: (i, j) => data[i * cols + j] };
}

/** Named columns of equal length as a Grid. */
export function columnsGrid(
  columns: { name: string; kind: NumberKind; values: ArrayLike<number> }[],
): Grid {
  return {
    rows: columns[0]?.values.length ?? 0,
    cols: columns.length,
    names: columns.map((c) => c.name),
    kinds: columns.map((c) => c.kind),
    at: (i, j) => columns[j].values[i],
  };
}

/** CSV: a header when the columns have names; infinity as `inf`, as NumPy writes it. */
export function gridToCsv(grid: Grid): string {
  const lines: string[] = grid.names ? [grid.names.join(",")] : [];
  for (let i = 0; i < grid.rows; i++) lines.push(row(grid, i).join(","));
  return lines.length ? lines.join("\n") + "\n" : "";
}

/**
 * JSON Lines: one array per row, or one object per row when the columns have
 * names. JSON has no infinity, so an unreachable distance is `null`.
 */
export function gridToJsonl(grid: Grid): string {
  let out = "";
  for (let i = 0; i < grid.rows; i++) {
    const cells = row(grid, i).map((s, j) => (/^-?inf$|^nan$/.test(s) ? "null" : s));
    out += grid.names
      ? `{${cells.map((s, j) => `${JSON.stringify(grid.names![j])}:${s}`).join(",")}}\n`
      : `[${cells.join(",")}]\n`;
  }
  return out;
}

/**
 * .npy of shape (rows, cols): int32 when every column holds integers,
 * float64 otherwise (which holds float32 values exactly).
 */
export function gridToNpy(grid: Grid): Uint8Array {
  const ints = grid.kinds.every((k) => k === "int");
  const data = ints
    ? new Int32Array(grid.rows * grid.cols)
    : new Float64Array(grid.rows * grid.cols);
  for (let i = 0; i < grid.rows; i++) {
    for (let j = 0; j < grid.cols; j++) data[i * grid.cols + j] = grid.at(i, j);
  }
  return writeNpy(data, [grid.rows, grid.cols]);
}

/** What gridToTable leaves out so that the table fits a terminal. */
export interface TableLimits {
  /** Characters per line; columns past it are left out. Default 100. */
  width?: number;
  /** Rows shown; the rest are counted in a last line. Default 40. */
  maxRows?: number;
  /** Label of each row, shown in a first column (e.g. the source node). */
  rowLabel?: { name: string; label(i: number): string };
}

/**
 * An aligned, human-readable table: numbers right-aligned, float columns
 * with at most 6 significant digits, and a last line saying what was left
 * out to fit. For looking at, not for reading back: use CSV, JSONL or .npy.
 */
export function gridToTable(grid: Grid, limits: TableLimits = {}): string {
  const { width = 100, maxRows = 40, rowLabel } = limits;
  const shownRows = Math.min(grid.rows, maxRows);
  const short = (x: number, kind: NumberKind) =>
    kind === "int" || !Number.isFinite(x)
      ? formatNumber(x, kind)
      : String(Number(x.toPrecision(6)));

  // columns one at a time, while they fit the width
  const columns: string[][] = [];
  if (rowLabel) {
    columns.push([
      rowLabel.name,
      ...Array.from({ length: shownRows }, (_, i) => rowLabel.label(i)),
    ]);
  }
  let used = columns[0] ? Math.max(...columns[0].map((s) => s.length)) : 0;
  let shownCols = 0;
  for (let j = 0; j < grid.cols; j++) {
    const cells = [grid.names ? grid.names[j] : String(j)];
    for (let i = 0; i < shownRows; i++) cells.push(short(grid.at(i, j), grid.kinds[j]));
    const cellWidth = Math.max(...cells.map((s) => s.length));
    if (shownCols > 0 && used + 2 + cellWidth > width) break;
    columns.push(cells);
    used += (columns.length > 1 ? 2 : 0) + cellWidth;
    shownCols++;
  }

  const widths = columns.map((c) => Math.max(...c.map((s) => s.length)));
  const lines: string[] = [];
  for (let r = 0; r <= shownRows; r++) {
    const cells = columns.map((c, j) =>
      rowLabel && j === 0 ? c[r].padEnd(widths[j]) : c[r].padStart(widths[j]),
    );
    lines.push(cells.join("  ").trimEnd());
    if (r === 0) lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  }
  const left = [
    grid.rows > shownRows ? `${grid.rows - shownRows} more rows` : "",
    grid.cols > shownCols ? `${grid.cols - shownCols} more columns` : "",
  ].filter(Boolean);
  if (left.length) lines.push(`... ${left.join(" and ")}: write them with --output FILE`);
  return lines.join("\n") + "\n";
}

function row(grid: Grid, i: number): string[] {
  const cells: string[] = [];
  for (let j = 0; j < grid.cols; j++) cells.push(formatNumber(grid.at(i, j), grid.kinds[j]));
  return cells;
}
