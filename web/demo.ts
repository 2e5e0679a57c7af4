// What the demo page computes, without the page: both summaries of one product
// by the main job's own code (runMethods), and the sentence graph to draw.
// Kept free of the DOM so that the browser test can run it in Node as well.

import { knnGraph, shortestPaths } from "geodesic-knn";
import {
  rougeTokens,
  runMethods,
  SCORED_METHODS,
  sifEmbedder,
  summarize,
  TfIdf,
  WordCounts,
  type Entity,
  type MethodSummary,
  type WordVectors,
} from "geodesic-knn/summarize";
import { isomap2d } from "./project.js";

export interface DemoResult {
  geodesic: MethodSummary;
  cosine: MethodSummary;
  /** Every sentence's geodesic distance from the centre; Infinity where not scored. */
  distances: Float64Array;
  /** The sentences in the graph (those with words), and their 2-D positions, x then y. */
  nodes: number[];
  positions: Float64Array;
  /** Where the centre goes in the picture: among the nodes it is attached to. */
  centre: [number, number];
  /** Graph edges as pairs of sentence indices, each once. */
  edges: [number, number][];
}

/**
 * Summarizes `entity` by geodesic closeness and by cosine to the mean SIF
 * embedding, with SIF word counts taken from the entity's own sentences.
 */
export function summarizeBoth(entity: Entity, vectors: WordVectors, budget: number): DemoResult {
  const counts = new WordCounts();
  for (const sentence of entity.sentences) counts.add(sentence);
  const embeddings = sifEmbedder(vectors, { counts }).embed(entity.sentences);
  const [geodesic, cosine] = runMethods(entity, embeddings, ["geodesic", "cosine"], { budget });

  // the geodesic method's own space and options, for every sentence's distance from the centre
  const points = new TfIdf(entity.sentences.map((s) => rougeTokens(s))).dense();
  const { options } = SCORED_METHODS.geodesic;
  const { distances } = summarize(entity.sentences, points, { ...options, budget });

  // the graph over the scored sentences, built as summarize() builds it (k = round(√n))
  const nodes = [...distances.keys()].filter((i) => Number.isFinite(distances[i]));
  const rows = new Float32Array(nodes.length * points.dim);
  nodes.forEach((i, r) =>
    rows.set(points.data.subarray(i * points.dim, (i + 1) * points.dim), r * points.dim),
  );
  const sub = { data: rows, rows: nodes.length, dim: points.dim };
  const edges: [number, number][] = [];
  const n = nodes.length;
  if (n < 2)
    return {
      geodesic,
      cosine,
      distances,
      nodes,
      positions: new Float64Array(2 * n),
      edges,
      centre: [0, 0],
    };
  const k = Math.max(1, Math.min(Math.round(Math.sqrt(n)), n - 1));
  const graph = knnGraph(sub, { k, metric: options.metric });
  for (let u = 0; u < n; u++) {
    for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
      if (graph.targets[e] > u) edges.push([nodes[u], nodes[graph.targets[e]]]);
    }
  }

  // positions that keep the geodesic distances; the centre at the mean of its k nearest nodes
  const all = shortestPaths(graph, [...nodes.keys()]).distances;
  const positions = isomap2d(all, n);
  const nearest = [...nodes.keys()].sort((a, b) => distances[nodes[a]] - distances[nodes[b]]);
  const centre: [number, number] = [0, 0];
  for (const r of nearest.slice(0, k)) {
    centre[0] += positions[2 * r] / k;
    centre[1] += positions[2 * r + 1] / k;
  }
  return { geodesic, cosine, distances, nodes, positions, edges, centre };
}
