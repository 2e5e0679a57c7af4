import { describe, expect, it } from "vitest";
import { orderByScore, selectGreedy, summaryText } from "../src/summarize/select.js";
import { countWords } from "../src/summarize/sentences.js";
import { mulberry32 } from "../src/summarize/stats.js";

/** A sentence of `words` distinct words, tagged so that no two texts are equal. */
function sentenceOf(words: number, tag: number): string {
  return Array.from({ length: words }, (_, k) => `w${tag}x${k}`).join(" ");
}

/** Seeded random sentences of 1 to 30 words and a seeded random order over them. */
function randomCase(seed: number): { sentences: string[]; order: number[]; budget: number } {
  const random = mulberry32(seed);
  const n = 1 + Math.floor(random() * 40);
  const sentences = Array.from({ length: n }, (_, i) =>
    sentenceOf(1 + Math.floor(random() * 30), i),
  );
  const order = Array.from({ length: n }, (_, i) => i).sort(() => random() - 0.5);
  return { sentences, order, budget: Math.floor(random() * 120) };
}

const total = (indices: number[], sentences: string[]) =>
  indices.reduce((sum, i) => sum + countWords(sentences[i]), 0);

describe("selectGreedy", () => {
  it("selectGreedy(order, …) keeps the total within budget, only the first may overrun", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { sentences, order, budget } = randomCase(seed);
      const chosen = selectGreedy(order, sentences, { budget });
      expect(chosen.length).toBeGreaterThan(0);
      if (chosen.length > 1) expect(total(chosen, sentences)).toBeLessThanOrEqual(budget);
      expect(chosen[0]).toBe(order[0]);
    }
  });

  it("selectGreedy(order, …) never repeats a sentence, even when order repeats an index", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const { sentences, order, budget } = randomCase(seed);
      const chosen = selectGreedy([...order, ...order], sentences, { budget: budget + 200 });
      expect(new Set(chosen).size).toBe(chosen.length);
    }
  });

  it("selectGreedy(order, …) fills the budget: no skipped candidate would have fit", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const { sentences, order, budget } = randomCase(seed);
      const chosen = selectGreedy(order, sentences, { budget });
      const left = budget - total(chosen, sentences);
      for (const i of order) {
        if (!chosen.includes(i)) expect(countWords(sentences[i])).toBeGreaterThan(left);
      }
    }
  });

  it("selectGreedy(order, …) takes the first candidate even when it alone overruns", () => {
    const sentences = [sentenceOf(50, 0), sentenceOf(3, 1), sentenceOf(2, 2)];
    expect(selectGreedy([0, 1, 2], sentences, { budget: 10 })).toEqual([0]);
  });

  it("selectGreedy(order, …) skips a candidate that does not fit and takes a shorter one", () => {
    const sentences = [sentenceOf(6, 0), sentenceOf(5, 1), sentenceOf(4, 2), sentenceOf(1, 3)];
    expect(selectGreedy([0, 1, 2, 3], sentences, { budget: 10 })).toEqual([0, 2]);
  });

  it("selectGreedy(order, …) stops once the budget is met exactly", () => {
    const sentences = [sentenceOf(6, 0), sentenceOf(4, 1), sentenceOf(1, 2)];
    expect(selectGreedy([0, 1, 2], sentences, { budget: 10 })).toEqual([0, 1]);
  });

  it("selectGreedy(order, …) skips a candidate too similar to a chosen one", () => {
    const sentences = [sentenceOf(3, 0), sentenceOf(3, 1), sentenceOf(3, 2), sentenceOf(3, 3)];
    // 0 and 1 are near-copies; 2 is similar to 0 exactly at the limit, which is allowed
    const table: Record<string, number> = { "0,1": 0.9, "0,2": 0.75, "1,2": 0.2 };
    const similarity = (i: number, j: number) => table[[i, j].sort().join()] ?? 0;
    expect(selectGreedy([0, 1, 2, 3], sentences, { budget: 100, similarity })).toEqual([0, 2, 3]);
    expect(
      selectGreedy([0, 1, 2, 3], sentences, { budget: 100, similarity, maxSimilarity: 0.5 }),
    ).toEqual([0, 3]);
  });

  it("selectGreedy(order, …) skips exact duplicate texts without a similarity function", () => {
    const sentences = ["Great bag.", "Great  bag. ", "great bag.", "Love it."];
    expect(selectGreedy([0, 1, 2, 3], sentences, { budget: 100 })).toEqual([0, 2, 3]);
  });

  it("selectGreedy(order, …) skips sentences without words", () => {
    expect(selectGreedy([0, 1, 2], ["", "  ", "Fine."], { budget: 5 })).toEqual([2]);
  });

  it("selectGreedy([], …) and empty inputs give an empty selection", () => {
    expect(selectGreedy([], [], { budget: 100 })).toEqual([]);
    expect(selectGreedy([], ["A sentence."], { budget: 100 })).toEqual([]);
  });

  it("selectGreedy([0], …) with one sentence takes it whatever the budget", () => {
    expect(selectGreedy([0], ["Only one sentence here."], { budget: 0 })).toEqual([0]);
    expect(selectGreedy([0], ["Only one sentence here."], { budget: 100 })).toEqual([0]);
  });

  it("selectGreedy(order, …) refuses indices out of range and a bad budget", () => {
    expect(() => selectGreedy([2], ["a", "b"], { budget: 5 })).toThrow(RangeError);
    expect(() => selectGreedy([0.5], ["a", "b"], { budget: 5 })).toThrow(/order/);
    expect(() => selectGreedy([0], ["a"], { budget: NaN })).toThrow(/budget/);
    expect(() => selectGreedy([0], ["a"], { budget: -1 })).toThrow(RangeError);
  });
});

describe("summaryText", () => {
  it("summaryText(indices, …) joins in document order, whatever the order of choice", () => {
    const sentences = [" First one. ", "Second.", "Third one.", "Fourth."];
    expect(summaryText([3, 0, 2], sentences)).toBe("First one. Third one. Fourth.");
    expect(summaryText([0, 2, 3], sentences)).toBe(summaryText([2, 3, 0], sentences));
  });

  it("summaryText([], …) is the empty string and does not reorder its argument", () => {
    expect(summaryText([], ["a"])).toBe("");
    const indices = [2, 1];
    summaryText(indices, ["a", "b", "c"]);
    expect(indices).toEqual([2, 1]);
  });
});

describe("orderByScore", () => {
  it("orderByScore(scores) ranks by descending score, ties by index, NaN last", () => {
    expect(orderByScore([0.2, 0.9, NaN, 0.9, -1])).toEqual([1, 3, 0, 4, 2]);
    expect(orderByScore(new Float64Array(0))).toEqual([]);
  });
});
