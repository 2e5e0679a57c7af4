// Geodesic scoring functions plugged into the main job's greedy selection
// (same budget, same TF-IDF redundancy skip at 0.75), compared on the dev data
// with cosine-to-mean, the TF-IDF centroid and LexRank.
//
//   npx tsx scripts/explore-geodesic-scores.ts [--json /tmp/out.json]
//
// Families (each a score per sentence; higher is better):
//   tfidf-*       geodesic centrality over a kNN graph of TF-IDF rows, 1 - cos edges:
//                 closeness (mean), harmonic, soft-min (temperature = median edge weight)
//   sif-harm      harmonic centrality over the SIF kNN graph (euclidean)
//   domain-*      one kNN graph over a whole domain's sentences; the product's centre is
//                 attached to its nearest sentences of that product
//   density-*     sentences within geodesic radius r = f x median edge weight; ties by
//                 cosine to the mean
//   blend-*       1 / geodesic from the mean, the centre attached to every sentence at its
//                 direct distance (min over direct and graph paths)

import { writeFileSync } from "node:fs";
import { Graph, geodesicFrom, initSync, knnGraph, shortestPaths } from "../src/index.js";
import type { Metric } from "../src/metric.js";
import { centroidScores, lexRankScores } from "../src/summarize/baselines.js";
import type { Entity } from "../src/summarize/datasets.js";
import { readAmazon, readOposum } from "../src/summarize/datasets-node.js";
import { sifEmbedder, WordCounts, type Embedder } from "../src/summarize/embed.js";
import { rouge, rougeTokens } from "../src/summarize/rouge.js";
import { orderByScore, selectGreedy } from "../src/summarize/select.js";
import { countWords } from "../src/summarize/sentences.js";
import { mean, pairedBootstrap } from "../src/summarize/stats.js";
import { summarize } from "../src/summarize/summarize.js";
import { TfIdf } from "../src/summarize/tfidf.js";
import { loadWordVectors } from "../src/summarize/vectors-node.js";

initSync();
const started = Date.now();
const vectors = await loadWordVectors();
const jsonOut = process.argv.includes("--json")
  ? process.argv[process.argv.indexOf("--json") + 1]
  : undefined;

// ---------------------------------------------------------------------------
// per-product context

interface Ctx {
  entity: Entity;
  budget: number;
  sentences: string[];
  tfidf: TfIdf;
  /** SIF rows of the product, embedded on their own (as the main job does). */
  sif: Float32Array;
  dim: number;
  /** Sentences with words and a non-zero SIF row. */
  sifRows: number[];
  /** Sentences with words and a non-empty TF-IDF row. */
  tfRows: number[];
}

function makeCtx(entity: Entity, budget: number, embedder: Embedder): Ctx {
  const sentences = entity.sentences;
  const tfidf = new TfIdf(sentences.map((s) => rougeTokens(s)));
  const sif = embedder.embed(sentences);
  const dim = embedder.dim;
  const hasWords = (i: number) =>
    /[\p{L}\p{N}]/u.test(sentences[i]) && countWords(sentences[i]) > 0;
  const sifRows: number[] = [];
  const tfRows: number[] = [];
  for (let i = 0; i < sentences.length; i++) {
    if (!hasWords(i)) continue;
    if (sif.subarray(i * dim, (i + 1) * dim).some((x) => x !== 0)) sifRows.push(i);
    if (tfidf.offsets[i + 1] > tfidf.offsets[i]) tfRows.push(i);
  }
  return { entity, budget, sentences, tfidf, sif, dim, sifRows, tfRows };
}

/** Greedy selection as the main job does it, over the sentences in `usable`. */
function select(ctx: Ctx, scores: Float64Array, usable: readonly number[]): number[] {
  const ok = new Uint8Array(ctx.sentences.length);
  for (const i of usable) ok[i] = 1;
  const order = orderByScore(scores).filter((i) => ok[i] && Number.isFinite(scores[i]));
  return selectGreedy(order, ctx.sentences, {
    budget: ctx.budget,
    similarity: (i, j) => ctx.tfidf.cosine(i, j),
  }).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------
// helpers over points and graphs

function subset(data: Float32Array, dim: number, rows: readonly number[]) {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((i, r) => out.set(data.subarray(i * dim, (i + 1) * dim), r * dim));
  return { data: out, rows: rows.length, dim };
}

function meanOf(p: { data: Float32Array; rows: number; dim: number }): Float32Array {
  const m = new Float64Array(p.dim);
  for (let i = 0; i < p.rows; i++) for (let d = 0; d < p.dim; d++) m[d] += p.data[i * p.dim + d];
  return Float32Array.from(m, (x) => x / p.rows);
}

function cosTo(
  p: { data: Float32Array; rows: number; dim: number },
  c: ArrayLike<number>,
): Float64Array {
  let cc = 0;
  for (let d = 0; d < p.dim; d++) cc += c[d] * c[d];
  const out = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) {
    let dot = 0;
    let xx = 0;
    for (let d = 0; d < p.dim; d++) {
      const x = p.data[i * p.dim + d];
      dot += x * c[d];
      xx += x * x;
    }
    out[i] = xx > 0 && cc > 0 ? dot / Math.sqrt(xx * cc) : 0;
  }
  return out;
}

