// The main job's comparison: every method on every product, each summary
// scored with ROUGE against the human references.

import {
  centroidScores,
  leadScores,
  lexRankScores,
  oracleOrder,
  randomOrder,
} from "./baselines.js";
import type { Entity } from "./datasets.js";
import { rouge, rougeTokens, type RougeScores } from "./rouge.js";
import { orderByScore, selectGreedy } from "./select.js";
import { mean, pairedBootstrap, type Interval } from "./stats.js";
import { summarize, type SummarizeOptions, type SummarySentence } from "./summarize.js";
import { TfIdf } from "./tfidf.js";

export const METHODS = [
  "geodesic",
  "geodesic-centre",
  "cosine",
  "centroid",
  "lexrank",
  "lead",
  "random",
  "oracle",
] as const;
export type Method = (typeof METHODS)[number];

/** One method's summary of one product. */
export interface MethodSummary {
  dataset: string;
  domain: string;
  entity: string;
  method: Method;
  /** Chosen sentence indices, in input order. */
  indices: number[];
  summary: string;
  /** With summarize()-based methods: each chosen sentence's score and path from the centre. */
  sentences?: SummarySentence[];
  /** Mean over references; for "random", also the mean over the seeds. */
  rouge?: RougeScores;
  /** Why the summary is empty, when a method had nothing to work on. */
  note?: string;
}

export interface RunOptions {
  budget: number;
  /** Seeds averaged for the random baseline. Default 5. */
  seeds?: number;
  /** Neighbours per sentence in the geodesic methods' graphs. Default round(√n). */
  k?: number;
  /**
   * An aspect to summarize around instead of the whole: its text (for the
   * TF-IDF space) and its embedding (for the embedding space). The
   * geodesic method then scores by geodesic distance from the aspect.
   */
  aspect?: { text: string; embedding: Float32Array };
}

/**
 * How each summarize()-based method scores, and in which space:
 * - geodesic: closeness centrality (1 / mean geodesic distance to every
 *   sentence) over the kNN graph of the TF-IDF rows, 1 - cos edges;
 * - geodesic-centre: 1 / geodesic distance from the mean embedding;
 * - cosine: cosine to the mean embedding (no graph).
 */
export const SCORED: Record<string, { space: "tfidf" | "embeddings"; options: SummarizeOptions }> =
  {
    geodesic: { space: "tfidf", options: { scoring: "centrality", metric: "cosine" } },
    "geodesic-centre": { space: "embeddings", options: { scoring: "geodesic" } },
    cosine: { space: "embeddings", options: { scoring: "cosine" } },
  };

/** Runs `methods` on one product whose sentence embeddings are `embeddings`. */
export function runMethods(
  entity: Entity,
  embeddings: Float32Array,
  methods: readonly Method[],
  options: RunOptions,
): MethodSummary[] {
  const { sentences, references } = entity;
  const { budget } = options;
  const tfidf = new TfIdf(sentences.map((s) => rougeTokens(s)));
  const similarity = (i: number, j: number) => tfidf.cosine(i, j);
  const greedy = (order: number[]) =>
    selectGreedy(order, sentences, { budget, similarity }).sort((a, b) => a - b);
  const score = (indices: number[]) =>
    references.length ? rouge(joined(sentences, indices), references) : undefined;
  const base = { dataset: entity.dataset, domain: entity.domain, entity: entity.id };

  return methods.map((method): MethodSummary => {
    const scored = SCORED[method];
    const empty = (note: string): MethodSummary => ({
      ...base,
      method,
      indices: [],
      summary: "",
      rouge: score([]),
      note,
    });
    if (scored) {
      const why = unusable(scored.space, entity, tfidf, options.aspect);
      if (why) return empty(why);
      const { points, centre } = space(scored.space, entity, tfidf, embeddings, options.aspect);
      const aspectScoring = centre && scored.options.scoring === "centrality";
      const result = summarize(sentences, points, {
        ...scored.options,
        ...(aspectScoring ? { scoring: "geodesic" } : {}),
        centre,
        budget,
        k: options.k,
      });
      const indices = result.selected.map((s) => s.index);
      return {
        ...base,
        method,
        indices,
        summary: result.text,
        sentences: result.selected,
        rouge: score(indices),
      };
    }
    if (method === "random") return randomMean(base, sentences, options, greedy, score);
    if (method === "oracle" && references.length === 0) return empty("no references");
    const order =
      method === "oracle"
        ? oracleOrder(sentences, references, budget)
        : orderByScore(
            method === "lead"
              ? leadScores(sentences.length)
              : method === "centroid"
                ? centroidScores(tfidf)
                : lexRankScores(tfidf),
          );
    const indices = method === "oracle" ? [...order].sort((a, b) => a - b) : greedy(order);
    return { ...base, method, indices, summary: joined(sentences, indices), rouge: score(indices) };
  });
}

