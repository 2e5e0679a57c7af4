// Edge weights against float64 on adversarial inputs. The kernels work in
// float32; the reference here recomputes every weight in float64 from the
// same float32 coordinates, in forms that do not cancel (differences scaled
// by their largest, chords between float64 unit vectors), so what is left is
// the library's own rounding, bounded by (dim + 4) / 2 ulps relative for
// euclidean (twice that for sqeuclidean) and, for the cosine metrics, by
// 2 + chord (dim + 4) / 2 ulps on the chord between the unit rows. The worst
// error of each family goes into its check's name, and so into the README's
// "Guarantees" table.

import { beforeAll, describe, expect, it } from "vitest";
import { initSync, knnGraph, type Metric } from "../src/index.js";
import { guarantee } from "./guarantee.js";
import { gaussian, rng } from "./random.js";

beforeAll(() => initSync());

const ULP = 2 ** -24;

interface Family {
  name: string;
  metrics: Metric[];
  rows: number;
  dim: number;
  make(random: () => number, g: () => number, data: Float32Array): void;
}

// every row a base row plus noise of relative size `spread`, the base at `far`
function around(far: number, spread: number) {
  return (random: () => number, g: () => number, data: Float32Array, dim: number) => {
    const base = Array.from({ length: dim }, () => far * (1 + g()));
    for (let i = 0; i < data.length; i++) {
      const d = i % dim;
      data[i] = base[d] * (1 + spread * g());
    }
  };
}

const families: Family[] = [
  {
    name: "Gaussian rows, dim 384",
    metrics: ["euclidean", "sqeuclidean", "cosine", "angular"],
    rows: 40,
    dim: 384,
    make: (_, g, data) => data.forEach((_, i) => (data[i] = g())),
  },
  {
    name: "near-duplicates 1e4 from the origin",
    metrics: ["euclidean", "sqeuclidean"],
    rows: 40,
    dim: 16,
    make: (random, g, data) => around(1e4, 1e-6)(random, g, data, 16),
  },
  {
    name: "near-parallel rows (angles down to 1e-6)",
    metrics: ["cosine", "angular"],
    rows: 40,
    dim: 32,
    make: (random, g, data) => {
      const base = Array.from({ length: 32 }, () => g());
      for (let i = 0; i < 40; i++) {
        const tilt = 10 ** -(1 + 5 * random());
        const length = 2 ** (20 * random() - 10);
        for (let d = 0; d < 32; d++) data[i * 32 + d] = length * (base[d] + tilt * g());
      }
    },
  },
  {
    name: "near-antipodal rows",
    metrics: ["angular"],
    rows: 40,
    dim: 8,
    make: (random, g, data) => {
      const base = Array.from({ length: 8 }, () => g());
      for (let i = 0; i < 40; i++) {
        const side = i % 2 === 0 ? 1 : -1;
        const tilt = 10 ** -(1 + 4 * random());
        for (let d = 0; d < 8; d++) data[i * 8 + d] = side * base[d] + tilt * g();
      }
    },
  },
  {
    name: "exact duplicates and rows at 2^-40..2^40",
    metrics: ["euclidean", "sqeuclidean", "cosine", "angular"],
    rows: 40,
    dim: 5,
    make: (random, g, data) => {
      for (let i = 0; i < 40; i++) {
        if (i % 4 === 3) {
          data.copyWithin(i * 5, (i - 1) * 5, i * 5);
          continue;
        }
        const scale = 2 ** Math.round(80 * random() - 40);
        for (let d = 0; d < 5; d++) data[i * 5 + d] = scale * g();
      }
    },
  },
  {
    // distances 30 orders of magnitude apart in one set: the small rows'
    // squared differences underflow float32 and are ranked and weighed
    // again in float64
    name: "rows 1e15 and 1e-15 from the origin",
    metrics: ["euclidean", "sqeuclidean", "cosine"],
    rows: 30,
    dim: 6,
    make: (random, g, data) => {
      for (let i = 0; i < 30; i++) {
        const scale = i < 15 ? 1e15 : 1e-15;
        for (let d = 0; d < 6; d++) data[i * 6 + d] = scale * (1 + 0.01 * g());
      }
    },
  },
];

