// Entities from JSON Lines: one product per line, for reviews that come
// from anywhere. Browser-safe.

import type { Entity } from "./datasets.js";
import { splitSentences } from "./sentences.js";

/**
 * Parses JSONL where each line is `{"id", "sentences": [...]}`, or
 * `{"id", "reviews": [...]}` (split into sentences), or `{"id", "text"}`,
 * with optional `"references": [...]`. Errors name the source and line.
 */
export function parseEntitiesJsonl(text: string, source = "<jsonl>"): Entity[] {
  const entities: Entity[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `${source}:${index + 1}`;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: expected a JSON object, got ${(error as Error).message}`);
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new Error(`${where}: expected a JSON object per line`);
    }
    const strings = (key: string): string[] | undefined => {
      const value = row[key];
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || value.some((s) => typeof s !== "string")) {
        throw new Error(`${where}: expected "${key}" to be an array of strings`);
      }
      return value as string[];
    };
    const reviews = strings("reviews") ?? (typeof row.text === "string" ? [row.text] : undefined);
    const given = strings("sentences");
    if (!given && !reviews) {
      throw new Error(`${where}: expected "sentences", "reviews" or "text"`);
    }
    const split = given ? given.map((s) => [s]) : reviews!.map((r) => splitSentences(r));
    // a product with nothing to summarize would come out as empty summaries
    if (split.every((s) => s.length === 0)) {
      throw new Error(`${where}: expected at least one sentence, got none`);
    }
    entities.push({
      dataset: "jsonl",
      domain: typeof row.domain === "string" ? row.domain : "",
      id:
        typeof row.id === "string" || typeof row.id === "number"
          ? String(row.id)
          : `line-${index + 1}`,
      sentences: split.flat(),
      review: split.flatMap((s, r) => s.map(() => (given ? 0 : r))),
      references: strings("references") ?? [],
    });
  });
  return entities;
}
