import { cp, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  type Entity,
  mergeOposum,
  parseAmazon,
  parseOposumAspects,
  parseOposumSummary,
  parseOposumSummaryName,
} from "../src/summarize/datasets.js";
import { readAmazon, readOposum } from "../src/summarize/datasets-node.js";

const DATA = fileURLToPath(new URL("../data/", import.meta.url));
const AMAZON = join(DATA, "amazon-copycat", "dev.csv");
const OPOSUM = join(DATA, "oposum");

// temporary copies of the data, broken on purpose, removed at the end
const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});
async function scratchCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "geodesic-knn-datasets-"));
  scratch.push(dir);
  await cp(OPOSUM, dir, { recursive: true });
  return dir;
}

/** Invariants every entity keeps, whatever the dataset. */
function checkEntity(entity: Entity, reviews: number, references: number): void {
  expect(entity.id).toMatch(/^B[0-9A-Z]{9}$/);
  expect(entity.sentences.length).toBe(entity.review.length);
  expect(entity.sentences.every((s) => s.length > 0 && s === s.trim())).toBe(true);
  for (let i = 1; i < entity.review.length; i++) {
    expect(entity.review[i] - entity.review[i - 1]).toBeGreaterThanOrEqual(0);
    expect(entity.review[i] - entity.review[i - 1]).toBeLessThanOrEqual(1);
  }
  expect(entity.review[0]).toBe(0);
  expect(entity.review.at(-1)).toBe(reviews - 1);
  expect(entity.references).toHaveLength(references);
  expect(entity.references.every((r) => r.length > 0 && r === r.trim())).toBe(true);
}

describe("readAmazon", () => {
  it("readAmazon(path) reads 28 products with 8 reviews and 3 references each", async () => {
    // checked with: awk -F'\t' 'NR>1 {print NF, $1}' dev.csv | sort | uniq -c
    //   -> 7 rows of 13 columns for each of cloth, electronics, health_personal_care,
    //      home_kitchen
    const entities = await readAmazon(AMAZON);
    expect(entities).toHaveLength(28);
    for (const entity of entities) {
      checkEntity(entity, 8, 3);
      expect(entity.dataset).toBe("amazon");
      expect(entity.aspects).toBeUndefined();
    }
    const domains = entities.map((e) => e.domain);
    expect([...new Set(domains)]).toEqual([
      "cloth",
      "electronics",
      "health_personal_care",
      "home_kitchen",
    ]);
    expect(domains.filter((d) => d === "cloth")).toHaveLength(7);
  });

  it("readAmazon(path) keeps file order and the text of each cell", async () => {
    // checked with: awk -F'\t' 'NR==2 {print $2; print $3}' dev.csv
    const [first] = await readAmazon(AMAZON);
    expect(first.id).toBe("B000A2FTN6");
    expect(first.sentences[0]).toBe("These are the perfect tights for my 5-year old.");
    expect(first.sentences[1]).toMatch(/^The tights are very well made/);
    expect(first.review.slice(0, 4)).toEqual([0, 0, 0, 1]);
  });

  it("readAmazon(path) names the file and line of a malformed row", async () => {
    const dir = await mkdtemp(join(tmpdir(), "geodesic-knn-amazon-"));
    scratch.push(dir);
    const path = join(dir, "bad.csv");
    await writeFile(path, "cat\tprod_id\trev1\tsumm1\ncloth\tB000000001\tOnly two\n");
    await expect(readAmazon(path)).rejects.toThrow(
      `${path}:2: expected 4 tab-separated columns, got 3`,
    );
  });
});

