import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    inline: "src/inline.ts",
    "summarize/index": "src/summarize/index.ts",
    cli: "src/cli.ts",
    // the pool's worker: createPool loads it from beside the bundle
    worker: "src/worker.ts",
  },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  external: [/^node:/],
});
