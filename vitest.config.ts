import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // merges the counts for the README's Guarantees table; see test/guarantee.ts
    globalSetup: ["test/guarantees-setup.ts"],
  },
});