describe("parseAmazon", () => {
  const header = "cat\tprod_id\trev1\trev2\tsumm1";

  it("parseAmazon(text) splits each review and keeps review indices", () => {
    const [entity] = parseAmazon(`${header}\ncloth\tB000000001\tGood. Cheap!\tBad.\tFine.\n`);
    expect(entity).toEqual({
      dataset: "amazon",
      domain: "cloth",
      id: "B000000001",
      sentences: ["Good.", "Cheap!", "Bad."],
      review: [0, 0, 1],
      references: ["Fine."],
    });
  });

  it("parseAmazon(text) throws on a missing header", () => {
    expect(() => parseAmazon("cloth\tB000000001\tGood.\tBad.\tFine.", "x.csv")).toThrow(
      /^x\.csv:1: expected a header line "cat<TAB>prod_id<TAB>rev1…<TAB>summ1…"/,
    );
  });

  it("parseAmazon(text) throws on an unknown header column", () => {
    expect(() => parseAmazon("cat\tprod_id\trev1\tnotes", "x.csv")).toThrow(
      'x.csv:1: expected column 4 of the header named revN or summN, got "notes"',
    );
  });

  it("parseAmazon(text) throws on a wrong column count", () => {
    const text = `${header}\ncloth\tB000000001\tGood.\tBad.\tFine.\ncloth\tB000000002\tGood.\n`;
    expect(() => parseAmazon(text, "x.csv")).toThrow(
      "x.csv:3: expected 5 tab-separated columns, got 3",
    );
  });

  it("parseAmazon(text) throws on a review line without product id", () => {
    expect(() => parseAmazon(`${header}\ncloth\t\tGood.\tBad.\tFine.`, "x.csv")).toThrow(
      'x.csv:2: expected a product id in column 2, got ""',
    );
  });

  it("parseAmazon(text) throws on a product without reference", () => {
    expect(() => parseAmazon(`${header}\ncloth\tB000000001\tGood.\tBad.\t `, "x.csv")).toThrow(
      'x.csv:2: expected a reference summary in column 5 (summ1), got ""',
    );
  });

  it("parseAmazon(text) throws on an empty review and on a repeated product", () => {
    expect(() => parseAmazon(`${header}\ncloth\tB000000001\tGood.\t\tFine.`, "x.csv")).toThrow(
      'x.csv:2: expected review text in column 4 (rev2), got ""',
    );
    const row = "cloth\tB000000001\tGood.\tBad.\tFine.";
    expect(() => parseAmazon(`${header}\n${row}\n\n${row}`, "x.csv")).toThrow(
      'x.csv:4: expected a new product id (this one is on line 2), got "B000000001"',
    );
  });
});