/** Dense TF-IDF rows (vocabulary = the product's terms) of `rows`. */
function denseTfidf(t: TfIdf, rows: readonly number[]) {
  const dim = t.terms.length;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((i, r) => {
    for (let k = t.offsets[i]; k < t.offsets[i + 1]; k++)
      data[r * dim + t.columns[k]] = t.values[k];
  });
  return { data, rows: rows.length, dim };
}

function medianEdge(g: Graph): number {
  const w = Float64Array.from(g.weights).sort();
  const h = (w.length - 1) / 2;
  return (w[Math.floor(h)] + w[Math.ceil(h)]) / 2;
}

function minPositiveEdge(g: Graph): number {
  let m = Infinity;
  for (const w of g.weights) if (w > 0 && w < m) m = w;
  return m;
}

function allPairs(g: Graph, limit?: number): Float64Array {
  return shortestPaths(
    g,
    Array.from({ length: g.nodes }, (_, i) => i),
    limit === undefined ? {} : { limit },
  ).distances;
}

type Centrality = "mean" | "harmonic" | "softmin";

/** Centrality of each node from all-pairs geodesics: higher is more central. */
function centrality(g: Graph, kind: Centrality): Float64Array {
  const n = g.nodes;
  const D = allPairs(g);
  const out = new Float64Array(n);
  const T = medianEdge(g);
  const floor = minPositiveEdge(g);
  for (let i = 0; i < n; i++) {
    if (kind === "mean") {
      let s = 0;
      for (let j = 0; j < n; j++) if (j !== i) s += D[i * n + j];
      out[i] = (n - 1) / Math.max(s, 1e-12);
    } else if (kind === "harmonic") {
      let s = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const d = D[i * n + j];
        if (d < Infinity) s += 1 / Math.max(d, floor);
      }
      out[i] = s / (n - 1);
    } else {
      // -softmin_T = T log mean_j exp(-d_ij / T), stable log-sum-exp
      let lo = Infinity;
      for (let j = 0; j < n; j++) if (j !== i) lo = Math.min(lo, D[i * n + j]);
      let s = 0;
      for (let j = 0; j < n; j++) if (j !== i) s += Math.exp(-(D[i * n + j] - lo) / T);
      out[i] = -(lo - T * Math.log(s / (n - 1)));
    }
  }
  return out;
}

function scatter(
  n: number,
  rows: readonly number[],
  values: ArrayLike<number>,
  fill = -Infinity,
): Float64Array {
  const out = new Float64Array(n).fill(fill);
  rows.forEach((i, r) => (out[i] = values[r]));
  return out;
}

function clampK(k: number, rows: number): number {
  return Math.max(1, Math.min(k, rows - 1));
}

// ---------------------------------------------------------------------------
// methods: product-local

type Local = { name: string; run: (ctx: Ctx) => { scores: Float64Array; usable: number[] } };

/** k = a number, or "sqrt": round(sqrt(sentences)) of the product (added after seeing the k pattern). */
function tfidfCentrality(k: number | "sqrt", kind: Centrality): Local {
  return {
    name: `tfidf-${kind} k=${k}`,
    run(ctx) {
      const rows = ctx.tfRows;
      const n = ctx.sentences.length;
      if (rows.length < 3)
        return {
          scores: scatter(
            n,
            rows,
            rows.map(() => 1),
          ),
          usable: rows,
        };
      const kk = k === "sqrt" ? Math.round(Math.sqrt(rows.length)) : k;
      const g = knnGraph(denseTfidf(ctx.tfidf, rows), {
        k: clampK(kk, rows.length),
        metric: "cosine",
      });
      try {
        return { scores: scatter(n, rows, centrality(g, kind)), usable: rows };
      } finally {
        g.dispose();
      }
    },
  };
}

