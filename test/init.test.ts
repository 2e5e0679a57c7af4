// init() and initSync() from every kind of source they accept, each on a fresh
// copy of the module (vi.resetModules), since a loaded module stays loaded.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

type Lib = typeof import("../src/index.js");

const wasmUrl = new URL("../build/geodesic.wasm", import.meta.url);
const bytes = new Uint8Array(readFileSync(wasmUrl));

// a fresh copy of the library, not yet initialized
async function fresh(): Promise<Lib> {
  vi.resetModules();
  return import("../src/index.js");
}

// the library answers correctly once initialized
function works(lib: Lib): void {
  const points = [[0], [1], [3], [7]];
  const graph = lib.knnGraph(points, { k: 1 });
  expect(Array.from(lib.shortestPaths(graph, [0]).distances)).toEqual([0, 1, 3, 7]);
}

// the .wasm over HTTP on 127.0.0.1, and a 404 for anything else
let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/geodesic.wasm") {
      response.writeHead(200, { "content-type": "application/wasm" }).end(bytes);
    } else {
      response.writeHead(404).end("not here");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => vi.restoreAllMocks());

describe("init", () => {
  const sources: [string, () => unknown][] = [
    ["nothing (the .wasm beside the package)", () => undefined],
    ["a file: URL", () => wasmUrl],
    ["a file: URL as a string", () => wasmUrl.href],
    ["an http: URL", () => new URL("/geodesic.wasm", base)],
    ["a Response", () => new Response(bytes)],
    ["a Promise of a Response (fetch)", () => fetch(`${base}/geodesic.wasm`)],
    ["a Uint8Array", () => bytes],
    ["an ArrayBuffer", () => bytes.slice().buffer],
    ["a WebAssembly.Module", () => new WebAssembly.Module(bytes)],
  ];
  for (const [what, source] of sources) {
    it(`init(${what}) does compile and instantiate the module`, async () => {
      const lib = await fresh();
      await lib.init(source() as never);
      works(lib);
    });
  }

  it("init() does nothing more on a second call and resolves at once", async () => {
    const lib = await fresh();
    await lib.init(bytes);
    await lib.init(new URL("/missing.wasm", base));
    works(lib);
  });

  it("init(URL of a missing file) does reject naming the URL and the HTTP status", async () => {
    const lib = await fresh();
    await expect(lib.init(new URL("/missing.wasm", base))).rejects.toThrow(
      /init: fetching http:\/\/127\.0\.0\.1:\d+\/missing\.wasm failed with HTTP 404/,
    );
    // a failed init can be retried
    await lib.init(bytes);
    works(lib);
  });

  it("init(Response with status 404) does reject naming the status", async () => {
    const lib = await fresh();
    await expect(lib.init(new Response("not here", { status: 404 }))).rejects.toThrow(/HTTP 404/);
  });

  it("init(42) does reject with a TypeError saying what it accepts", async () => {
    const lib = await fresh();
    await expect(lib.init(42 as never)).rejects.toThrow(
      /init: source is number 42; expected a URL, a string, a Response/,
    );
  });

  it("init() does reject saying SIMD128 is required where validate() refuses it", async () => {
    const lib = await fresh();
    const validate = vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    await expect(lib.init(bytes)).rejects.toThrow(
      /init: this runtime lacks WebAssembly SIMD128 .*expected Node 16.4\+/,
    );
    expect(validate).toHaveBeenCalledTimes(1);
    // the probe is a real SIMD module: this runtime has SIMD and accepts it
    const probe = validate.mock.calls[0][0] as Uint8Array<ArrayBuffer>;
    validate.mockRestore();
    expect(WebAssembly.validate(probe)).toBe(true);
    expect(probe[probe.length - 19]).toBe(0xfd); // the SIMD prefix byte of v128.const
    await lib.init(bytes);
    works(lib);
  });
});

describe("initSync", () => {
  it("initSync() does read the .wasm beside the package", async () => {
    const lib = await fresh();
    lib.initSync();
    works(lib);
  });

  it("initSync(bytes) and initSync(WebAssembly.Module) do instantiate", async () => {
    const a = await fresh();
    a.initSync(bytes);
    works(a);
    const b = await fresh();
    b.initSync(new WebAssembly.Module(bytes));
    works(b);
  });

  it("initSync() does throw saying SIMD128 is required where validate() refuses it", async () => {
    const lib = await fresh();
    vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    expect(() => lib.initSync(bytes)).toThrow(/initSync: this runtime lacks WebAssembly SIMD128/);
  });

  it("knnGraph() before init does throw saying to call init", async () => {
    const lib = await fresh();
    expect(() => lib.knnGraph([[0], [1]], { k: 1 })).toThrow(/not initialized: await init\(\)/);
  });
});

describe("geodesic-knn/inline", () => {
  it("inlineBytes() does return exactly build/geodesic.wasm", async () => {
    vi.resetModules();
    const inline = await import("../src/inline.js");
    expect(inline.inlineBytes()).toEqual(bytes);
  });

  it("initSync() from the inline entry does instantiate without reading any file", async () => {
    vi.resetModules();
    const inline = await import("../src/inline.js");
    const readFile = vi.fn();
    vi.stubGlobal("fetch", readFile);
    inline.initSync();
    works(inline as unknown as Lib);
    expect(readFile).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
