// A progress bar on standard error, drawn only on a terminal: in a pipe or a
// log it would be noise, and standard output carries only results.

import { Presets, SingleBar } from "cli-progress";

export interface Progress {
  tick(steps?: number): void;
  stop(): void;
}

const SILENT: Progress = { tick() {}, stop() {} };

/**
 * A bar over `total` steps, or nothing off a terminal or for a single step.
 * It is cleared when done, so the terminal keeps only the results.
 */
export function progress(total: number, label: string): Progress {
  if (!process.stderr.isTTY || total < 2) return SILENT;
  const bar = new SingleBar(
    {
      format: `${label} {bar} {value}/{total}  {duration_formatted}`,
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (steps = 1) => bar.increment(steps), stop: () => bar.stop() };
}
