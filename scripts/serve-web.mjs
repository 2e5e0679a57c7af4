#!/usr/bin/env node
// Serves the built demo page (build/web/) on 127.0.0.1 only: `npm run demo`,
// then open the address it prints. PORT picks the port (default 8080; 0 for
// any free one). The browser test starts the same server on a random port.

import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
};

/**
 * Starts a static file server for `root` on 127.0.0.1.
 * @returns the server and its base URL, once it listens
 */
export async function serve(root, port = 0) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    // nothing outside root, whatever the path says
    const inside = file.startsWith(normalize(root + sep));
    const stat = inside ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!stat?.isFile()) {
      response.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}\n`);
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": stat.size,
    });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL("../build/web/", import.meta.url));
  if (!statSync(join(root, "index.html"), { throwIfNoEntry: false })) {
    process.stderr.write("serve-web: build/web/index.html is missing; run `npm run build` first\n");
    process.exit(1);
  }
  const { url } = await serve(root, Number(process.env.PORT ?? 8080));
  process.stdout.write(`geodesic-knn demo: ${url} (Ctrl-C to stop)\n`);
}
