// A compact rule-based splitter, written here instead of wrapping the installed `sbd` 1.0.19.
// sbd was tried first, on the Amazon dev reviews and on hand-made cases, and it mis-splits in
// ways that reach the summaries:
// - a missing space ("a basic tank.I washed it") is split with the period dropped, so 17 of
//   the 224 Amazon dev reviews lose characters;
// - a short capitalized first sentence is glued to the next ("Nice. Love it." stays one
//   piece), and so is "Ok." (taken for a list item);
// - a single quote after the mark hides the end ("to 'click.' The tripod's great");
// - a digit after a period does not start a sentence ("I bought 2. 3 were broken.").
// Repairing these from outside would mean re-splitting its output with rules like the ones
// below, so those rules are the whole splitter.

/**
 * A candidate end: a run of terminal marks and any closing quotes or brackets, then either
 * whitespace before a letter, a digit or a quote, or no space at all before a capitalized
 * word (reviews often drop the space: "fit.What can I say").
 */
const END = /[.!?…]+['"’”)\]]*(?:\s+(?=[\p{L}\p{Nd}'"‘“])|(?=\p{Lu}[\p{Ll}\s'’]))/gu;

/**
 * Words that keep their period inside a sentence, lowercased and without the period.
 * Kept short on purpose: reviews often end a sentence with a word that is an abbreviation
 * elsewhere ("a customer service rep.", "made by Acme Inc.", "only 5 lbs."), so those are
 * left out; months are in, but not "may".
 */
const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "mx",
  "dr",
  "prof",
  "sr",
  "jr",
  "st",
  "mt",
  "vs",
  "etc",
  "approx",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
]);

/** Words that are abbreviations only before a number ("No. 5", "Vol. 2"). */
const NUMBERING = new Set(["no", "nos", "vol", "fig", "pp", "ch", "sec"]);

/** Units whose period does not end a sentence when a lowercase word follows ("1qt. size"). */
const UNITS = /^\d*(?:lbs?|oz|qt|gal|ft|yds?|cm|mm|kg|mg|ml|hrs?|mins?|secs?|yrs?|mos|pcs|sq)$/i;

/** Dotted letters without the final period: "U.S", "e.g", "i.e", "a.m". */
const DOTTED = /^(?:\p{L}\.)+\p{L}$/u;

/** Opening quotes and brackets stripped from a word before looking it up. */
const OPENERS = /^['"‘“(\[]+/;

/**
 * Split review text into sentences.
 *
 * A sentence ends after a run of `.`, `!`, `?` or `…` (and any closing quotes or brackets)
 * followed by whitespace and a letter, a digit or a quote; or followed directly by a
 * capitalized word when the mark comes after two lowercase letters ("tank.I washed"). A line
 * break always ends a sentence. These do not end a sentence: a single period after a common
 * abbreviation (Dr., Mr., etc.) or dotted letters (U.S., e.g., i.e.); a period after a
 * numbering word before a number (No. 5); an ellipsis or a unit (5 lbs.) before a lowercase
 * word. Decimals, prices, URLs and emails have no whitespace after their dots, so they stay
 * whole.
 *
 * Splitting before a lowercase word goes beyond "a capital, a digit or a quote starts a
 * sentence": 38 of the 39 such places in the Amazon dev reviews are real ends (reviews
 * typed in lowercase), and without them some pieces run to 60 words, most of a budget.
 *
 * Every piece is a trimmed substring of `text`; empty pieces are dropped, so joining the
 * pieces keeps every non-whitespace character in order.
 *
 * Known shortcoming: dotted letters never end a sentence ("made in the U.S. Great bag" stays
 * one piece); resolving it needs a model of which words start sentences, not more rules.
 *
 * @param text review text, possibly with line breaks
 * @returns the sentences, in order; `[]` for blank text
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split(/\r\n|[\n\r\u2028\u2029]/)) {
    splitLine(line, sentences);
  }
  return sentences;
}

/** Push the sentences of one line onto `out`. */
function splitLine(line: string, out: string[]): void {
  let start = 0;
  for (const match of line.matchAll(END)) {
    const at = match.index;
    const marks = match[0].trimEnd();
    const spaced = marks.length < match[0].length;

    const word = wordBefore(line, at).replace(OPENERS, "");
    const next = line.charAt(at + match[0].length);
    if (marks === "." && isAbbreviation(word, next)) continue;

    // before a lowercase word, an ellipsis trails off inside the sentence, and so does a unit
    if (/\p{Ll}/u.test(next) && (/\.\.|…/.test(marks) || UNITS.test(word))) continue;

    // without a space, only a lowercase word that is not part of an address ends a sentence
    if (!spaced && (!/\p{Ll}{2}$/u.test(word) || /:\/\/|www\.|@/.test(word))) continue;

    pushTrimmed(line.slice(start, at + marks.length), out);
    start = at + marks.length;
  }
  pushTrimmed(line.slice(start), out);
}

/** The run of non-whitespace characters that ends at `at`. */
function wordBefore(line: string, at: number): string {
  let from = at;
  while (from > 0 && !/\s/.test(line.charAt(from - 1))) from--;
  return line.slice(from, at);
}

/** Whether `word` followed by a period and then `next` is an abbreviation, not an end. */
function isAbbreviation(word: string, next: string): boolean {
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower) || DOTTED.test(word)) return true;
  return NUMBERING.has(lower) && next >= "0" && next <= "9";
}

function pushTrimmed(piece: string, out: string[]): void {
  const trimmed = piece.trim();
  if (trimmed.length > 0) out.push(trimmed);
}

/**
 * Count whitespace-separated tokens: the unit of summary length budgets.
 *
 * @param text any text
 * @returns the number of tokens; 0 for blank text
 */
export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}
