// geodesic-knn/inline: the whole API, with the .wasm embedded in the JavaScript
// as base64 (generated at build time by scripts/build-inline.mjs). For bundlers
// and hosts that do not copy the asset behind `new URL(..., import.meta.url)`
// (esbuild, a single-file bundle, a CDN that serves only .js), at the cost of
// about a third more bytes than the .wasm itself and no streaming compilation.

import { WASM_BASE64 } from "../build/wasm-inline.js";
import { init as initFrom, initSync as initSyncFrom, type WasmSource } from "./wasm.js";

export * from "./index.js";

/**
 * Compiles and instantiates the embedded WebAssembly module (idempotent).
 * A `source` given anyway is used instead, as with the main entry.
 */
export function init(source?: WasmSource): Promise<void> {
  return initFrom(source ?? inlineBytes());
}

/** Synchronous `init` from the embedded bytes: works anywhere, browsers included. */
export function initSync(source?: BufferSource | WebAssembly.Module): void {
  initSyncFrom(source ?? inlineBytes());
}

/** The embedded .wasm, decoded. */
export function inlineBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
