// Where this package is installed, from Node: the bundled data and the built
// word vectors live there.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root: the nearest directory above this module holding a
 * package.json. Climbing (rather than a fixed "../..") works from src/
 * under tsx and vitest, from dist/ and from a shared chunk tsup emits.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 5; level++) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dirname(fileURLToPath(import.meta.url)), "..");
}
