// Shared wording for argument errors: every message names the argument,
// shows the value it got and says what was expected.

/** A short, printable rendering of any value for an error message. */
export function show(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (typeof value === "bigint") return `${value}n (a bigint)`;
  if (typeof value === "number" || typeof value === "boolean") {
    return Object.is(value, -0) ? "-0" : String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as ArrayLike<unknown>).length;
    return `a ${value.constructor.name} of length ${length}`;
  }
  const kind = value.constructor?.name ?? "value";
  return `${/^[AEIOU]/.test(kind) ? "an" : "a"} ${kind}`;
}

export function rangeError(name: string, value: unknown, expected: string): RangeError {
  return new RangeError(`${name} is ${show(value)}; expected ${expected}`);
}

export function typeError(name: string, value: unknown, expected: string): TypeError {
  return new TypeError(`${name} is ${show(value)}; expected ${expected}`);
}

/** Checks an integer option in [min, max]. */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number") throw typeError(name, value, "an integer");
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw rangeError(name, value, `an integer ${range}`);
  }
  return value;
}

/** Checks that `value` is one of `choices`. */
export function checkChoice<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    const list = choices.map((c) => JSON.stringify(c)).join(", ");
    const make = typeof value === "string" ? rangeError : typeError;
    throw make(name, value, `one of ${list}`);
  }
  return value as T;
}

/** Checks an array-like of integer ids in [0, n); returns them as an Int32Array. */
export function checkIds(name: string, value: unknown, n: number): Int32Array {
  const list = typeof value === "number" ? [value] : value;
  if (!isArrayLike(list)) throw typeError(name, value, "a node id or an array of node ids");
  const ids = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= n) {
      const label = typeof value === "number" ? name : `${name}[${i}]`;
      throw rangeError(label, id, `an integer node id in [0, ${n - 1}]`);
    }
    ids[i] = id;
  }
  return ids;
}

export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (Array.isArray(value)) return true;
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/**
 * Refuses a key of an options object that the function does not read, so
 * that a misspelt option (`metrc`) is an error rather than the default.
 */
export function checkKeys(name: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${name} has an unknown key ${JSON.stringify(key)}; expected only ${known.join(", ")}`,
      );
    }
  }
}