describe("readOposum", () => {
  // segments per product, checked with, for each DOMAIN:
  //   awk -F'\t' 'NF==1 && /-[0-9]+$/ {split($1, a, "-"); p = a[1]} NF==2 {s[p]++}
  //     END {for (p in s) print p, s[p]}' DOMAIN-dev.asp DOMAIN-tst.asp
  const SEGMENTS: Record<string, Record<string, number>> = {
    bags_and_cases: {
      B0000A2QBX: 121,
      B0009JR5K0: 115,
      B000VB7EFW: 161,
      B00307F8PW: 112,
      B0038KLD50: 162,
      B003BWYJ4C: 100,
      B0064RDIWU: 119,
      B0083LOW7A: 132,
      B0085B772A: 129,
      B009PJ2CQC: 111,
    },
    bluetooth: {
      B000GUDPDI: 120,
      B0017KXLC6: 155,
      B001DDPN9G: 175,
      B002LEVL56: 131,
      B002SUCYFO: 105,
      B005LL8IFM: 130,
      B005OTZJ2Q: 120,
      B005RUOUHW: 137,
      B006B9GRM4: 153,
      B009CRH0O6: 118,
    },
    boots: {
      B000BNRWFW: 97,
      B000GAUOHS: 137,
      B000ZHDMFS: 90,
      B001RIYTK6: 106,
      B004D3CFYE: 140,
      B004LLSV5U: 106,
      B004SAS28K: 146,
      B004UER758: 105,
      B008BG2IM8: 131,
      B00EFD6B8I: 140,
    },
  };

  // first line of each DOMAIN-dev.asp (the same in DOMAIN-tst.asp)
  const ASPECTS: Record<string, string> = {
    bags_and_cases:
      "Compartments|Customer_service|Handles|Looks|None|Price|Protection|" + "Quality|Size_Fit",
    bluetooth: "Battery|Comfort|Connectivity|Durability|Ease_of_use|Look|None|Price|Sound",
    boots: "Color|Comfort|Durability|Look|Materials|None|Price|Size|Weather_resistance",
  };

  it("readOposum(dir) reads 30 products in 3 domains, 10 reviews, 3 references", async () => {
    // 3 references: ls summaries/*/all | awk -F. '/txt$/ {print $1, $2}' | uniq -c
    const entities = await readOposum(OPOSUM);
    expect(entities).toHaveLength(30);
    for (const entity of entities) {
      checkEntity(entity, 10, 3);
      expect(entity.dataset).toBe("oposum");
      expect(entity.sentences).toHaveLength(SEGMENTS[entity.domain][entity.id]);
      expect(entity.aspectNames!.join("|")).toBe(ASPECTS[entity.domain]);
    }
    const domains = entities.map((e) => e.domain);
    expect([...new Set(domains)]).toEqual(["bags_and_cases", "bluetooth", "boots"]);
    expect(domains.filter((d) => d === "boots")).toHaveLength(10);
  });

  it("readOposum(dir) gives an aspect index in range for every segment", async () => {
    for (const entity of await readOposum(OPOSUM)) {
      const { aspects, aspectLabels, aspectNames } = entity;
      expect(aspects).toHaveLength(entity.sentences.length);
      expect(aspectLabels).toHaveLength(entity.sentences.length);
      for (let i = 0; i < aspects!.length; i++) {
        expect(aspectLabels![i][0]).toBe(aspects![i]);
        for (const label of aspectLabels![i]) {
          expect(label).toBeGreaterThanOrEqual(0);
          expect(label).toBeLessThan(aspectNames!.length);
        }
      }
    }
  });

  it("readOposum(dir) orders reviews by number and joins reference lines", async () => {
    // B0000A2QBX: review 0000 (dev, 7 segments), then 0001 (tst); annotator B first
    const entities = await readOposum(OPOSUM);
    const entity = entities.find((e) => e.id === "B0000A2QBX")!;
    expect(entities[0]).toBe(entity);
    expect(entity.sentences.slice(0, 2)).toEqual([
      "The photo online and on the card",
      "attached to the case shows foam.",
    ]);
    expect(entity.review.filter((r) => r === 0)).toHaveLength(7);
    expect(entity.aspects!.slice(0, 5)).toEqual([4, 4, 4, 4, 6]);
    expect(entity.references[0]).toMatch(
      /^The quality of the bag is outstanding\. The design is perfect to fit/,
    );
    expect(entity.references[0]).toMatch(/heavy laptop\. but will brake due to poor quality\.$/);
  });

  it("readOposum(dir) throws naming the files on a missing summaries folder", async () => {
    const dir = await scratchCopy();
    await rm(join(dir, "summaries", "boots"), { recursive: true });
    const asp = join(dir, "aspects", "boots-dev.asp");
    const folder = join(dir, "summaries", "boots", "all");
    await expect(readOposum(dir)).rejects.toThrow(
      `${asp}:1: ${folder}: expected a folder of reference summaries of domain boots, ` +
        "but it is missing",
    );
  });

  it("readOposum(dir) throws naming the file and line of a product without reference", async () => {
    const dir = await scratchCopy();
    const folder = join(dir, "summaries", "bluetooth", "all");
    for (const annotator of ["B", "E", "J"]) {
      await unlink(join(folder, `bluetooth.B0017KXLC6.${annotator}.all.txt`));
    }
    // checked with: grep -n -m1 B0017KXLC6 bluetooth-dev.asp -> line 79
    const asp = join(dir, "aspects", "bluetooth-dev.asp");
    await expect(readOposum(dir)).rejects.toThrow(
      `${asp}:79: expected reference summaries of B0017KXLC6 in ${folder}`,
    );
  });

  it("readOposum(dir) throws on a folder without aspect files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "geodesic-knn-empty-"));
    scratch.push(dir);
    await expect(readOposum(dir)).rejects.toThrow(
      `${join(dir, "aspects")}: expected a folder of DOMAIN-dev.asp and DOMAIN-tst.asp files`,
    );
  });
});

