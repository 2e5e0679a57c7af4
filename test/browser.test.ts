// The demo page in Debian's Chromium (playwright-core, headless): served from
// build/web on 127.0.0.1, it must load with no request leaving this machine,
// summarize a bundled product, and show the summaries that Node computes with
// the main job's own code (runMethods) for the same input. It saves a
// screenshot to docs/demo.png, which the README shows.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { serve } from "../scripts/serve-web.mjs";
import { initSync } from "../src/index.js";
import { parseWordVectors, runMethods, sifEmbedder, WordCounts } from "../src/summarize/index.js";
import type { Entity } from "../src/summarize/datasets.js";

const CHROMIUM = "/usr/bin/chromium";
const WEB = join(import.meta.dirname, "..", "build", "web");
const SCREENSHOT = join(import.meta.dirname, "..", "docs", "demo.png");

let server: Server;
let url: string;
let context: BrowserContext;
let page: Page;
let profile: string;
const outside: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  }
  if (!existsSync(join(WEB, "index.html"))) {
    throw new Error(`${WEB}/index.html is missing: run \`npm run build\` first`);
  }
  ({ server, url } = await serve(WEB, 0));
  profile = mkdtempSync(join(tmpdir(), "geodesic-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });

  // the page must run offline: anything not from our server is refused and recorded
  await context.route("**/*", (route) => {
    const target = route.request().url();
    if (target.startsWith(url) || target.startsWith("data:")) return route.continue();
    outside.push(target);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  await page.waitForSelector("body[data-state=done]", { timeout: 30_000 });
});

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// the same input through the main job's code in Node: SIF counts from the product itself
function inNode(entity: Entity, budget: number) {
  // the very module the page loads, so that no other build (relaxed SIMD) can differ by an ulp
  initSync(readFileSync(join(WEB, "geodesic.wasm")));
  const vectors = parseWordVectors(readFileSync(join(WEB, "glove-100d.bin")));
  const counts = new WordCounts();
  for (const sentence of entity.sentences) counts.add(sentence);
  const embeddings = sifEmbedder(vectors, { counts }).embed(entity.sentences);
  const [geodesic, cosine] = runMethods(entity, embeddings, ["geodesic", "cosine"], { budget });
  return { geodesic, cosine };
}

async function shown(method: "geodesic" | "cosine") {
  return {
    summary: await page.getAttribute(`#${method}`, "data-summary"),
    scores: await page.$$eval(`#${method} .score`, (cells) => cells.map((c) => c.textContent)),
  };
}

describe("the demo page", () => {
  it("page load does fetch nothing from outside 127.0.0.1 and logs no error", () => {
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("selecting a bundled product does show the summaries Node computes for it", async () => {
    const products = JSON.parse(readFileSync(join(WEB, "products.json"), "utf8"));
    const index = products.findIndex((p: Entity) => p.dataset === "amazon");
    expect(index).toBeGreaterThan(0);
    await page.evaluate(() => (document.body.dataset.state = "busy"));
    await page.selectOption("#product", String(index));
    await page.waitForSelector("body[data-state=done]");

    const want = inNode(products[index], products[index].budget);
    for (const method of ["geodesic", "cosine"] as const) {
      const got = await shown(method);
      expect(got.summary).toBe(want[method].summary);
      expect(got.scores).toEqual(want[method].sentences!.map((s) => s.score.toPrecision(3)));
    }
    expect(await page.locator("#geodesic .rouge").textContent()).toMatch(/ROUGE-1 \/ 2 \/ L/);
  });

  it("the first product's picture does draw each sentence and ring the chosen", async () => {
    await page.evaluate(() => (document.body.dataset.state = "busy"));
    await page.selectOption("#product", "0");
    await page.waitForSelector("body[data-state=done]");
    const products = JSON.parse(readFileSync(join(WEB, "products.json"), "utf8"));
    const want = inNode(products[0], products[0].budget);

    const dots = await page.locator("#picture circle[data-sentence]").count();
    const edges = await page.locator("#picture line.edge").count();
    const rings = await page.locator("#picture circle:not([data-sentence])").count();
    expect(dots).toBeGreaterThan(0.9 * products[0].sentences.length);
    expect(edges).toBeGreaterThanOrEqual(dots - 1); // connected: at least a spanning tree
    expect(rings).toBe(want.geodesic.indices.length + want.cosine.indices.length);
    expect(await page.getAttribute("#geodesic", "data-summary")).toBe(want.geodesic.summary);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe("PNG");
  });

  it("pasted reviews are summarized as one product", async () => {
    await page.evaluate(() => (document.body.dataset.state = "busy"));
    await page.click("#paste-box summary");
    await page.fill(
      "#paste",
      "The kettle boils fast. The handle gets hot.\n\nBoils quickly and quietly. " +
        "Great value.\n\nFast to boil and easy to pour. The lid is stiff.",
    );
    await page.click("#run");
    await page.waitForSelector("body[data-state=done]");
    const summary = await page.getAttribute("#geodesic", "data-summary");
    expect(summary!.length).toBeGreaterThan(0);
    expect(await page.textContent("#status")).toMatch(/^6 sentences/);
    await page.fill("#paste", "");
  });
});
