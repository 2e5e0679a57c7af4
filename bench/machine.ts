// What the figures were measured on: printed and saved with every result.

import { readFileSync } from "node:fs";
import os from "node:os";

function version(pkg: string): string {
  try {
    const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, "utf8")).version;
  } catch {
    return "not installed";
  }
}

export function machine() {
  const cpuinfo = (() => {
    try {
      return readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return "";
    }
  })();
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1].split(" ") ?? [];
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    simd: ["sse4_1", "sse4_2", "avx", "avx2", "fma", "avx512f"].filter((f) => flags.includes(f)),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    assemblyscript: version("assemblyscript"),
    tinybench: version("tinybench"),
  };
}
