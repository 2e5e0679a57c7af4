// Parsers for the two review sets in data/: text in, entities out, no file system, so they
// also run in a browser. datasets-node.ts reads the files and calls these.

import { rangeError, show } from "../errors.js";
import { splitSentences } from "./sentences.js";

/** One product to summarize: its review sentences and its human reference summaries. */
export interface Entity {
  /** "oposum" or "amazon". */
  dataset: string;
  /** OPOSUM domain (bags_and_cases, bluetooth, boots) or Amazon category (cloth, ...). */
  domain: string;
  /** Product id (an ASIN). */
  id: string;
  /** Every sentence (Amazon) or segment (OPOSUM) of the product's reviews, in order. */
  sentences: string[];
  /** Review index of each sentence, 0-based and non-decreasing. */
  review: number[];
  /** OPOSUM: aspect index of each segment, into `aspectNames` (the first label given). */
  aspects?: number[];
  /**
   * OPOSUM: every aspect index of each segment. About 5% of the segments carry two to five
   * labels ("2 7"), and their order is the annotators' (not sorted), so `aspects` keeps the
   * first and this keeps them all.
   */
  aspectLabels?: number[][];
  /** OPOSUM: the domain's aspect names. */
  aspectNames?: string[];
  /** Human summaries, one string each (OPOSUM: one per annotator, lines joined by a space). */
  references: string[];
}

/** One review of an OPOSUM .asp file. */
export interface OposumReview {
  /** Product id. */
  product: string;
  /** Review number as written after the product id, e.g. "0004". */
  review: string;
  /** 1-based line of the `PRODUCTID-REVIEWNO` header, for error messages. */
  line: number;
  /** Segment texts, in order. */
  segments: string[];
  /** Every aspect index of each segment, in the order given. */
  labels: number[][];
}

/** The content of one OPOSUM .asp file. */
export interface OposumAspects {
  domain: string;
  /** Name of the file the text came from, for error messages. */
  source: string;
  /** The aspect names of the first line. */
  aspectNames: string[];
  /** The reviews in file order. */
  reviews: OposumReview[];
}

/** An Error naming the source, the 1-based line, what was expected and, if given, what came. */
function malformed(source: string, line: number, expected: string, got?: unknown): Error {
  const came = got === undefined ? "" : `, got ${show(got)}`;
  return new Error(`${source}:${line}: expected ${expected}${came}`);
}

/**
 * Parse the Amazon (Copycat) tab-separated file: a header `cat prod_id rev1 … revN summ1 …
 * summM`, then one product per line. Each review is split with `splitSentences`; blank lines
 * are skipped.
 *
 * @param text the file content
 * @param source file name used in error messages (default "<amazon>")
 * @returns one entity per product, in file order
 * @throws Error naming `source`, the line and what was expected, on a missing or unknown
 *   header, a wrong column count, or an empty category, product id, review or summary
 */
export function parseAmazon(text: string, source = "<amazon>"): Entity[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split("\t");
  const shape = '"cat<TAB>prod_id<TAB>rev1…<TAB>summ1…"';

  // the header fixes which columns hold reviews and which hold summaries
  if (header[0] !== "cat" || header[1] !== "prod_id") {
    throw malformed(source, 1, `a header line ${shape}`, lines[0]);
  }
  const reviewColumns: number[] = [];
  const summaryColumns: number[] = [];
  for (let c = 2; c < header.length; c++) {
    if (/^rev\d+$/.test(header[c])) reviewColumns.push(c);
    else if (/^summ\d+$/.test(header[c])) summaryColumns.push(c);
    else throw malformed(source, 1, `column ${c + 1} of the header named revN or summN`, header[c]);
  }
  if (reviewColumns.length === 0 || summaryColumns.length === 0) {
    throw malformed(source, 1, `a header line ${shape} with review and summary columns`, lines[0]);
  }

  const entities: Entity[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const line = i + 1;
    const cells = lines[i].split("\t");
    if (cells.length !== header.length) {
      throw malformed(source, line, `${header.length} tab-separated columns`, cells.length);
    }
    const [domain, id] = cells;
    if (domain.trim() === "") throw malformed(source, line, "a category in column 1", domain);
    if (id.trim() === "") throw malformed(source, line, "a product id in column 2", id);
    if (seen.has(id)) {
      throw malformed(source, line, `a new product id (this one is on line ${seen.get(id)})`, id);
    }
    seen.set(id, line);

    const entity: Entity = {
      dataset: "amazon",
      domain,
      id,
      sentences: [],
      review: [],
      references: [],
    };
    for (let r = 0; r < reviewColumns.length; r++) {
      const c = reviewColumns[r];
      const sentences = splitSentences(cells[c]);
      if (sentences.length === 0) {
        throw malformed(source, line, `review text in column ${c + 1} (${header[c]})`, cells[c]);
      }
      for (const sentence of sentences) {
        entity.sentences.push(sentence);
        entity.review.push(r);
      }
    }
    for (const c of summaryColumns) {
      const summary = cells[c].trim();
      if (summary === "") {
        throw malformed(source, line, `a reference summary in column ${c + 1} (${header[c]})`, "");
      }
      entity.references.push(summary);
    }
    entities.push(entity);
  }
  return entities;
}

