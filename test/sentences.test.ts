import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countWords, splitSentences } from "../src/summarize/sentences.js";

/** Every review of the Amazon dev file (columns rev1 … rev8). */
function amazonReviews(): string[] {
  const url = new URL("../data/amazon-copycat/dev.csv", import.meta.url);
  const rows = readFileSync(url, "utf8").trim().split("\n").slice(1);
  return rows.flatMap((row) => row.split("\t").slice(2, 10));
}

describe("splitSentences", () => {
  it("splitSentences(text) splits after . ! ? before a capital, a digit or a quote", () => {
    expect(splitSentences('It fits. 2 pockets! "Great" bag? Yes.')).toEqual([
      "It fits.",
      "2 pockets!",
      '"Great" bag?',
      "Yes.",
    ]);
  });

  it("splitSentences(text) keeps abbreviations whole", () => {
    const text =
      "Dr. Smith and Mr. Jones live in the U.S. today. Use e.g. soap, i.e. not water, " +
      "etc. and dry it. See No. 5 and vs. others.";
    expect(splitSentences(text)).toEqual([
      "Dr. Smith and Mr. Jones live in the U.S. today.",
      "Use e.g. soap, i.e. not water, etc. and dry it.",
      "See No. 5 and vs. others.",
    ]);
  });

  it("splitSentences(text) keeps decimals and prices whole", () => {
    expect(splitSentences("It costs $19.99. It weighs 3.5 lbs. and is 2.0 version. Ok.")).toEqual([
      "It costs $19.99.",
      "It weighs 3.5 lbs. and is 2.0 version.",
      "Ok.",
    ]);
  });

  it("splitSentences(text) keeps ellipses whole and splits after one before a capital", () => {
    expect(splitSentences("I waited... and waited…. Then it came..... very flimsy.")).toEqual([
      "I waited... and waited….",
      "Then it came..... very flimsy.",
    ]);
  });

  it("splitSentences(text) treats runs like !!! and ?! as one end", () => {
    expect(splitSentences("Wow!!! Really?! Yes!! 10 stars")).toEqual([
      "Wow!!!",
      "Really?!",
      "Yes!!",
      "10 stars",
    ]);
  });

  it("splitSentences(text) keeps closing quotes and brackets with their sentence", () => {
    const text = "It needs a 'click.' The rest (all of it!) Works. He said \"no.\" Fine.";
    expect(splitSentences(text)).toEqual([
      "It needs a 'click.'",
      "The rest (all of it!)",
      "Works.",
      'He said "no."',
      "Fine.",
    ]);
  });

  it("splitSentences(text) keeps URLs and emails whole", () => {
    const text = "See www.example.com/a.b. Mail me at jo.doe@example.co.uk. Or http://x.io/?q=1.";
    expect(splitSentences(text)).toEqual([
      "See www.example.com/a.b.",
      "Mail me at jo.doe@example.co.uk.",
      "Or http://x.io/?q=1.",
    ]);
  });

  it("splitSentences(text) splits a missing space before a capitalized word", () => {
    // regression: sbd 1.0.19 split "tank.I" and dropped the period
    expect(splitSentences("A basic tank.I washed it.Great. Visit www.shop.Com today")).toEqual([
      "A basic tank.",
      "I washed it.",
      "Great.",
      "Visit www.shop.Com today",
    ]);
  });

  it("splitSentences(text) splits before a lowercase word except after a unit", () => {
    expect(splitSentences("fits well. looks great! not to big? and a 1qt. size.")).toEqual([
      "fits well.",
      "looks great!",
      "not to big?",
      "and a 1qt. size.",
    ]);
  });

  it("splitSentences(text) keeps short capitalized sentences apart", () => {
    // regression: sbd 1.0.19 glued "Nice." and "Ok." to the next sentence
    expect(splitSentences("Nice. Love it. Ok. Works well.")).toEqual([
      "Nice.",
      "Love it.",
      "Ok.",
      "Works well.",
    ]);
  });

  it("splitSentences(text) returns text without final punctuation as one piece", () => {
    expect(splitSentences("  no final punctuation here  ")).toEqual(["no final punctuation here"]);
  });

  it("splitSentences(text) ends a sentence at every line break", () => {
    expect(splitSentences("Pros:\r\nsoft\nwarm\n\n\nCons: none.\n")).toEqual([
      "Pros:",
      "soft",
      "warm",
      "Cons: none.",
    ]);
  });

  it("splitSentences(text) splits before non-ASCII capitals and uncased letters", () => {
    expect(splitSentences("Très bien. Élégant et léger! Ça marche. 日本語のテキスト。")).toEqual([
      "Très bien.",
      "Élégant et léger!",
      "Ça marche.",
      "日本語のテキスト。",
    ]);
  });

  it("splitSentences(text) returns [] for empty and blank text", () => {
    expect(splitSentences("")).toEqual([]);
    expect(splitSentences(" \n\t \r\n ")).toEqual([]);
    expect(splitSentences("...")).toEqual(["..."]);
  });

  it("splitSentences(text) gives non-empty trimmed pieces on every Amazon dev review", () => {
    const reviews = amazonReviews();
    expect(reviews).toHaveLength(28 * 8);
    for (const review of reviews) {
      const pieces = splitSentences(review);
      expect(pieces.length).toBeGreaterThan(0);
      for (const piece of pieces) {
        expect(piece.length).toBeGreaterThan(0);
        expect(piece).toBe(piece.trim());
      }
    }
  });

  it("splitSentences(text) loses no non-whitespace character of any Amazon dev review", () => {
    for (const review of amazonReviews()) {
      const joined = splitSentences(review).join("");
      expect(joined.replace(/\s+/g, "")).toBe(review.replace(/\s+/g, ""));
    }
  });

  it("splitSentences(text) returns pieces that occur in order in the text", () => {
    for (const review of amazonReviews()) {
      let from = 0;
      for (const piece of splitSentences(review)) {
        const at = review.indexOf(piece, from);
        expect(at).toBeGreaterThanOrEqual(from);
        from = at + piece.length;
      }
    }
  });
});

describe("countWords", () => {
  it("countWords(text) counts whitespace-separated tokens", () => {
    expect(countWords("It fits  well,\tand\nthe price is $19.99 !")).toBe(9);
  });

  it("countWords(text) returns 0 for empty and blank text", () => {
    expect(countWords("")).toBe(0);
    expect(countWords(" \n\t ")).toBe(0);
  });
});