// float64 weight between rows a and b, computed without cancellation
function exact(metric: Metric, data: Float32Array, dim: number, a: number, b: number): number {
  if (metric === "euclidean" || metric === "sqeuclidean") {
    let largest = 0;
    for (let d = 0; d < dim; d++) {
      largest = Math.max(largest, Math.abs(data[a * dim + d] - data[b * dim + d]));
    }
    if (largest === 0) return 0;
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += ((data[a * dim + d] - data[b * dim + d]) / largest) ** 2;
    return metric === "euclidean" ? largest * Math.sqrt(sum) : largest * largest * sum;
  }
  const { chord, across } = chords(data, dim, a, b);
  return metric === "cosine" ? (chord * chord) / 2 : 2 * Math.atan2(chord, across);
}

// |â - b̂| and |â + b̂| of the float64 unit rows
function chords(data: Float32Array, dim: number, a: number, b: number) {
  const unit = (row: number) => {
    let largest = 0;
    for (let d = 0; d < dim; d++) largest = Math.max(largest, Math.abs(data[row * dim + d]));
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += (data[row * dim + d] / largest) ** 2;
    const norm = largest * Math.sqrt(sum);
    return Array.from({ length: dim }, (_, d) => data[row * dim + d] / norm);
  };
  const ua = unit(a);
  const ub = unit(b);
  let minus = 0;
  let plus = 0;
  for (let d = 0; d < dim; d++) {
    minus += (ua[d] - ub[d]) ** 2;
    plus += (ua[d] + ub[d]) ** 2;
  }
  return { chord: Math.sqrt(minus), across: Math.sqrt(plus) };
}

// the chord a cosine or angular weight stands for
function chordOf(metric: Metric, weight: number): number {
  return metric === "cosine" ? Math.sqrt(2 * weight) : 2 * Math.sin(weight / 2);
}

describe("edge weights against float64", () => {
  for (const family of families) {
    it(`${family.name}: every weight within float32 rounding of float64`, () => {
      const random = rng(family.rows * 1000 + family.dim);
      const g = gaussian(random);
      const data = new Float32Array(family.rows * family.dim);
      family.make(random, g, data);
      const { rows, dim } = family;

      for (const metric of family.metrics) {
        // every other row is a neighbour: each pair's weight is on an edge
        const graph = knnGraph(
          { data, rows, dim },
          { k: rows - 1, metric, mode: "directed", connect: "none" },
        );
        let worst = 0;
        let edges = 0;
        for (let u = 0; u < rows; u++) {
          for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
            const v = graph.targets[e];
            const w = graph.weights[e];
            const ref = exact(metric, data, dim, u, v);
            expect(w, `${metric} ${u}-${v}`).toBeGreaterThanOrEqual(0);
            if (metric === "euclidean" || metric === "sqeuclidean") {
              // exact duplicates weigh exactly 0, everything else is relative
              if (ref === 0) expect(w, `${metric} ${u}-${v}`).toBe(0);
              else {
                const error = Math.abs(w - ref) / ref;
                const bound = (metric === "sqeuclidean" ? 1 : 0.5) * (dim + 4) * ULP;
                expect(error, `${metric} ${u}-${v}: ${w} vs ${ref}`).toBeLessThanOrEqual(bound);
                worst = Math.max(worst, error / ULP);
              }
            } else {
              // float32 unit rows are each within half an ulp per coordinate
              // (an ulp between two rows), and the sum of squares adds its
              // relative rounding: the chord is exact to that, not relatively
              const chord = chords(data, dim, u, v).chord;
              const error = Math.abs(chordOf(metric, w) - chord);
              const bound = (2 + (chord * (dim + 4)) / 2) * ULP;
              expect(error, `${metric} ${u}-${v}: ${w} vs ${ref}`).toBeLessThanOrEqual(bound);
              worst = Math.max(worst, error / ULP);
            }
            edges++;
          }
        }
        expect(edges).toBe(rows * (rows - 1));
        const what = metric === "euclidean" || metric === "sqeuclidean" ? "relative" : "chord";
        guarantee(
          `${metric} weights, ${family.name}: worst ${what} error ${worst.toFixed(2)} ulps`,
          edges,
        );
      }
    });
  }
});
