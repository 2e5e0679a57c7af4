// Optional WebAssembly features of the running engine, found by validating
// tiny modules: the one test that answers the same way in Node, Deno and
// browsers, and compiles nothing.

// `(func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0)
// (v128.const 0)))`: valid only where relaxed SIMD is (Chrome 114+, Node 22+,
// Node 20 with --experimental-wasm-relaxed-simd).
// prettier-ignore
const RELAXED_SIMD_PROBE = /* @__PURE__ */ new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code section: one body of 59 bytes, no locals
  0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
  0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
  0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 0x105)
  0x0b, // end
]);

let relaxed: boolean | undefined;

/**
 * True where the engine validates relaxed SIMD. The relaxed build of the
 * kernels then replaces the default one: its fused multiply-adds speed up
 * the kNN screening, and the graphs it builds are the same bit for bit
 * (the screening only shortlists; every kept key is computed exactly).
 */
export function hasRelaxedSimd(): boolean {
  relaxed ??= WebAssembly.validate(RELAXED_SIMD_PROBE);
  return relaxed;
}

type ExistsSync = { existsSync(path: URL): boolean };

/**
 * Whether the file behind `url` is there: checked for file: URLs where
 * node:fs is at hand, assumed elsewhere (a page's assets ship together).
 */
export function shipped(url: URL): boolean {
  if (url.protocol !== "file:") return true;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.("node:fs") as ExistsSync | undefined;
  return fs ? fs.existsSync(url) : true;
}
