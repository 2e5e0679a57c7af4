// Numbers as text, both ways, so that what the CLI writes reads back in NumPy
// (np.loadtxt, json.loads) as the very same float32 or float64 values.
// Browser-safe.

/** How a column's numbers are written. */
export type NumberKind = "int" | "float32" | "float64";

/**
 * The shortest decimal that reads back as `x` in its kind: float64 values as
 * JavaScript prints them (shortest round-trip), float32 values with the
 * fewest digits that round to the same float32 (0.1f is "0.1", not
 * "0.10000000149011612"). Non-finite values become `inf`, `-inf` and `nan`,
 * the spellings np.loadtxt reads.
 */
export function formatNumber(x: number, kind: NumberKind): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (kind !== "float32") return String(x);
  // nine significant digits always suffice for a float32
  for (let digits = 1; digits < 9; digits++) {
    const text = x.toPrecision(digits);
    if (Math.fround(Number(text)) === x) return String(Number(text));
  }
  return String(Number(x.toPrecision(9)));
}

/** The spellings of infinity and NaN accepted on input, besides JavaScript's own. */
const SPECIAL: Record<string, number> = {
  inf: Infinity,
  "+inf": Infinity,
  "-inf": -Infinity,
  infinity: Infinity,
  "+infinity": Infinity,
  "-infinity": -Infinity,
  nan: NaN,
};

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number written as text: a decimal ("3", "-0.5", "1e-3", "1.5E+2") or
 * inf / -inf / nan in any case (NumPy's and C's spellings).
 * @returns the number, or undefined when `text` is not one
 */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  return SPECIAL[t.toLowerCase()];
}
