// Draws the sentence graph as SVG: edges, one dot per sentence coloured by its
// geodesic distance from the centre, rings on the chosen sentences.

import type { DemoResult } from "./demo.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 900;
const HEIGHT = 400;
const MARGIN = 18;

/** Near to far: dark violet, magenta, orange, pale yellow. */
const RAMP = [
  [45, 17, 96],
  [140, 41, 129],
  [222, 73, 104],
  [250, 160, 100],
  [246, 227, 141],
];

function colour(t: number): string {
  const at = Math.min(Math.max(t, 0), 1) * (RAMP.length - 1);
  const low = Math.min(Math.floor(at), RAMP.length - 2);
  const f = at - low;
  const mix = RAMP[low].map((c, i) => Math.round(c + f * (RAMP[low + 1][i] - c)));
  return `rgb(${mix.join(",")})`;
}

function element(name: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** Replaces the content of `svg` with the picture of `result`. */
export function drawGraph(svg: SVGSVGElement, result: DemoResult, sentences: string[]): void {
  svg.replaceChildren();
  const { nodes, positions, edges, distances } = result;
  if (nodes.length === 0) return;

  // fit the positions into the view box
  const xs = nodes.map((_, r) => positions[2 * r]);
  const ys = nodes.map((_, r) => positions[2 * r + 1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min(
    (WIDTH - 2 * MARGIN) / (x1 - x0 || 1),
    (HEIGHT - 2 * MARGIN) / (y1 - y0 || 1),
  );
  const place = (x: number, y: number) => [
    MARGIN + (x - x0) * scale + (WIDTH - 2 * MARGIN - (x1 - x0) * scale) / 2,
    MARGIN + (y - y0) * scale + (HEIGHT - 2 * MARGIN - (y1 - y0) * scale) / 2,
  ];
  const at = new Map(nodes.map((i, r) => [i, place(positions[2 * r], positions[2 * r + 1])]));

  for (const [u, v] of edges) {
    const [[ax, ay], [bx, by]] = [at.get(u)!, at.get(v)!];
    svg.append(
      element("line", {
        x1: ax,
        y1: ay,
        x2: bx,
        y2: by,
        class: "edge",
        stroke: "#b9bec8",
        "stroke-opacity": 0.55,
      }),
    );
  }

  const finite = nodes.map((i) => distances[i]);
  const [near, far] = [Math.min(...finite), Math.max(...finite)];
  const geodesic = new Set(result.geodesic.indices);
  const cosine = new Set(result.cosine.indices);
  for (const i of nodes) {
    const [x, y] = at.get(i)!;
    const dot = element("circle", {
      cx: x,
      cy: y,
      r: 5,
      fill: colour((distances[i] - near) / (far - near || 1)),
      stroke: "#fff",
      "stroke-width": 0.8,
      "data-sentence": i,
    });
    const title = element("title", {});
    const distance = distances[i].toFixed(3);
    title.textContent = `${sentences[i]}\ngeodesic distance from the centre: ${distance}`;
    dot.append(title);
    svg.append(dot);
    if (geodesic.has(i)) {
      svg.append(
        element("circle", {
          cx: x,
          cy: y,
          r: 9,
          fill: "none",
          stroke: "#7a1f5c",
          "stroke-width": 2.5,
        }),
      );
    }
    if (cosine.has(i)) {
      svg.append(
        element("circle", {
          cx: x,
          cy: y,
          r: 12.5,
          fill: "none",
          stroke: "#1f6f8b",
          "stroke-width": 2,
          "stroke-dasharray": "3 2",
        }),
      );
    }
  }

  // the centre, which is not a node: among the nodes it is attached to
  const [cx, cy] = place(...result.centre);
  svg.append(
    element("path", {
      d: `M${cx - 7},${cy}h14M${cx},${cy - 7}v14`,
      stroke: "#111",
      "stroke-width": 2,
    }),
  );
}
