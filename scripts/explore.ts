// Tries geodesic scoring settings on the dev data and prints ROUGE-L per
// setting, side by side with cosine, so the default is chosen on dev data.
//
//   npx tsx scripts/explore.ts

import { initSync } from "../src/index.js";
import { readAmazon, readOposum } from "../src/summarize/datasets-node.js";
import { meanEmbedder, sifEmbedder, WordCounts } from "../src/summarize/embed.js";
import { runMethods } from "../src/summarize/evaluate.js";
import { mean, pairedBootstrap } from "../src/summarize/stats.js";
import type { SummarizeOptions } from "../src/summarize/summarize.js";
import { loadWordVectors } from "../src/summarize/vectors-node.js";
import type { Entity } from "../src/summarize/datasets.js";

initSync();
const vectors = await loadWordVectors();
const sets: [string, Entity[], number][] = [
  ["oposum", await readOposum("data/oposum"), 100],
  ["amazon", await readAmazon("data/amazon-copycat/dev.csv"), 70],
];

const settings: [string, SummarizeOptions][] = [];
for (const scoring of ["geodesic", "centrality"] as const) {
  for (const k of [5, 10, 15]) {
    for (const attach of scoring === "geodesic" ? [1, 3, 10] : [1]) {
      settings.push([`${scoring} k=${k} attach=${attach}`, { scoring, k, attach }]);
    }
  }
}

for (const embedderName of ["sif", "mean"]) {
  for (const [name, entities, budget] of sets) {
    const counts = new WordCounts();
    for (const e of entities) for (const s of e.sentences) counts.add(s);
    const embedder =
      embedderName === "sif" ? sifEmbedder(vectors, { counts }) : meanEmbedder(vectors);
    const rows = entities.map((e) => embedder.embed(e.sentences));
    const rl = (
      method: "cosine" | "geodesic" | "centroid" | "lexrank",
      options: SummarizeOptions = {},
    ) =>
      entities.map(
        (e, i) =>
          100 * runMethods(e, rows[i], [method], { budget, geodesic: options })[0].rouge!.rougeL.f1,
      );
    const cosine = rl("cosine");
    const centroid = rl("centroid");
    console.log(
      `\n${embedderName} ${name}: cosine RL ${mean(cosine).toFixed(2)}, ` +
        `centroid ${mean(centroid).toFixed(2)}`,
    );
    for (const [label, options] of settings) {
      const g = rl("geodesic", options);
      const d = pairedBootstrap(g, cosine, { resamples: 2000 });
      const c = pairedBootstrap(g, centroid, { resamples: 2000 });
      console.log(
        `${label.padEnd(32)} RL ${mean(g).toFixed(2)}  vs cosine ${d.mean.toFixed(2)} ` +
          `[${d.low.toFixed(2)}, ${d.high.toFixed(2)}]  vs centroid ${c.mean.toFixed(2)}`,
      );
    }
  }
}
