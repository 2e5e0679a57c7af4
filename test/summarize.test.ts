import { beforeAll, describe, expect, it } from "vitest";
import { initSync } from "../src/index.js";
import { countWords } from "../src/summarize/sentences.js";
import { summarize } from "../src/summarize/summarize.js";
import { randomPoints } from "./random.js";

beforeAll(() => initSync());

const unit = (rows: number, dim: number, seed: number) => {
  const p = randomPoints(rows, dim, seed);
  for (let i = 0; i < rows; i++) {
    const row = p.data.subarray(i * dim, (i + 1) * dim);
    const length = Math.hypot(...row);
    row.forEach((x, d) => (row[d] = x / length));
  }
  return p;
};

const words = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag}${i}`).join(" ") + ".";

describe("summarize", () => {
  it("summarize(sentences, embeddings) respects the budget and never repeats a sentence", () => {
    const sentences = Array.from({ length: 60 }, (_, i) => words(3 + (i % 9), `w${i}x`));
    const p = unit(60, 16, 4);
    for (const budget of [5, 20, 50]) {
      const s = summarize(sentences, p, { budget });
      const chosen = s.selected.map((x) => x.index);
      expect(new Set(chosen).size).toBe(chosen.length);
      const total = chosen.reduce((n, i) => n + countWords(sentences[i]), 0);
      if (chosen.length > 1) expect(total).toBeLessThanOrEqual(budget);
      expect(chosen).toEqual([...chosen].sort((a, b) => a - b));
      expect(s.text).toBe(chosen.map((i) => sentences[i]).join(" "));
    }
  });

  it("summarize picks the sentence nearest the centre first and explains its path", () => {
    // a chain of points on a line; the centre sits on point 3 (no row is a
    // zero vector: those are never scored)
    const sentences = Array.from({ length: 7 }, (_, i) => words(4, `s${i}t`));
    const embeddings = Array.from({ length: 7 }, (_, i) => [i, 1]);
    const s = summarize(sentences, embeddings, { budget: 4, centre: [3, 1], k: 1 });
    expect(s.selected.map((x) => x.index)).toEqual([3]);
    expect(s.selected[0].path).toEqual([3]);
    expect(Array.from(s.distances)).toEqual([3, 2, 1, 0, 1, 2, 3]);

    // a farther sentence's path runs through the chain back to the centre
    const wide = summarize(sentences, embeddings, { budget: 100, centre: [3, 1], k: 1 });
    const last = wide.selected.find((x) => x.index === 6)!;
    expect(last.path).toEqual([3, 4, 5, 6]);
  });

  it("summarize(one sentence) returns it", () => {
    const s = summarize(["Only one sentence here."], [[0.6, 0.8]]);
    expect(s.selected.map((x) => x.text)).toEqual(["Only one sentence here."]);
  });

  it("summarize(no sentences) returns an empty summary", () => {
    const s = summarize([], { data: new Float32Array(0), rows: 0, dim: 4 });
    expect(s).toEqual({
      selected: [],
      text: "",
      scores: new Float64Array(0),
      distances: new Float64Array(0),
    });
  });

  it("summarize(cosine scores at or below 0) still fills the budget, best first", () => {
    // cosines to the mean (0, 0.033): 0, 1 and -0.67
    const sentences = ["Alpha beta.", "Gamma delta.", "Epsilon zeta."];
    const embeddings = [
      [1, 0],
      [0, 1],
      [-1, -0.9],
    ];
    const result = summarize(sentences, embeddings, { scoring: "cosine", budget: 100 });
    expect(Array.from(result.scores).map((x) => Number(x.toFixed(2)))).toEqual([0, 1, -0.67]);
    expect(result.text).toBe("Alpha beta. Gamma delta. Epsilon zeta.");
    const two = summarize(sentences, embeddings, { scoring: "cosine", budget: 4 });
    expect(two.text).toBe("Alpha beta. Gamma delta.");
  });

  it("summarize never picks empty sentences or zero embeddings", () => {
    const sentences = ["", "  ", "!!!", "Real words here.", "More real words.", "Other words."];
    const embeddings = [
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 0.5],
      [1, 0],
      [0, 1],
      [0, 0],
    ];
    const s = summarize(sentences, embeddings, { budget: 100 });
    expect(s.selected.map((x) => x.index)).toEqual([3, 4]);
    expect(s.scores[0]).toBe(0);
    expect(s.scores[5]).toBe(0);
  });

  it("summarize handles non-ASCII text", () => {
    const sentences = ["Très bien, ça marche.", "Отличный товар.", "很好用。", "Große Tasche!"];
    const p = unit(4, 8, 9);
    const s = summarize(sentences, p, { budget: 6 });
    expect(s.selected.length).toBeGreaterThan(0);
    expect(s.text.length).toBeGreaterThan(0);
  });

  it("summarize refuses a mismatched embedding matrix, naming it", () => {
    expect(() => summarize(["a b", "c d"], [[1, 0]])).toThrow(
      /embeddings.rows is 1; expected 2, one row per sentence/,
    );
    expect(() => summarize(["a b"], [[1, 0]], { budget: 0 })).toThrow(/options.budget is 0/);
    expect(() => summarize(["a b"], [[1, 0]], { scoring: "best" as never })).toThrow(
      /options.scoring is "best"/,
    );
  });
});

describe("summarize bad input", () => {
  it("summarize names a zero centre under a cosine metric, and a hole in the sentences", () => {
    const opposite = [
      [1, 0],
      [-1, 0],
    ];
    expect(() => summarize(["Good thing.", "Bad thing."], opposite, { metric: "cosine" })).toThrow(
      "the mean embedding is a zero vector; " +
        "expected a non-zero vector for the cosine and angular metrics",
    );
    expect(() =>
      summarize(["Good thing.", "Bad thing."], opposite, { metric: "cosine", centre: [0, 0] }),
    ).toThrow(/options.centre is a zero vector/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => summarize([, "a"] as string[], [[1], [2]])).toThrow(/sentences\[0\] is undefined/);
  });
});
