// Builds the demo page into build/web/, as a user of the package would: esbuild
// bundles web/app.ts, whose imports of `geodesic-knn` and `geodesic-knn/summarize`
// resolve through this package's own exports map to the built dist/; the .wasm
// and the word vectors are copied beside it as separate assets; products.json
// holds the bundled data's products, read from data/ with the job's own readers.
// Run by `npm run build` after tsup (`npm run web` alone once dist/ exists).

import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { readAmazon, readOposum } from "../src/summarize/datasets-node.js";
import type { Entity } from "../src/summarize/datasets.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}build/web`;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// the products, with the word budgets of the main job
const slim = (e: Entity, budget: number) => ({
  dataset: e.dataset,
  domain: e.domain,
  id: e.id,
  sentences: e.sentences,
  review: e.review,
  references: e.references,
  budget,
});
const products = [
  ...(await readOposum(`${root}data/oposum`)).map((e) => slim(e, 100)),
  ...(await readAmazon(`${root}data/amazon-copycat/dev.csv`)).map((e) => slim(e, 70)),
];
writeFileSync(`${out}/products.json`, JSON.stringify(products));

// the page's code: one ES module, minified, with a source map
await build({
  entryPoints: [`${root}web/app.ts`],
  outfile: `${out}/app.js`,
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: true,
  logLevel: "warning",
});

for (const [from, to] of [
  ["web/index.html", "index.html"],
  ["web/style.css", "style.css"],
  ["build/geodesic.wasm", "geodesic.wasm"],
  ["build/vectors/glove-100d.bin", "glove-100d.bin"],
]) {
  copyFileSync(`${root}${from}`, `${out}/${to}`);
}
