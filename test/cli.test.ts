import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METHODS } from "../src/summarize/evaluate.js";
import { EMBEDDING_FORMATS } from "../src/summarize/job.js";

// the CLI as a user runs it, from source through tsx (no build needed)
function geodesic(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const reviews = "test/fixtures/cli/reviews.jsonl";

describe("geodesic summarize", () => {
  it("geodesic summarize --json writes one parseable object per summary with every key", () => {
    const r = geodesic(
      "summarize",
      "--input",
      reviews,
      "--json",
      "--budget",
      "12",
      "--methods",
      "geodesic,cosine,lead",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.entity}/${l.method}`)).toEqual([
      "kettle/geodesic",
      "kettle/cosine",
      "kettle/lead",
      "bag/geodesic",
      "bag/cosine",
      "bag/lead",
    ]);
    for (const l of lines) {
      expect(Object.keys(l).slice(0, 4)).toEqual(["dataset", "entity", "method", "summary"]);
      expect(l.summary.length).toBeGreaterThan(0);
    }

    // ROUGE only where there are references
    expect(Object.keys(lines[0].rouge)).toEqual(["rouge1", "rouge2", "rougeL"]);
    expect(lines[3].rouge).toBeUndefined();
  });

  it("geodesic summarize writes its report and summaries to --out", () => {
    const out = mkdtempSync(join(tmpdir(), "geodesic-out-"));
    const r = geodesic("summarize", "--input", reviews, "--out", out, "--methods", "geodesic,lead");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/method\s+ROUGE-1\s+ROUGE-2\s+ROUGE-L/);
    const saved = JSON.parse(readFileSync(join(out, "summaries.json"), "utf8"));
    expect(saved.length).toBe(4);
    expect(saved[0].sentences[0].path.length).toBeGreaterThan(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/^# Summaries/);
  });

  it("geodesic summarize --embeddings (.npy, .csv, .jsonl) does give one summary", () => {
    const dir = mkdtempSync(join(tmpdir(), "geodesic-emb-"));
    const rows = Array.from({ length: 13 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), 0.25]);
    writeFileSync(join(dir, "emb.csv"), rows.map((r) => r.join(",")).join("\n"));
    writeFileSync(join(dir, "emb.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
    execFileSync("/usr/bin/python3", [
      "-c",
      "import sys, numpy as np; np.save(sys.argv[2], np.loadtxt(sys.argv[1], delimiter=','))",
      join(dir, "emb.csv"),
      join(dir, "emb.npy"),
    ]);
    const outputs = ["npy", "csv", "jsonl"].map((ext) => {
      const args = ["--input", reviews, "--embeddings", join(dir, `emb.${ext}`)];
      const r = geodesic("summarize", ...args, "--methods", "cosine", "--json", "--budget", "12");
      expect(r.stderr).toBe("");
      return r.stdout;
    });
    expect(outputs[0]).toMatch(/"method":"cosine"/);
    expect(new Set(outputs).size).toBe(1);
  });

  it("geodesic summarize without references does print each product's summaries", () => {
    const dir = mkdtempSync(join(tmpdir(), "geodesic-own-"));
    const own = join(dir, "own.jsonl");
    writeFileSync(own, readFileSync(reviews, "utf8").trim().split("\n")[1] + "\n");
    const out = join(dir, "results");
    const r = geodesic("summarize", "--input", own, "--out", out, "--budget", "12");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^JSONL: 1 product \(none with references\), budget 12 words$/m);
    expect(r.stdout).not.toMatch(/ROUGE-1|ROUGE F1/);
    // every method's summary, under the product's id
    expect(r.stdout).toMatch(/^bag$/m);
    for (const method of METHODS.filter((m) => m !== "oracle")) {
      expect(r.stdout).toMatch(new RegExp(`^  ${method}: +[A-Z][^\\n]*\\.$`, "m"));
    }
    expect(r.stdout).toMatch(/^  oracle: +\(none: no references\)$/m);
    expect(r.stdout).toMatch(/^8 summaries in /m);
    // the files are no result: where they went is said on stderr
    expect(r.stderr).toBe(
      `Wrote ${join(out, "summaries.json")} and ${join(out, "report.md")} ` +
        "(--out DIR for elsewhere, - for none).\n",
    );
    expect(JSON.parse(readFileSync(join(out, "summaries.json"), "utf8")).length).toBe(8);
  });

  it("geodesic summarize --aspect TEXT scores by distance from the aspect, not the centre", () => {
    const run = (...extra: string[]) => {
      const args = ["summarize", "--input", reviews, "--methods", "geodesic-centre"];
      const r = geodesic(...args, "--budget", "5", "--json", "--out", "-", ...extra);
      expect(r.code).toBe(0);
      const lines = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      return lines.find((l) => l.entity === "bag").summary;
    };
    expect(run()).toBe("Lots of pockets and very roomy.");
    expect(run("--aspect", "strap broke")).toBe("The strap broke after a month.");
  });

  it("geodesic summarize with one product of references does say so and print no interval", () => {
    const r = geodesic("summarize", "--input", reviews, "--out", "-", "--methods", "geodesic,lead");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^JSONL: 2 products \(1 with references\), budget 100 words$/m);
    // an interval over one product is no interval
    expect(r.stdout).toMatch(/^lead +[\d.]+ +[\d.]+ +[\d.]+ +-$/m);
    expect(r.stdout).not.toMatch(/\[[+-]/);
    // the footnote names only the methods that ran
    expect(r.stdout).not.toMatch(/random|oracle|bootstrap/);
    expect(r.stdout).toMatch(/No interval where fewer than 2 products have references/);
    // the product without references gets its summaries instead
    expect(r.stdout).toMatch(/^bag\n  geodesic: .+\n  lead: +Roomy bag/m);
    expect(r.stdout).toMatch(/^4 summaries in /m);
  });

  it("geodesic summarize --help does list every method and every embeddings format", () => {
    const r = geodesic("summarize", "--help");
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, " ");
    expect(help).toContain(`some of: ${METHODS.join(", ")} (default: all)`);
    expect(help).toContain(`(${EMBEDDING_FORMATS.map((f) => `.${f}`).join(", ")})`);
    expect(EMBEDDING_FORMATS).toContain("csv");
  });

  const bad: [string, string[], number, RegExp][] = [
    ["a missing file", ["--input", "no/such/file.jsonl"], 1, /no\/such\/file.jsonl: no such file/],
    ["a malformed row", ["--input", "BAD"], 1, /bad.jsonl:2: expected a JSON object/],
    [
      "an unknown method",
      ["--input", reviews, "--methods", "geodesic,magic"],
      2,
      /unknown method "magic"/,
    ],
    [
      "a budget that is not a positive integer",
      ["--input", reviews, "--budget", "-3"],
      2,
      /--budget <words>.*expected a positive integer, got "-3"/,
    ],
    ["a zero budget", ["--input", reviews, "--budget", "0"], 2, /expected a positive integer/],
    ["an unknown format", ["--input", reviews, "--format", "xml"], 2, /Allowed choices are/],
    [
      "embeddings with the wrong row count",
      ["--input", reviews, "--embeddings", "EMB"],
      1,
      /has 2 rows; expected 13, one per sentence/,
    ],
  ];
  for (const [what, args, code, message] of bad) {
    it(`geodesic summarize refuses ${what} with one line and exit code ${code}`, () => {
      const dir = mkdtempSync(join(tmpdir(), "geodesic-bad-"));
      writeFileSync(join(dir, "bad.jsonl"), '{"id": "a", "text": "Fine."}\n{not json\n');
      writeFileSync(join(dir, "emb.jsonl"), "[1, 2]\n[3, 4]\n");
      const argv = args.map((a) =>
        a === "BAD" ? join(dir, "bad.jsonl") : a === "EMB" ? join(dir, "emb.jsonl") : a,
      );
      const r = geodesic("summarize", ...argv, "--out", "-");
      expect(r.code).toBe(code);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
