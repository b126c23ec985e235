/**
 * Catch-up progress for `ficus cdc run`, on stderr through cli-progress: while the pipeline is
 * far behind Kafka — the summed lag of its partitions (high watermark − next offset, the
 * pipeline's `ficus_cdc_kafka_lag_messages` gauge) is at least `showAbove` — a bar shows the
 * messages applied since the catch-up began out of those plus the ones still behind, the rate
 * and an ETA; once the lag falls under `hideBelow` the bar is cleared. Quiet while the pipeline
 * keeps up, and a no-op when stderr is not a terminal.
 *
 * @example
 *   const progress = catchUpProgress({ io, metrics });
 *   try { await pipeline.done } finally { progress.stop() }
 */
import { Presets, SingleBar } from 'cli-progress';
import type { PipelineMetrics } from '../cdc/index.js';
import type { CliIO } from './io.js';

/** The part of cli-progress's SingleBar this uses (injected in tests). */
export interface CatchUpBar {
  start(total: number, value: number, payload: Record<string, string>): void;
  update(value: number, payload: Record<string, string>): void;
  setTotal(total: number): void;
  stop(): void;
}

export interface CatchUpOptions {
  readonly io: Pick<CliIO, 'interactive'>;
  readonly metrics: Pick<PipelineMetrics, 'kafkaLag' | 'messages'>;
  /** No bar at all. */
  readonly quiet?: boolean;
  /** Show the bar from this many messages behind (default 10,000). */
  readonly showAbove?: number;
  /** Clear it under this many (default 1,000). */
  readonly hideBelow?: number;
  /** How often the metrics are read (default 500 ms); 0: only when `tick()` is called (tests). */
  readonly everyMs?: number;
  readonly bar?: () => CatchUpBar;
  readonly now?: () => number;
}

export interface CatchUpProgress {
  /** Reads the metrics once and redraws (the timer calls it). */
  tick(): Promise<void>;
  stop(): void;
}

const sumOf = async (metric: { get(): Promise<{ values: readonly { value: number }[] }> }): Promise<number> =>
  (await metric.get()).values.reduce((s, v) => s + v.value, 0);

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

function defaultBar(): CatchUpBar {
  return new SingleBar(
    {
      format: 'Catching up [{bar}] {percentage}% | {value}/{total} applied | {lag} behind | {rate}/s | ETA {eta}',
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
      formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? v.toLocaleString('en-US') : String(v)),
    },
    Presets.shades_classic,
  );
}

export function catchUpProgress(options: CatchUpOptions): CatchUpProgress {
  if (!options.io.interactive || options.quiet) return { tick: async () => undefined, stop: () => undefined };
  const showAbove = options.showAbove ?? 10_000;
  const hideBelow = options.hideBelow ?? 1_000;
  const now = options.now ?? Date.now;
  const makeBar = options.bar ?? defaultBar;
  let bar: CatchUpBar | undefined;
  /** Messages counted when the bar appeared; the last reading, for the rate. */
  let base = 0;
  let last = { at: 0, done: 0 };
  let rate = 0;
  let stopped = false;
  let reading = false;

  async function tick(): Promise<void> {
    if (stopped || reading) return;
    reading = true;
    try {
      const [lag, consumed] = await Promise.all([sumOf(options.metrics.kafkaLag), sumOf(options.metrics.messages)]);
      if (stopped) return;
      const at = now();
      if (!bar) {
        if (lag < showAbove) return;
        bar = makeBar();
        base = consumed;
        last = { at, done: 0 };
        rate = 0;
        bar.start(lag, 0, { lag: lag.toLocaleString('en-US'), rate: '–', eta: '–' });
        return;
      }
      if (lag < hideBelow) {
        bar.stop();
        bar = undefined;
        return;
      }
      const done = consumed - base;
      if (at > last.at && done >= last.done) {
        const r = ((done - last.done) * 1000) / (at - last.at);
        rate = rate === 0 ? r : 0.7 * rate + 0.3 * r; // smoothed over a few readings
      }
      last = { at, done };
      bar.setTotal(done + lag);
      bar.update(done, {
        lag: lag.toLocaleString('en-US'),
        rate: rate > 0 ? Math.round(rate).toLocaleString('en-US') : '–',
        eta: rate > 0 ? duration(lag / rate) : '–',
      });
    } finally {
      reading = false;
    }
  }

  const timer = (options.everyMs ?? 500) > 0 ? setInterval(() => void tick().catch(() => undefined), options.everyMs ?? 500) : undefined;
  timer?.unref();
  return {
    tick,
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      bar?.stop();
      bar = undefined;
    },
  };
}
