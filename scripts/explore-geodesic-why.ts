// Why geodesic scoring adds little on the dev data: the geometry of the per-product
// kNN graphs (SIF and TF-IDF), how often a graph path beats the direct distance to the
// centre, and how closely geodesic centralities track the lexical baselines.
//
//   npx tsx scripts/explore-geodesic-why.ts

import { geodesicFrom, initSync, knnGraph, shortestPaths } from "../src/index.js";
import { components } from "../src/index.js";
import { centroidScores, lexRankScores } from "../src/summarize/baselines.js";
import type { Entity } from "../src/summarize/datasets.js";
import { readAmazon, readOposum } from "../src/summarize/datasets-node.js";
import { sifEmbedder, WordCounts } from "../src/summarize/embed.js";
import { rougeTokens } from "../src/summarize/rouge.js";
import { countWords } from "../src/summarize/sentences.js";
import { mean } from "../src/summarize/stats.js";
import { TfIdf } from "../src/summarize/tfidf.js";
import { loadWordVectors } from "../src/summarize/vectors-node.js";

initSync();
const vectors = await loadWordVectors();
const sets: [string, Entity[]][] = [
  ["oposum", await readOposum("data/oposum")],
  ["amazon", await readAmazon("data/amazon-copycat/dev.csv")],
];

type P = { data: Float32Array; rows: number; dim: number };
const subset = (data: Float32Array, dim: number, rows: number[]): P => {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((i, r) => out.set(data.subarray(i * dim, (i + 1) * dim), r * dim));
  return { data: out, rows: rows.length, dim };
};
const meanOf = (p: P) => {
  const m = new Float64Array(p.dim);
  for (let i = 0; i < p.rows; i++) for (let d = 0; d < p.dim; d++) m[d] += p.data[i * p.dim + d];
  return Float32Array.from(m, (x) => x / p.rows);
};
const dense = (t: TfIdf, rows: number[]): P => {
  const dim = t.terms.length;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((i, r) => {
    for (let k = t.offsets[i]; k < t.offsets[i + 1]; k++)
      data[r * dim + t.columns[k]] = t.values[k];
  });
  return { data, rows: rows.length, dim };
};
const dist = (p: P, i: number, c: ArrayLike<number>, metric: "euclidean" | "cosine") => {
  let s = 0,
    xx = 0,
    cc = 0,
    dot = 0;
  for (let d = 0; d < p.dim; d++) {
    const x = p.data[i * p.dim + d];
    s += (x - c[d]) ** 2;
    xx += x * x;
    cc += c[d] * c[d];
    dot += x * c[d];
  }
  return metric === "euclidean" ? Math.sqrt(s) : 1 - dot / Math.sqrt(xx * cc);
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ranks = (xs: ArrayLike<number>) => {
  const idx = Array.from(xs, (_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const r = new Float64Array(xs.length);
  for (let a = 0; a < idx.length;) {
    let b = a;
    while (b + 1 < idx.length && xs[idx[b + 1]] === xs[idx[a]]) b++;
    for (let t = a; t <= b; t++) r[idx[t]] = (a + b) / 2;
    a = b + 1;
  }
  return r;
};
const spearman = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  const rx = ranks(x),
    ry = ranks(y);
  const mx = mean(rx),
    my = mean(ry);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
};
const closeness = (g: ReturnType<typeof knnGraph>) => {
  const n = g.nodes;
  const D = shortestPaths(
    g,
    Array.from({ length: n }, (_, i) => i),
  ).distances;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += D[i * n + j];
    return (n - 1) / s;
  });
};
const harmonic = (g: ReturnType<typeof knnGraph>) => {
  const n = g.nodes;
  const D = shortestPaths(
    g,
    Array.from({ length: n }, (_, i) => i),
  ).distances;
  let floor = Infinity;
  for (const w of g.weights) if (w > 0 && w < floor) floor = w;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++)
      if (j !== i && D[i * n + j] < Infinity) s += 1 / Math.max(D[i * n + j], floor);
    return s / (n - 1);
  });
};