function sifCentrality(k: number, kind: Centrality, connect: "bridge" | "none" = "bridge"): Local {
  return {
    name: `sif-${kind} k=${k}${connect === "none" ? " unbridged" : ""}`,
    run(ctx) {
      const rows = ctx.sifRows;
      const n = ctx.sentences.length;
      if (rows.length < 3)
        return {
          scores: scatter(
            n,
            rows,
            rows.map(() => 1),
          ),
          usable: rows,
        };
      const g = knnGraph(subset(ctx.sif, ctx.dim, rows), { k: clampK(k, rows.length), connect });
      try {
        return { scores: scatter(n, rows, centrality(g, kind)), usable: rows };
      } finally {
        g.dispose();
      }
    },
  };
}

/** Sentences within geodesic radius factor x median edge; ties by cosine to the mean. */
function density(space: "sif" | "tfidf", k: number, factor: number): Local {
  return {
    name: `density-${space} k=${k} r=${factor}xmed`,
    run(ctx) {
      const rows = space === "sif" ? ctx.sifRows : ctx.tfRows;
      const n = ctx.sentences.length;
      const p = space === "sif" ? subset(ctx.sif, ctx.dim, rows) : denseTfidf(ctx.tfidf, rows);
      const tie = cosTo(p, meanOf(p));
      if (rows.length < 3) return { scores: scatter(n, rows, tie), usable: rows };
      const g = knnGraph(p, {
        k: clampK(k, rows.length),
        metric: space === "sif" ? "euclidean" : "cosine",
      });
      try {
        const r = factor * medianEdge(g);
        const D = allPairs(g, r);
        const m = rows.length;
        const s = new Float64Array(m);
        for (let i = 0; i < m; i++) {
          let c = 0;
          for (let j = 0; j < m; j++) if (j !== i && D[i * m + j] <= r) c++;
          s[i] = c + (tie[i] + 1) / 3; // the tie-break stays below one neighbour
        }
        return { scores: scatter(n, rows, s), usable: rows };
      } finally {
        g.dispose();
      }
    },
  };
}

/** 1 / geodesic from the mean, the centre attached to `attach` sentences ("all" = every one). */
function fromMean(space: "sif" | "tfidf", k: number, attach: number | "all"): Local {
  return {
    name: `${attach === "all" ? "blend" : `geo attach=${attach}`}-${space} k=${k}`,
    run(ctx) {
      const rows = space === "sif" ? ctx.sifRows : ctx.tfRows;
      const n = ctx.sentences.length;
      const p = space === "sif" ? subset(ctx.sif, ctx.dim, rows) : denseTfidf(ctx.tfidf, rows);
      const metric: Metric = space === "sif" ? "euclidean" : "cosine";
      const centre = meanOf(p);
      if (rows.length < 3) return { scores: scatter(n, rows, cosTo(p, centre)), usable: rows };
      const g = knnGraph(p, { k: clampK(k, rows.length), metric });
      try {
        const a = attach === "all" ? rows.length : Math.min(attach, rows.length);
        const d = geodesicFrom(g, p, centre, { k: a, metric });
        return {
          scores: scatter(
            n,
            rows,
            Array.from(d, (x) => 1 / Math.max(x, 1e-12)),
          ),
          usable: rows,
        };
      } finally {
        g.dispose();
      }
    },
  };
}

const local: Local[] = [];
for (const k of [5, 10, 15, "sqrt"] as const) {
  for (const kind of ["mean", "harmonic", "softmin"] as const) local.push(tfidfCentrality(k, kind));
}
for (const k of [5, 10, 15]) local.push(sifCentrality(k, "harmonic"));
local.push(sifCentrality(10, "harmonic", "none"));
local.push(sifCentrality(10, "softmin"));
for (const f of [1, 2]) local.push(density("sif", 10, f));
for (const f of [1, 2]) local.push(density("tfidf", 10, f));
for (const k of [5, 10, 15]) local.push(fromMean("sif", k, "all"));
local.push(fromMean("tfidf", 10, "all"));
local.push(fromMean("sif", 10, 10)); // the current best "geodesic" setting, for reference

// ---------------------------------------------------------------------------
// methods: domain-wide graph

const DOMAIN_K = 10;
const DOMAIN_ATTACH: (number | "all")[] = [1, 10, "all"];