/**
 * Parse one OPOSUM aspect file (`DOMAIN-dev.asp` or `DOMAIN-tst.asp`): a first line of
 * aspect names separated by `|`; then per review a `PRODUCTID-REVIEWNO` line, one
 * `segment<TAB>aspect indices` line per segment, and a blank line.
 *
 * @param text the file content
 * @param domain the OPOSUM domain, e.g. "boots"
 * @param source file name used in error messages (default "<DOMAIN.asp>")
 * @returns the aspect names and the reviews in file order
 * @throws Error naming `source`, the line and what was expected, on an empty aspect name, a
 *   review header without product id or number, a repeated review, a segment line without
 *   exactly one tab, an aspect index out of range, or a review without segments
 */
export function parseOposumAspects(
  text: string,
  domain: string,
  source = `<${domain}.asp>`,
): OposumAspects {
  const lines = text.split(/\r?\n/);
  const aspectNames = lines[0].split("|").map((name) => name.trim());
  if (aspectNames.some((name) => name === "")) {
    throw malformed(source, 1, "aspect names separated by |", lines[0]);
  }
  const reviews: OposumReview[] = [];
  const seen = new Map<string, number>();
  let current: OposumReview | null = null;

  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const content = lines[i];

    // a blank line closes the review, which must have had segments
    if (content.trim() === "") {
      if (current !== null) checkSegments(current, source);
      current = null;
      continue;
    }

    // the first line after a blank one names the product and the review
    if (current === null) {
      const header = /^(\S+)-(\d+)$/.exec(content.trim());
      if (header === null) {
        throw malformed(source, line, "a review header PRODUCTID-REVIEWNO", content);
      }
      const key = header[1] + "-" + header[2];
      if (seen.has(key)) {
        throw malformed(source, line, `a new review (this one is on line ${seen.get(key)})`, key);
      }
      seen.set(key, line);
      current = { product: header[1], review: header[2], line, segments: [], labels: [] };
      reviews.push(current);
      continue;
    }

    const cells = content.split("\t");
    if (cells.length !== 2 || cells[0].trim() === "") {
      throw malformed(source, line, "a segment, a tab and its aspect indices", content);
    }
    current.segments.push(cells[0].trim());
    current.labels.push(parseLabels(cells[1], aspectNames.length, source, line));
  }
  if (current !== null) checkSegments(current, source);
  return { domain, source, aspectNames, reviews };
}

function checkSegments(review: OposumReview, source: string): void {
  if (review.segments.length === 0) {
    const name = `${review.product}-${review.review}`;
    throw malformed(source, review.line, `segment lines after the review header ${name}`);
  }
}

/** Parse space-separated aspect indices, each an integer in [0, count). */
function parseLabels(cell: string, count: number, source: string, line: number): number[] {
  // digits only: Number() would read "" as 0 and ".0", "1e0" or "0x1" as integers
  const tokens = cell.trim().split(/\s+/);
  const labels = tokens.map((t) => (/^\d+$/.test(t) ? Number(t) : NaN));
  for (const label of labels) {
    if (!Number.isInteger(label) || label < 0 || label >= count) {
      throw malformed(source, line, `aspect indices in [0, ${count - 1}]`, cell);
    }
  }
  return labels;
}