// why a TF-IDF-space method cannot run on this product, if it cannot
function unusable(
  kind: "tfidf" | "embeddings",
  entity: Entity,
  tfidf: TfIdf,
  aspect: RunOptions["aspect"],
): string | undefined {
  if (kind !== "tfidf") return undefined;
  if (tfidf.terms.length === 0) return "no sentence has a word";
  if (aspect && !rougeTokens(aspect.text).some((term) => tfidf.column(term) >= 0)) {
    return `the reviews of ${entity.id} never mention "${aspect.text}"`;
  }
  return undefined;
}

// the rows a summarize()-based method works on, and the aspect's centre there
function space(
  kind: "tfidf" | "embeddings",
  entity: Entity,
  tfidf: TfIdf,
  embeddings: Float32Array,
  aspect: RunOptions["aspect"],
): { points: { data: Float32Array; rows: number; dim: number }; centre?: Float32Array } {
  const rows = entity.sentences.length;
  if (kind === "embeddings") {
    const dim = embeddings.length / Math.max(rows, 1);
    return { points: { data: embeddings, rows, dim }, centre: aspect?.embedding };
  }
  if (!aspect) return { points: tfidf.dense() };

  // the aspect as one more document, so that it shares the product's idf
  const withAspect = new TfIdf([...entity.sentences, aspect.text].map((s) => rougeTokens(s)));
  const all = withAspect.dense();
  const centre = all.data.slice(rows * all.dim);
  return { points: { data: all.data.subarray(0, rows * all.dim), rows, dim: all.dim }, centre };
}

function randomMean(
  base: Pick<MethodSummary, "dataset" | "domain" | "entity">,
  sentences: string[],
  options: RunOptions,
  greedy: (order: number[]) => number[],
  score: (indices: number[]) => RougeScores | undefined,
): MethodSummary {
  const runs = Array.from({ length: options.seeds ?? 5 }, (_, s) =>
    greedy(randomOrder(sentences.length, s + 1)),
  );
  const scores = runs.map(score).filter((r): r is RougeScores => r !== undefined);
  const avg = (pick: (r: RougeScores) => RougeScores["rouge1"]) => ({
    precision: mean(scores.map((r) => pick(r).precision)),
    recall: mean(scores.map((r) => pick(r).recall)),
    f1: mean(scores.map((r) => pick(r).f1)),
  });
  const rougeMean = scores.length
    ? { rouge1: avg((r) => r.rouge1), rouge2: avg((r) => r.rouge2), rougeL: avg((r) => r.rougeL) }
    : undefined;
  return {
    ...base,
    method: "random",
    indices: runs[0],
    summary: joined(sentences, runs[0]),
    rouge: rougeMean,
  };
}

function joined(sentences: readonly string[], indices: readonly number[]): string {
  return indices.map((i) => sentences[i].trim()).join(" ");
}

/** One row of a dataset's table: mean F1 x 100 over products. */
export interface MethodRow {
  method: Method;
  rouge1: number;
  rouge2: number;
  rougeL: number;
  /** ROUGE-L F1 x 100 of geodesic minus this method: mean and 95% bootstrap interval. */
  geodesicMinus?: Interval;
}

/** Mean ROUGE per method over products, and the paired geodesic difference. */
export function tabulate(
  results: readonly MethodSummary[],
  methods: readonly Method[],
): MethodRow[] {
  const by = (m: Method) => results.filter((r) => r.method === m && r.rouge);
  const geodesic = by("geodesic").map((r) => 100 * r.rouge!.rougeL.f1);
  return methods.map((method) => {
    const rows = by(method);
    const rl = rows.map((r) => 100 * r.rouge!.rougeL.f1);
    const row: MethodRow = {
      method,
      rouge1: 100 * mean(rows.map((r) => r.rouge!.rouge1.f1)),
      rouge2: 100 * mean(rows.map((r) => r.rouge!.rouge2.f1)),
      rougeL: mean(rl),
    };
    if (method !== "geodesic" && geodesic.length === rl.length && rl.length > 0) {
      row.geodesicMinus = pairedBootstrap(geodesic, rl);
    }
    return row;
  });
}