/**
 * For every product of `entities`: scores for "domain-cosine" (cosine to the product mean in
 * the domain embedding) and "domain-geo attach=a" (1 / geodesic in the domain kNN graph).
 */
function domainScores(
  entities: Entity[],
  ctxs: Ctx[],
  embedder: Embedder,
  productEmbeddings: boolean,
): Map<string, Float64Array[]> {
  const tag = productEmbeddings ? "domain(product emb)" : "domain(domain emb)";
  const out = new Map<string, Float64Array[]>();
  const put = (name: string, e: number, s: Float64Array) => {
    if (!out.has(name)) out.set(name, new Array(entities.length));
    out.get(name)![e] = s;
  };
  const domains = [...new Set(entities.map((e) => e.domain))];
  for (const domain of domains) {
    const members = entities.map((e, i) => (e.domain === domain ? i : -1)).filter((i) => i >= 0);
    const all = members.flatMap((e) => entities[e].sentences);
    // SIF with the common component fitted on the domain, or each product's own rows stacked
    const emb = productEmbeddings ? concat(members.map((e) => ctxs[e].sif)) : embedder.embed(all);
    const dim = embedder.dim;
    // rows of the domain graph: each product's usable sentences (non-zero in this embedding)
    const owner: number[] = [];
    const local: number[] = [];
    const global: number[] = [];
    let offset = 0;
    for (const e of members) {
      const ctx = ctxs[e];
      for (const i of ctx.sifRows) {
        if (emb.subarray((offset + i) * dim, (offset + i + 1) * dim).some((x) => x !== 0)) {
          owner.push(e);
          local.push(i);
          global.push(offset + i);
        }
      }
      offset += ctx.sentences.length;
    }
    const P = subset(emb, dim, global);
    const N = P.rows;
    const g = knnGraph(P, { k: DOMAIN_K });
    const src: number[] = [];
    const dst: number[] = [];
    const wts: number[] = [];
    for (let u = 0; u < N; u++) {
      for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
        if (g.targets[e] > u) {
          src.push(u);
          dst.push(g.targets[e]);
          wts.push(g.weights[e]);
        }
      }
    }
    g.dispose();
    for (const e of members) {
      const n = entities[e].sentences.length;
      const mine = Array.from({ length: N }, (_, r) => r).filter((r) => owner[r] === e);
      const Q = subset(P.data, dim, mine);
      const centre = meanOf(Q);
      put(
        `${tag}-cosine`,
        e,
        scatter(
          n,
          mine.map((r) => local[r]),
          cosTo(Q, centre),
        ),
      );
      const direct = mine.map((r) => {
        let s = 0;
        for (let d = 0; d < dim; d++) s += (P.data[r * dim + d] - centre[d]) ** 2;
        return Math.sqrt(s);
      });
      const byDistance = mine.map((_, q) => q).sort((a, b) => direct[a] - direct[b] || a - b);
      for (const attach of DOMAIN_ATTACH) {
        const a = attach === "all" ? mine.length : Math.min(attach, mine.length);
        const s2 = [...src];
        const d2 = [...dst];
        const w2 = [...wts];
        for (const q of byDistance.slice(0, a)) {
          s2.push(N);
          d2.push(mine[q]);
          w2.push(direct[q]);
        }
        const h = Graph.fromEdges({ nodes: N + 1, sources: s2, targets: d2, weights: w2 });
        const dist = shortestPaths(h, N).distances;
        h.dispose();
        put(
          `${tag}-geo k=${DOMAIN_K} attach=${attach}`,
          e,
          scatter(
            n,
            mine.map((r) => local[r]),
            mine.map((r) => 1 / Math.max(dist[r], 1e-12)),
          ),
        );
      }
    }
  }
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// run

interface Result {
  r1: number[];
  r2: number[];
  rl: number[];
  picks: number[][];
}

const sets: [string, Entity[], number][] = [
  ["oposum", await readOposum("data/oposum"), 100],
  ["amazon", await readAmazon("data/amazon-copycat/dev.csv"), 70],
];

const report: Record<
  string,
  Record<string, { r1: number; r2: number; rl: number; rlPer: number[]; picks: number[][] }>
> = {};

