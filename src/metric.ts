// Metric and mode names, and the codes the WebAssembly kernels use.

export type Metric = "euclidean" | "sqeuclidean" | "cosine" | "angular";
export type Mode = "union" | "mutual" | "directed";
export type Connect = "bridge" | "none" | "error";

export const METRICS: readonly Metric[] = ["euclidean", "sqeuclidean", "cosine", "angular"];
export const MODES: readonly Mode[] = ["union", "mutual", "directed"];
export const CONNECTS: readonly Connect[] = ["bridge", "none", "error"];

/** Kernel code of each metric; must match assembly/distance.ts. */
export const METRIC_CODE: Record<Metric, number> = {
  euclidean: 0,
  sqeuclidean: 1,
  cosine: 2,
  angular: 3,
};

export function isCosineLike(metric: Metric): boolean {
  return metric === "cosine" || metric === "angular";
}
