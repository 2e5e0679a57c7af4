// The demo page: loads the module, the word vectors and the bundled products,
// then summarizes the chosen (or pasted) reviews two ways and draws the graph.

import { init } from "geodesic-knn";
import {
  parseWordVectors,
  splitSentences,
  type Entity,
  type MethodSummary,
  type WordVectors,
} from "geodesic-knn/summarize";
import { summarizeBoth } from "./demo.js";
import { drawGraph } from "./picture.js";

/** A row of products.json, written by scripts/build-web.ts from data/. */
interface Product extends Entity {
  budget: number;
}

const $ = <T extends Element>(selector: string) => document.querySelector(selector) as T;
const asset = (name: string) => new URL(name, import.meta.url);

async function main(): Promise<void> {
  // the .wasm as a separate asset beside the bundle, fetched and compiled in parallel
  const [, vectors, products] = await Promise.all([
    init(asset("geodesic.wasm")),
    fetch(asset("glove-100d.bin"))
      .then((r) => r.arrayBuffer())
      .then(parseWordVectors),
    fetch(asset("products.json")).then((r) => r.json() as Promise<Product[]>),
  ]);

  const select = $<HTMLSelectElement>("#product");
  for (const [i, p] of products.entries()) {
    select.add(
      new Option(
        `${p.dataset} · ${p.domain} · ${p.id} (${p.sentences.length} sentences)`,
        String(i),
      ),
    );
  }
  const budget = $<HTMLInputElement>("#budget");
  const paste = $<HTMLTextAreaElement>("#paste");
  select.addEventListener("change", () => {
    budget.value = String(products[Number(select.value)].budget);
    paste.value = "";
    run(products, vectors);
  });
  $<HTMLFormElement>("#controls").addEventListener("submit", (event) => {
    event.preventDefault();
    run(products, vectors);
  });
  $<HTMLButtonElement>("#run").disabled = false;
  budget.value = String(products[0].budget);
  run(products, vectors);
}

/** Pasted text as one product: reviews separated by blank lines. */
function pasted(text: string): Entity {
  const reviews = text.split(/\n\s*\n/).filter((r) => r.trim() !== "");
  const split = reviews.map((r) => splitSentences(r));
  return {
    dataset: "pasted",
    domain: "",
    id: "pasted",
    sentences: split.flat(),
    review: split.flatMap((s, r) => s.map(() => r)),
    references: [],
  };
}

function run(products: Product[], vectors: WordVectors): void {
  const text = $<HTMLTextAreaElement>("#paste").value;
  const entity = text.trim()
    ? pasted(text)
    : products[Number($<HTMLSelectElement>("#product").value)];
  const budget = Math.max(1, Math.round(Number($<HTMLInputElement>("#budget").value) || 100));
  const status = $<HTMLSpanElement>("#status");
  if (entity.sentences.length < 2) {
    status.textContent = "Paste at least two sentences.";
    return;
  }

  const result = summarizeBoth(entity, vectors, budget);

  show("#geodesic", result.geodesic);
  show("#cosine", result.cosine);
  drawGraph($<SVGSVGElement>("#picture"), result, entity.sentences);
  // no timing here: the screenshot in the README stays the same from run to run
  status.textContent = `${entity.sentences.length} sentences, ${result.edges.length} graph edges`;
  document.body.dataset.state = "done";
}

/** One method's summary: its sentences with their scores, and ROUGE when there are references. */
function show(selector: string, summary: MethodSummary): void {
  const section = $<HTMLElement>(selector);
  section.dataset.summary = summary.summary;
  section.querySelector("ol")!.replaceChildren(
    ...(summary.sentences ?? []).map((s) => {
      const item = document.createElement("li");
      const score = document.createElement("span");
      score.className = "score";
      score.textContent = s.score.toPrecision(3);
      item.append(score, s.text);
      return item;
    }),
  );
  const r = summary.rouge;
  section.querySelector(".rouge")!.textContent = r
    ? `ROUGE-1 / 2 / L against the human summaries: ${[r.rouge1, r.rouge2, r.rougeL]
        .map((x) => (100 * x.f1).toFixed(1))
        .join(" / ")}`
    : "";
}

main().catch((error: unknown) => {
  $<HTMLSpanElement>("#status").textContent = `Failed: ${(error as Error).message}`;
  document.body.dataset.state = "error";
  throw error;
});
