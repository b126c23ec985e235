/**
 * Progress on stderr for long runs, only when stderr is a terminal (cli-progress): one bar per
 * analyzer stage, redrawn in place. Otherwise a no-op, so logs and pipes stay clean.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { CliIO } from './io.js';

export interface ProgressReporter {
  update(stage: string, done: number, total: number): void;
  stop(): void;
}

const LABELS: Readonly<Record<string, string>> = {
  ingest: 'Reading sources',
  history: 'Reading git history, terms',
  graph: 'Building coupling graph',
  cluster: 'Clustering',
  plan: 'Planning, layout',
};

export function progressReporter(io: CliIO, quiet: boolean): ProgressReporter {
  if (!io.interactive || quiet) return { update: () => undefined, stop: () => undefined };
  const stream = process.stderr;
  const bar = new SingleBar(
    { format: '{stage} [{bar}] {value}/{total}', stream, clearOnComplete: true, hideCursor: true, etaBuffer: 50 },
    Presets.shades_classic,
  );
  let current: string | null = null;
  return {
    update(stage, done, total) {
      const label = LABELS[stage] ?? stage;
      if (current !== stage) {
        if (current !== null) bar.stop();
        bar.start(Math.max(total, 1), done, { stage: label.padEnd(28) });
        current = stage;
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done);
      }
    },
    stop() {
      if (current !== null) bar.stop();
      current = null;
    },
  };
}