for (const [setName, entities, budget] of sets) {
  const counts = new WordCounts();
  for (const e of entities) for (const s of e.sentences) counts.add(s);
  const embedder = sifEmbedder(vectors, { counts });
  const ctxs = entities.map((e) => makeCtx(e, budget, embedder));
  const results = new Map<string, Result>();
  const record = (name: string, e: number, picks: number[]) => {
    if (!results.has(name)) results.set(name, { r1: [], r2: [], rl: [], picks: [] });
    const r = results.get(name)!;
    const sc = rouge(
      picks.map((i) => ctxs[e].sentences[i].trim()).join(" "),
      entities[e].references,
    );
    r.r1[e] = 100 * sc.rouge1.f1;
    r.r2[e] = 100 * sc.rouge2.f1;
    r.rl[e] = 100 * sc.rougeL.f1;
    r.picks[e] = picks;
  };

  // baselines exactly as the main job computes them
  ctxs.forEach((ctx, e) => {
    const cos = summarize(
      ctx.sentences,
      { data: ctx.sif, rows: ctx.sentences.length, dim: ctx.dim },
      { budget, scoring: "cosine" },
    );
    record(
      "cosine",
      e,
      cos.selected.map((s) => s.index),
    );
    const all = ctx.sentences.map((_, i) => i);
    record("centroid", e, select(ctx, centroidScores(ctx.tfidf), all));
    record("lexrank", e, select(ctx, lexRankScores(ctx.tfidf), all));
  });
  for (const m of local) {
    ctxs.forEach((ctx, e) => {
      const { scores, usable } = m.run(ctx);
      record(m.name, e, select(ctx, scores, usable));
    });
  }
  const dom = new Map([
    ...domainScores(entities, ctxs, embedder, false),
    ...domainScores(entities, ctxs, embedder, true),
  ]);
  for (const [name, perEntity] of dom) {
    ctxs.forEach((ctx, e) => {
      const s = perEntity[e];
      const usable = ctx.sentences.map((_, i) => i).filter((i) => s[i] > -Infinity);
      record(name, e, select(ctx, s, usable));
    });
  }

  // table
  const base = (n: string) => results.get(n)!;
  console.log(`\n## ${setName} (${entities.length} products, ${budget} words)\n`);
  console.log(
    "| method | R1 | R2 | RL | RL - cosine [95%] | RL - centroid [95%] | RL - LexRank [95%] " +
      "| differs from cosine / centroid | sentences per summary | words per sentence |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  report[setName] = {};
  for (const [name, r] of results) {
    const words = r.picks.flatMap((p, e) => p.map((i) => countWords(ctxs[e].sentences[i])));
    console.log(
      `| ${name} | ${mean(r.r1).toFixed(2)} | ${mean(r.r2).toFixed(2)} | ${mean(r.rl).toFixed(2)} | ` +
        `${iv(r.rl, base("cosine").rl)} | ${iv(r.rl, base("centroid").rl)} | ${iv(r.rl, base("lexrank").rl)} | ` +
        `${pct(differs(r.picks, base("cosine").picks))} / ${pct(differs(r.picks, base("centroid").picks))} | ` +
        `${mean(r.picks.map((p) => p.length)).toFixed(1)} | ${mean(words).toFixed(1)} |`,
    );
    report[setName][name] = {
      r1: mean(r.r1),
      r2: mean(r.r2),
      rl: mean(r.rl),
      rlPer: r.rl,
      picks: r.picks,
    };
  }
}

// pooled over both datasets (58 products), RL only
console.log(
  `\n## pooled, ${Object.values(report)
    .map((r) => r.cosine.rlPer.length)
    .join(" + ")} products\n`,
);
console.log("| method | RL | RL - cosine [95%] | RL - centroid [95%] | RL - LexRank [95%] |");
console.log("| --- | --- | --- | --- | --- |");
const pooled = (name: string) => Object.values(report).flatMap((r) => r[name].rlPer);
for (const name of Object.keys(report.oposum)) {
  const rl = pooled(name);
  console.log(
    `| ${name} | ${mean(rl).toFixed(2)} | ${iv(rl, pooled("cosine"))} | ` +
      `${iv(rl, pooled("centroid"))} | ${iv(rl, pooled("lexrank"))} |`,
  );
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report));
console.error(`\n${((Date.now() - started) / 1000).toFixed(1)} s`);

function differs(a: number[][], b: number[][]): number {
  return a.filter((x, e) => x.join(",") !== b[e].join(",")).length / a.length;
}
function pct(x: number): string {
  return `${(100 * x).toFixed(0)}%`;
}
function iv(a: number[], b: number[]): string {
  const d = pairedBootstrap(a, b);
  const f = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(2);
  return `${f(d.mean)} [${f(d.low)}, ${f(d.high)}]`;
}