/**
 * Parse one OPOSUM reference summary file: one extracted segment a line.
 *
 * @param text the file content
 * @param source file name used in error messages
 * @returns the non-blank lines, trimmed and joined with a single space
 * @throws Error naming `source` if the file has no text
 */
export function parseOposumSummary(text: string, source: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (lines.length === 0) throw malformed(source, 1, "at least one summary line", text);
  return lines.join(" ");
}

/**
 * Parse an OPOSUM summary file name `DOMAIN.PRODUCTID.ANNOTATOR.all.txt`.
 *
 * @returns the product and annotator, or null for a name of another shape
 */
export function parseOposumSummaryName(
  name: string,
  domain: string,
): { product: string; annotator: string } | null {
  if (!name.startsWith(domain + ".") || !name.endsWith(".all.txt")) return null;
  const parts = name.slice(domain.length + 1, -".all.txt".length).split(".");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return null;
  return { product: parts[0], annotator: parts[1] };
}

/**
 * Merge the aspect files of one OPOSUM domain (dev and tst hold 5 reviews of each product)
 * into one entity per product. Products come in order of first appearance; each product's
 * reviews are ordered by review number, which is their order in the original crawl.
 *
 * @param files the parsed aspect files of the domain, e.g. dev then tst
 * @param references reference summaries by product id, one string per annotator
 * @param referencesSource where the references came from, for error messages
 * @returns one entity per product
 * @throws Error naming the aspect file and line, when the files disagree on aspect names,
 *   a review appears twice, or a product has no reference summary
 */
export function mergeOposum(
  files: OposumAspects[],
  references: ReadonlyMap<string, string[]>,
  referencesSource: string,
): Entity[] {
  if (files.length === 0) throw rangeError("files", files, "at least one parsed aspect file");
  const [first] = files;
  const byProduct = new Map<string, { source: string; review: OposumReview }[]>();
  const seen = new Map<string, string>();

  // gather the reviews of each product over all files, refusing repeats
  for (const file of files) {
    if (file.aspectNames.join("|") !== first.aspectNames.join("|")) {
      const expected = `the aspect names of ${first.source}`;
      throw malformed(file.source, 1, expected, file.aspectNames.join("|"));
    }
    for (const review of file.reviews) {
      const key = `${review.product}-${review.review}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw malformed(file.source, review.line, `a review not already in ${earlier}`, key);
      }
      seen.set(key, `${file.source}:${review.line}`);
      const list = byProduct.get(review.product) ?? [];
      list.push({ source: file.source, review });
      byProduct.set(review.product, list);
    }
  }

  const entities: Entity[] = [];
  for (const [id, list] of byProduct) {
    list.sort((a, b) => Number(a.review.review) - Number(b.review.review));
    const refs = references.get(id);
    if (refs === undefined || refs.length === 0) {
      const { source, review } = list[0];
      throw malformed(source, review.line, `reference summaries of ${id} in ${referencesSource}`);
    }
    entities.push(
      toEntity(
        first,
        id,
        list.map((item) => item.review),
        refs,
      ),
    );
  }
  return entities;
}

function toEntity(
  file: OposumAspects,
  id: string,
  reviews: OposumReview[],
  references: string[],
): Entity {
  const sentences: string[] = [];
  const review: number[] = [];
  const aspects: number[] = [];
  const aspectLabels: number[][] = [];
  reviews.forEach((item, r) => {
    for (let s = 0; s < item.segments.length; s++) {
      sentences.push(item.segments[s]);
      review.push(r);
      aspects.push(item.labels[s][0]);
      aspectLabels.push(item.labels[s].slice());
    }
  });
  const aspectNames = file.aspectNames.slice();
  return {
    dataset: "oposum",
    domain: file.domain,
    id,
    sentences,
    review,
    aspects,
    aspectLabels,
    aspectNames,
    references: references.slice(),
  };
}
