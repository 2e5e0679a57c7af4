import { rougeTokens } from "./rouge.js";

/** Turns one text into its terms. */
export type Tokenizer = (text: string) => string[];

/** One sparse row: ascending term columns and their weights (views into the matrix). */
export interface SparseRow {
  readonly columns: Uint32Array;
  readonly values: Float64Array;
}

/**
 * TF-IDF vectors of a small set of documents (here: the sentences of one product),
 * with scikit-learn's defaults: raw term counts, smoothed idf
 * `ln((1 + N) / (1 + df)) + 1`, each row scaled to unit L2 length.
 *
 * Terms are numbered in code-unit order (scikit-learn's order for ASCII terms), so
 * column j is the j-th entry of `terms`. The matrix is stored as CSR:
 *
 * ```
 * offsets  [0, 3, 3, 5]         row i spans offsets[i] .. offsets[i + 1]
 * columns  [c c c | c c]        ascending within a row
 * values   [w w w | w w]        unit length per row; an empty row stays empty
 * ```
 */
export class TfIdf {
  /** Terms in column order. */
  readonly terms: readonly string[];
  /** Smoothed inverse document frequency per column. */
  readonly idf: Float64Array;
  /** Row i starts at offsets[i]; length rows + 1. */
  readonly offsets: Uint32Array;
  /** Column of each stored weight. */
  readonly columns: Uint32Array;
  /** Stored weights. */
  readonly values: Float64Array;
  /** One sparse row per document, sharing memory with `columns` and `values`. */
  readonly vectors: readonly SparseRow[];

  private readonly termColumns: Map<string, number>;

  /**
   * Fits on already tokenized documents.
   * @param documents one list of terms per document; an empty list gives a zero row
   */
  constructor(documents: readonly (readonly string[])[]) {
    const rows = documents.length;

    // vocabulary in code-unit order, so columns do not depend on document order
    const vocabulary = new Set<string>();
    for (const terms of documents) for (const term of terms) vocabulary.add(term);
    this.terms = [...vocabulary].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.termColumns = new Map(this.terms.map((term, column) => [term, column]));

    // per-document counts; each document counts once towards df
    const counts: Map<number, number>[] = [];
    const df = new Float64Array(this.terms.length);
    let stored = 0;
    for (const terms of documents) {
      const row = new Map<number, number>();
      for (const term of terms) {
        const column = this.termColumns.get(term)!;
        row.set(column, (row.get(column) ?? 0) + 1);
      }
      for (const column of row.keys()) df[column]++;
      counts.push(row);
      stored += row.size;
    }

    // the +1 terms act as one extra document holding every term: no division by zero
    this.idf = new Float64Array(this.terms.length);
    for (let j = 0; j < df.length; j++) this.idf[j] = Math.log((1 + rows) / (1 + df[j])) + 1;

    // weights tf * idf, sorted by column, then each row scaled to unit length
    this.offsets = new Uint32Array(rows + 1);
    this.columns = new Uint32Array(stored);
    this.values = new Float64Array(stored);
    let at = 0;
    for (let i = 0; i < rows; i++) {
      const start = at;
      const row = [...counts[i]].sort((a, b) => a[0] - b[0]);
      let squared = 0;
      for (const [column, count] of row) {
        const weight = count * this.idf[column];
        this.columns[at] = column;
        this.values[at++] = weight;
        squared += weight * weight;
      }
      const norm = Math.sqrt(squared);
      for (let k = start; k < at; k++) this.values[k] /= norm;
      this.offsets[i + 1] = at;
    }

    this.vectors = Array.from({ length: rows }, (_, i) => ({
      columns: this.columns.subarray(this.offsets[i], this.offsets[i + 1]),
      values: this.values.subarray(this.offsets[i], this.offsets[i + 1]),
    }));
  }

  /**
   * Tokenizes then fits.
   * @param sentences one document each
   * @param tokenize defaults to `rougeTokens` (lowercase alphanumeric words, Porter stem on
   *   words longer than 3 characters), so that "battery" and "batteries" share a column as
   *   they share a ROUGE unigram
   */
  static fit(sentences: readonly string[], tokenize: Tokenizer = rougeTokens): TfIdf {
    return new TfIdf(sentences.map((sentence) => tokenize(sentence)));
  }

  /**
   * The matrix as dense float32 rows (rows x terms), for the kNN graph of
   * the sentences in TF-IDF space. Empty documents give zero rows.
   */
  dense(): { data: Float32Array; rows: number; dim: number } {
    const dim = this.terms.length;
    const data = new Float32Array(this.rows * dim);
    for (let i = 0; i < this.rows; i++) {
      for (let e = this.offsets[i]; e < this.offsets[i + 1]; e++) {
        data[i * dim + this.columns[e]] = this.values[e];
      }
    }
    return { data, rows: this.rows, dim };
  }

  /** Number of documents. */
  get rows(): number {
    return this.offsets.length - 1;
  }

  /** Column of a term, or -1 if the fitted documents never use it. */
  column(term: string): number {
    return this.termColumns.get(term) ?? -1;
  }

  /**
   * Cosine similarity of documents i and j: the dot product of their unit rows.
   * A document without terms has cosine 0 to everything, itself included; any other
   * document has cosine exactly 1 to itself.
   */
  cosine(i: number, j: number): number {
    this.checkRow(i, "i");
    this.checkRow(j, "j");
    const { offsets, columns, values } = this;

    // exactly 1, not a rounded dot product, so that a threshold test on self-similarity
    // (LexRank's self-loops) does not depend on rounding
    if (i === j) return offsets[i + 1] > offsets[i] ? 1 : 0;

    // merge the two ascending column lists
    let a = offsets[i];
    let b = offsets[j];
    const aEnd = offsets[i + 1];
    const bEnd = offsets[j + 1];
    let dot = 0;
    while (a < aEnd && b < bEnd) {
      if (columns[a] === columns[b]) dot += values[a++] * values[b++];
      else if (columns[a] < columns[b]) a++;
      else b++;
    }
    return dot;
  }

  /**
   * Mean of the unit rows, as a dense vector over `terms`; not normalized (its length says
   * how much the documents agree). Zero rows count in the mean.
   * @param out optional output of length `terms.length`, overwritten
   */
  centroid(out = new Float64Array(this.terms.length)): Float64Array {
    if (out.length !== this.terms.length) {
      throw new RangeError(`out: expected length ${this.terms.length}, got ${out.length}`);
    }
    out.fill(0);
    const rows = this.rows;
    if (rows === 0) return out;
    for (let k = 0; k < this.values.length; k++) out[this.columns[k]] += this.values[k];
    for (let j = 0; j < out.length; j++) out[j] /= rows;
    return out;
  }

  /**
   * Dot product of document i's unit row with a dense vector over `terms`: the cosine
   * once divided by the dense vector's length.
   */
  dot(i: number, dense: Float64Array): number {
    this.checkRow(i, "i");
    if (dense.length !== this.terms.length) {
      throw new RangeError(`dense: expected length ${this.terms.length}, got ${dense.length}`);
    }
    let dot = 0;
    for (let k = this.offsets[i]; k < this.offsets[i + 1]; k++) {
      dot += this.values[k] * dense[this.columns[k]];
    }
    return dot;
  }

  private checkRow(i: number, name: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows) {
      throw new RangeError(`${name}: expected an integer row in [0, ${this.rows}), got ${i}`);
    }
  }
}