for (const [name, entities] of sets) {
  const counts = new WordCounts();
  for (const e of entities) for (const s of e.sentences) counts.add(s);
  const sif = sifEmbedder(vectors, { counts });
  const acc: Record<string, number[]> = {};
  const add = (key: string, v: number) => (acc[key] ??= []).push(v);
  let example = "";
  entities.forEach((e, ei) => {
    const emb = sif.embed(e.sentences);
    const tfidf = new TfIdf(e.sentences.map((s) => rougeTokens(s)));
    const ok = (i: number) => countWords(e.sentences[i]) > 0;
    const sRows = e.sentences
      .map((_, i) => i)
      .filter((i) => ok(i) && emb.subarray(i * 100, i * 100 + 100).some((x) => x !== 0));
    const tRows = e.sentences
      .map((_, i) => i)
      .filter((i) => ok(i) && tfidf.offsets[i + 1] > tfidf.offsets[i]);

    for (const [space, rows, p, metric] of [
      ["sif", sRows, subset(emb, 100, sRows), "euclidean"],
      ["tfidf", tRows, dense(tfidf, tRows), "cosine"],
    ] as const) {
      const c = meanOf(p);
      const direct = Array.from({ length: p.rows }, (_, i) => dist(p, i, c, metric));
      const kSqrt = Math.round(Math.sqrt(p.rows));
      for (const k of [10, kSqrt]) {
        const tag = `${space} k=${k === 10 ? "10" : "sqrt"}`;
        const g = knnGraph(p, { k: Math.min(k, p.rows - 1), metric, connect: "none" });
        add(`${tag}: components before bridging`, components(g).count);
        add(`${tag}: median edge weight`, median(Array.from(g.weights)));
        add(
          `${tag}: edges of weight >= 0.999 (tfidf: no shared term; sif: cos <= 0.5)`,
          Array.from(g.weights).filter((w) => w >= 0.999).length / g.edges,
        );
        g.dispose();
        const gb = knnGraph(p, { k: Math.min(k, p.rows - 1), metric });
        const geo = geodesicFrom(gb, p, c, { k: p.rows, metric });
        add(
          `${tag}: sentences whose path from the centre beats the direct distance`,
          direct.filter((d, i) => geo[i] < d - 1e-6).length / p.rows,
        );
        // the 15 nearest to the centre: does the blend change their order?
        const top = (xs: ArrayLike<number>) =>
          Array.from(xs, (_, i) => i)
            .sort((a, b) => xs[a] - xs[b] || a - b)
            .slice(0, 15)
            .join();
        add(
          `${tag}: products whose 15 nearest change order under the blend`,
          top(direct) !== top(geo) ? 1 : 0,
        );
        if (space === "tfidf") {
          const cen = centroidScores(tfidf),
            lex = lexRankScores(tfidf);
          const cl = closeness(gb),
            hm = harmonic(gb);
          add(
            `${tag}: spearman(closeness, centroid)`,
            spearman(
              cl,
              tRows.map((i) => cen[i]),
            ),
          );
          add(
            `${tag}: spearman(closeness, lexrank)`,
            spearman(
              cl,
              tRows.map((i) => lex[i]),
            ),
          );
          add(
            `${tag}: spearman(harmonic, lexrank)`,
            spearman(
              hm,
              tRows.map((i) => lex[i]),
            ),
          );
        } else {
          const cos = direct.map((d) => -d);
          const hm = harmonic(gb);
          add(`${tag}: spearman(harmonic, cosine to mean)`, spearman(hm, cos));
          add(`${tag}: spearman(closeness, cosine to mean)`, spearman(closeness(gb), cos));
          const nearest = Array.from(hm, (_, i) => i)
            .sort((a, b) => hm[b] - hm[a])
            .slice(0, 5);
          add(
            `${tag}: words of the 5 most harmonic-central sentences`,
            mean(nearest.map((r) => countWords(e.sentences[sRows[r]]))),
          );
          const byCos = direct
            .map((_, i) => i)
            .sort((a, b) => direct[a] - direct[b])
            .slice(0, 5);
          add(
            `${tag}: words of the 5 sentences nearest the mean`,
            mean(byCos.map((r) => countWords(e.sentences[sRows[r]]))),
          );
          if (ei === 0 && k === 10) {
            example =
              `  ${e.id} harmonic top 5: ${nearest.map((r) => JSON.stringify(e.sentences[sRows[r]].trim())).join(" | ")}\n` +
              `  ${e.id} cosine top 5:   ${byCos.map((r) => JSON.stringify(e.sentences[sRows[r]].trim())).join(" | ")}`;
          }
        }
        add(`${tag}: median direct distance to the centre`, median(direct));
        add(
          `${tag}: spread of direct distances (p90 - p10)`,
          (() => {
            const s = [...direct].sort((a, b) => a - b);
            return s[Math.floor(0.9 * (s.length - 1))] - s[Math.floor(0.1 * (s.length - 1))];
          })(),
        );
        gb.dispose();
      }
      add(`${space}: sentences per product`, p.rows);
      add(
        `${space}: average words per sentence`,
        mean(rows.map((i) => countWords(e.sentences[i]))),
      );
    }
  });
  console.log(`\n## ${name}`);
  for (const [k, v] of Object.entries(acc).sort(([a], [b]) => (a < b ? -1 : 1))) {
    console.log(`${k.padEnd(80)} mean ${mean(v).toFixed(3)}  median ${median(v).toFixed(3)}`);
  }
  console.log(example);
}
