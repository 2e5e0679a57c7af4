// The pool's worker straight from the TypeScript sources, for tests and
// benchmarks that run under vitest or tsx (Node cannot load src/worker.ts
// by itself): pass this file as createPool's `worker` option. A package
// user never needs it: dist/worker.js is the default.
import { register } from "tsx/esm/api";

register();
await import("../src/worker.ts");
