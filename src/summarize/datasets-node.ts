// File readers for the review sets. Kept apart from datasets.ts so that the parsers there
// stay free of node:fs and can be bundled for a browser.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Entity,
  type OposumAspects,
  mergeOposum,
  parseAmazon,
  parseOposumAspects,
  parseOposumSummary,
  parseOposumSummaryName,
} from "./datasets.js";

/**
 * Read the Amazon (Copycat) tab-separated file, e.g. `data/amazon-copycat/dev.csv`.
 *
 * @param path the file
 * @returns one entity per product, in file order
 * @throws Error naming the file and line of malformed content (see `parseAmazon`)
 */
export async function readAmazon(path: string): Promise<Entity[]> {
  return parseAmazon(await readFile(path, "utf8"), path);
}

/**
 * Read an OPOSUM folder, e.g. `data/oposum`: every domain with a `DOMAIN-dev.asp` or
 * `DOMAIN-tst.asp` file in `dir/aspects`, domains in name order, dev and tst merged per
 * product, and the references from `dir/summaries/DOMAIN/all`, ordered by annotator letter.
 *
 * @param dir the OPOSUM folder
 * @returns one entity per product
 * @throws Error naming the file and line, when there are no aspect files, an aspect file is
 *   malformed, the summaries folder of a domain is missing, or a product has no reference
 */
export async function readOposum(dir: string): Promise<Entity[]> {
  const aspectsDir = join(dir, "aspects");
  const names = await listFolder(aspectsDir, "a folder of DOMAIN-dev.asp and DOMAIN-tst.asp files");

  // dev before tst, so a product's first appearance is in dev
  const domains = new Map<string, string[]>();
  for (const split of ["dev", "tst"]) {
    for (const name of names) {
      const match = /^(.+)-(dev|tst)\.asp$/.exec(name);
      if (match === null || match[2] !== split) continue;
      domains.set(match[1], [...(domains.get(match[1]) ?? []), join(aspectsDir, name)]);
    }
  }
  if (domains.size === 0) {
    throw new Error(`${aspectsDir}: expected DOMAIN-dev.asp or DOMAIN-tst.asp files, found none`);
  }

  const entities: Entity[] = [];
  for (const [domain, paths] of [...domains].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const files: OposumAspects[] = [];
    for (const path of paths) {
      files.push(parseOposumAspects(await readFile(path, "utf8"), domain, path));
    }
    const folder = join(dir, "summaries", domain, "all");
    const references = await readReferences(folder, domain, files[0].source);
    entities.push(...mergeOposum(files, references, folder));
  }
  return entities;
}

/** Reference summaries of one domain by product id, one string per annotator. */
async function readReferences(
  folder: string,
  domain: string,
  neededBy: string,
): Promise<Map<string, string[]>> {
  const expected = `a folder of reference summaries of domain ${domain}`;
  const names = await listFolder(folder, expected, `${neededBy}:1`);

  // sorted names put each product's annotators in letter order
  const references = new Map<string, string[]>();
  for (const name of names) {
    const parsed = parseOposumSummaryName(name, domain);
    if (parsed === null) continue;
    const path = join(folder, name);
    const summary = parseOposumSummary(await readFile(path, "utf8"), path);
    references.set(parsed.product, [...(references.get(parsed.product) ?? []), summary]);
  }
  return references;
}

/**
 * The sorted file names in `folder`; a missing folder becomes an Error that says what was
 * expected there, prefixed by `at` (the file and line that needs it) when given.
 */
async function listFolder(folder: string, expected: string, at?: string): Promise<string[]> {
  try {
    return (await readdir(folder)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
    const where = at === undefined ? folder : `${at}: ${folder}`;
    throw new Error(`${where}: expected ${expected}, but it is missing`);
  }
}
