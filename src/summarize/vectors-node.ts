// Node-only loader for the built word vectors; the browser fetches the same file and calls
// parseWordVectors itself. Kept apart from vectors.ts so that browser bundles never see node:.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { packageRoot } from "../root-node.js";
import { parseWordVectors, type WordVectors } from "./vectors.js";

/**
 * Path of the built word vectors inside this package (the file may not
 * exist yet): build/vectors/glove-100d.bin under the package root.
 */
export function defaultVectorsPath(): string {
  return join(packageRoot(), "build", "vectors", "glove-100d.bin");
}

/**
 * Load the word vectors built by `npm run build` (scripts/build-vectors.mjs): about 11 MB
 * read and parsed in milliseconds.
 *
 * @param path the file; defaults to build/vectors/glove-100d.bin in this package
 * @returns the vectors
 * @throws Error naming the path and the build command when the file is missing; the errors of
 *   parseWordVectors when it is damaged
 */
export async function loadWordVectors(path: string = defaultVectorsPath()): Promise<WordVectors> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        `word vectors not found at ${path}: run \`npm run build\` ` +
          "(or `node scripts/build-vectors.mjs`) in the geodesic-knn package to create them",
      );
    }
    throw error;
  }
  return parseWordVectors(bytes);
}
