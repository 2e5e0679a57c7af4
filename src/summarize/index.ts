// geodesic-knn/summarize: extractive opinion summarization by geodesic
// scoring, with the pieces it is made of (sentences, embedders, baselines,
// selection, ROUGE). Browser-safe; Node file readers live in the CLI.

export {
  summarize,
  SCORINGS,
  type Scoring,
  type SummarizeOptions,
  type Summary,
  type SummarySentence,
} from "./summarize.js";
export { splitSentences, countWords } from "./sentences.js";
export {
  sifEmbedder,
  meanEmbedder,
  wordTokens,
  WordCounts,
  type Embedder,
  type SifOptions,
} from "./embed.js";
export { parseWordVectors, type WordVectors } from "./vectors.js";
export { rouge, rougeTokens, rougeFromTokens, type RougeScore, type RougeScores } from "./rouge.js";
export { selectGreedy, summaryText, orderByScore, type SelectOptions } from "./select.js";
export { TfIdf } from "./tfidf.js";
export {
  leadScores,
  randomOrder,
  centroidScores,
  lexRankScores,
  oracleOrder,
} from "./baselines.js";
export { pairedBootstrap, mean } from "./stats.js";
export { parseAmazon, parseOposumAspects, type Entity } from "./datasets.js";
export {
  METHODS,
  SCORED as SCORED_METHODS,
  runMethods,
  type Method,
  type MethodSummary,
  type RunOptions,
} from "./evaluate.js";
