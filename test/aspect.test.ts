import { beforeAll, describe, expect, it } from "vitest";
import { initSync } from "../src/index.js";
import { runMethods } from "../src/summarize/evaluate.js";
import type { Entity } from "../src/summarize/datasets.js";

beforeAll(() => initSync());

const sentences = [
  "The battery lasts two full days.",
  "Battery life is great and charging is quick.",
  "The strap feels cheap.",
  "The strap broke after a week.",
  "Sound quality is clear.",
  "The sound is clear and loud.",
  "Charging the battery takes an hour.",
  "Shipping was fast.",
];
const entity: Entity = {
  dataset: "test",
  domain: "",
  id: "watch",
  sentences,
  review: sentences.map((_, i) => i),
  references: [],
};

describe("runMethods with an aspect", () => {
  it("runMethods(entity, …, { aspect }) summarizes around the aspect's words", () => {
    const embeddings = new Float32Array(sentences.length * 2).map((_, i) => 1 + (i % 3));
    const aspect = { text: "battery", embedding: Float32Array.from([1, 2]) };
    const [geodesic] = runMethods(entity, embeddings, ["geodesic"], { budget: 12, aspect, k: 2 });
    expect(geodesic.indices.length).toBeGreaterThan(0);
    for (const i of geodesic.indices) expect(sentences[i].toLowerCase()).toContain("battery");
  });

  it("runMethods gives an empty summary with a note for an aspect the reviews never name", () => {
    const aspect = { text: "zeppelin", embedding: Float32Array.from([1, 2]) };
    const embeddings = new Float32Array(sentences.length * 2).fill(1);
    const [r] = runMethods(entity, embeddings, ["geodesic"], { budget: 10, aspect });
    expect(r.summary).toBe("");
    expect(r.note).toBe('the reviews of watch never mention "zeppelin"');
  });

  it("runMethods gives empty summaries with a note where there is nothing to work on", () => {
    const emoji: Entity = { ...entity, id: "emo", sentences: ["🔥🔥", "👍👍"], review: [0, 1] };
    const embeddings = new Float32Array(4);
    const [geodesic, oracle] = runMethods(emoji, embeddings, ["geodesic", "oracle"], {
      budget: 10,
    });
    expect(geodesic.note).toBe("no sentence has a word");
    expect(oracle.note).toBe("no references");
    expect(oracle.rouge).toBeUndefined();
  });
});