describe("parseOposumAspects", () => {
  const names = "A|B|None";

  it("parseOposumAspects(text, domain) reads names, reviews, segments and labels", () => {
    const text = `${names}\n\nP1-0002\nGood strap.\t0\nbut weak\t1 0\n\nP1-0001\nMeh.\t2\n`;
    expect(parseOposumAspects(text, "bags", "b.asp")).toEqual({
      domain: "bags",
      source: "b.asp",
      aspectNames: ["A", "B", "None"],
      reviews: [
        {
          product: "P1",
          review: "0002",
          line: 3,
          segments: ["Good strap.", "but weak"],
          labels: [[0], [1, 0]],
        },
        { product: "P1", review: "0001", line: 7, segments: ["Meh."], labels: [[2]] },
      ],
    });
  });

  it("parseOposumAspects(text, domain) throws on an empty aspect name", () => {
    expect(() => parseOposumAspects("A||C\n\nP1-0001\nx\t0\n", "d", "b.asp")).toThrow(
      'b.asp:1: expected aspect names separated by |, got "A||C"',
    );
  });

  it("parseOposumAspects(text, domain) throws on a review line without product id", () => {
    expect(() => parseOposumAspects(`${names}\n\n-0001\nx\t0\n`, "d", "b.asp")).toThrow(
      'b.asp:3: expected a review header PRODUCTID-REVIEWNO, got "-0001"',
    );
    // a blank line inside a review leaves the next segment where a header belongs
    expect(() => parseOposumAspects(`${names}\n\nP1-0001\nx\t0\n\ny\t1\n`, "d", "b.asp")).toThrow(
      'b.asp:6: expected a review header PRODUCTID-REVIEWNO, got "y\\t1"',
    );
  });

  it("parseOposumAspects(text, domain) throws on a segment without exactly one tab", () => {
    expect(() => parseOposumAspects(`${names}\n\nP1-0001\nno tab here\n`, "d", "b.asp")).toThrow(
      'b.asp:4: expected a segment, a tab and its aspect indices, got "no tab here"',
    );
  });

  it("parseOposumAspects(text, domain) throws on an aspect index out of range", () => {
    expect(() => parseOposumAspects(`${names}\n\nP1-0001\nx\t1 3\n`, "d", "b.asp")).toThrow(
      'b.asp:4: expected aspect indices in [0, 2], got "1 3"',
    );
  });

  it("parseOposumAspects(text, domain) throws on a review without segments", () => {
    expect(() => parseOposumAspects(`${names}\n\nP1-0001\n\nP1-0002\nx\t0`, "d", "b.asp")).toThrow(
      "b.asp:3: expected segment lines after the review header P1-0001",
    );
  });
});

describe("mergeOposum", () => {
  const dev = parseOposumAspects("A|None\n\nP1-0003\nx.\t0\n\nP2-0000\ny.\t1\n", "d", "d-dev.asp");
  const tst = parseOposumAspects("A|None\n\nP1-0001\nz.\t1\n", "d", "d-tst.asp");
  const refs = new Map([
    ["P1", ["r1", "r2"]],
    ["P2", ["r3"]],
  ]);

  it("mergeOposum(files, references) merges products and orders reviews by number", () => {
    const [p1, p2] = mergeOposum([dev, tst], refs, "refs");
    expect(p1.id).toBe("P1");
    expect(p1.sentences).toEqual(["z.", "x."]);
    expect(p1.review).toEqual([0, 1]);
    expect(p1.aspects).toEqual([1, 0]);
    expect(p1.references).toEqual(["r1", "r2"]);
    expect(p2.sentences).toEqual(["y."]);
  });

  it("mergeOposum(files, references) throws on a product without reference", () => {
    expect(() => mergeOposum([dev, tst], new Map([["P1", ["r1"]]]), "summaries/d/all")).toThrow(
      "d-dev.asp:6: expected reference summaries of P2 in summaries/d/all",
    );
  });

  it("mergeOposum(files, references) throws on a repeated review", () => {
    expect(() => mergeOposum([dev, dev], refs, "refs")).toThrow(
      'd-dev.asp:3: expected a review not already in d-dev.asp:3, got "P1-0003"',
    );
  });

  it("mergeOposum(files, references) throws when the files disagree on aspect names", () => {
    const other = parseOposumAspects("A|B\n\nP3-0001\nw.\t0\n", "d", "d-tst.asp");
    expect(() => mergeOposum([dev, other], refs, "refs")).toThrow(
      'd-tst.asp:1: expected the aspect names of d-dev.asp, got "A|B"',
    );
  });
});

describe("parseOposumSummary", () => {
  it("parseOposumSummary(text, source) joins trimmed lines with one space", () => {
    expect(parseOposumSummary("First line. \n\n second line.", "s.txt")).toBe(
      "First line. second line.",
    );
  });

  it("parseOposumSummary(text, source) throws on an empty file", () => {
    expect(() => parseOposumSummary(" \n", "s.txt")).toThrow(
      "s.txt:1: expected at least one summary line",
    );
  });

  it("parseOposumSummaryName(name, domain) reads product and annotator", () => {
    expect(parseOposumSummaryName("boots.B000BNRWFW.E.all.txt", "boots")).toEqual({
      product: "B000BNRWFW",
      annotator: "E",
    });
    expect(parseOposumSummaryName("boots.B000BNRWFW.E.pos.txt", "boots")).toBeNull();
    expect(parseOposumSummaryName("bluetooth.B000GUDPDI.E.all.txt", "boots")).toBeNull();
  });
});
