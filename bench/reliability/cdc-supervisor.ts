/**
 * `ficus cdc run` under supervision, as systemd or Kubernetes would run it: one child process at
 * a time (bench/cdc/pipeline.ts starts it with the same config and consumer group every time),
 * killed and restarted on request by the SIGKILL fault, and restarted after a second should it
 * exit on its own — which is recorded as a finding (an unplanned exit with its code and the end
 * of its log), since every other fault must be ridden out inside the process.
 */
import { startPipeline, type PipelineConfig, type PipelineProcess } from '../cdc/pipeline.js';

export interface UnplannedExit {
  /** ms since the supervisor started. */
  readonly atMs: number;
  readonly code: number | null;
  readonly signal: string | null;
  /** The last lines it logged. */
  readonly log: string;
}

export interface Supervisor {
  /** Processes started so far (1 + restarts). */
  readonly starts: number;
  readonly unplanned: readonly UnplannedExit[];
  /** The config file (for `ficus cdc verify`). */
  readonly config: string;
  /** SIGKILL the running process and wait until it is gone. */
  kill(): Promise<void>;
  /** Start it again (after kill). */
  restart(): Promise<void>;
  /** The end of the running process's log. */
  tail(lines?: number): string;
  /** Apply retries the running process counted (ficus_cdc_apply_retries_total), NaN when unreadable. */
  retries(): Promise<number>;
  /** SIGTERM (a clean stop) within `graceMs`, else SIGKILL; resolves with its summary line or the failure. */
  stop(graceMs?: number): Promise<{ clean: boolean; summary: string }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function supervise(config: PipelineConfig, log: (s: string) => void): Promise<Supervisor> {
  const t0 = Date.now();
  const unplanned: UnplannedExit[] = [];
  let starts = 0;
  let planned = false;
  let finished = false;
  let current: PipelineProcess;

  async function launch(): Promise<void> {
    planned = false;
    starts++;
    const p = await startPipeline(config);
    current = p;
    void p.exited.then(async ({ code, signal }) => {
      if (planned || finished || current !== p) return;
      const tail = p.stderr().trim().split('\n').slice(-3).join(' | ').slice(0, 600);
      unplanned.push({ atMs: Date.now() - t0, code, signal, log: tail });
      log(`  ficus cdc run exited on its own (code ${code}, signal ${signal}): ${tail}`);
      await sleep(1000);
      if (!finished && current === p) await launch().catch((err: Error) => log(`  restart failed: ${err.message}`));
    });
  }

  await launch();
  return {
    get starts() {
      return starts;
    },
    unplanned,
    config: current!.config,
    async kill() {
      planned = true;
      const p = current;
      p.kill();
      await p.exited;
    },
    restart: launch,
    tail: (lines = 20) => current.stderr().trim().split('\n').slice(-lines).join('\n'),
    async retries() {
      try {
        const text = await (await fetch(current.metricsUrl, { signal: AbortSignal.timeout(2000) })).text();
        return Number(/^ficus_cdc_apply_retries_total (\d+)/m.exec(text)?.[1] ?? NaN);
      } catch {
        return NaN;
      }
    },
    async stop(graceMs = 30_000) {
      finished = true;
      planned = true;
      const p = current;
      const timer = setTimeout(() => p.kill(), graceMs);
      try {
        return { clean: true, summary: await p.stop() };
      } catch (err) {
        return { clean: false, summary: (err as Error).message.split('\n')[0] ?? '' };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
