/**
 * The CDC pipeline: source → decode (events/) → map (transform/) → batch → sink, the batch's
 * rows, dead letters and positions in one sink transaction. A source that decodes itself (the
 * built-in Postgres capture) hands over change events and position-only control messages; they
 * are mapped and batched the same way. A source that fails outside a batch (`events.fail`)
 * stops the pipeline with its error.
 *
 * - A message that cannot be decoded or mapped is a dead letter (position, reason, raw message)
 *   in the same batch, so its offset commits with the rows and the stream goes on.
 * - Control messages (tombstones, transaction BEGIN/END, heartbeats, schema changes), events of
 *   unmapped tables and events the mapping skips only move the position on; they are counted.
 * - A sink error with `retriable: true` is retried with exponential backoff (pipeline/retry.ts);
 *   any other, or retries used up, stops the pipeline: `done` rejects with CDC_PIPELINE_STOPPED
 *   naming the sink's reason. Nothing of the failed batch was committed.
 * - Kafka batches are acknowledged to the source once batched, so the next fetch overlaps the
 *   apply, up to AHEAD_BATCHES batches ahead; a Postgres-source batch resolves only when applied
 *   (it acknowledges the LSN then).
 * - `stop()` flushes what is waiting at once (no maxWaitMs), lets the in-flight batch commit,
 *   and stops the source.
 *
 * @example
 *   const pipeline = createPipeline({ config, sink, source, logger });
 *   await pipeline.start();
 *   process.once('SIGTERM', () => void pipeline.stop());
 *   const summary = await pipeline.done;
 */
import { childLogger, FicusError, silentLogger, type Logger } from '../core/index.js';
import type { CdcConfig } from './config/schema.js';
import type { DecodedMessage, Position } from './model.js';
import { createBatcher } from './pipeline/batcher.js';
import { createMessageDecoder } from './events/message.js';
import { convert, convertDecoded, type Converted, type Outcome } from './pipeline/convert.js';
import { PipelineErrorCode, pipelineStopped } from './pipeline/errors.js';
import { createPipelineMetrics, type PipelineMetrics } from './pipeline/metrics.js';
import { DEFAULT_BACKOFF, withRetry, type BackoffOptions } from './pipeline/retry.js';
import type { DeadLetter, Sink } from './sinks/types.js';
import type { DecodedBatch, Source, SourceBatch } from './sources/types.js';
import { compileTableMapping } from './transform/map.js';
import type { TargetChange } from './transform/types.js';

export interface PipelineOptions {
  readonly config: Pick<CdcConfig, 'tables' | 'batch'>;
  readonly sink: Sink;
  readonly source: Source;
  readonly logger?: Logger;
  /** Metrics to update (default: new ones on a registry of their own, see `pipeline.metrics`). */
  readonly metrics?: PipelineMetrics;
  readonly backoff?: Partial<BackoffOptions>;
  /** Injected for tests: the clock (ms), sleeping, jitter. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface PipelineSummary {
  /** Messages consumed by outcome. */
  readonly messages: Readonly<Record<Outcome, number>>;
  readonly batches: number;
  /** Changes the sink applied, and dead letters it wrote (ours plus its own fallbacks). */
  readonly applied: number;
  readonly deadLettered: number;
}

export interface Pipeline {
  start(): Promise<void>;
  /** Stops cleanly: flushes, waits for the in-flight batch to commit, stops the source. */
  stop(): Promise<PipelineSummary>;
  /** Resolves after stop(); rejects with CDC_PIPELINE_STOPPED when a batch cannot be applied. */
  readonly done: Promise<PipelineSummary>;
  summary(): PipelineSummary;
  readonly metrics: PipelineMetrics;
}

/** Batches' worth of Kafka messages fetched and decoded while earlier ones are being applied. */
const AHEAD_BATCHES = 3;

const positionOf = (d: DecodedMessage): Position => (d.kind === 'change' ? d.event.position : d.position);

export function createPipeline(options: PipelineOptions): Pipeline {
  const { sink, source } = options;
  const log = childLogger(options.logger ?? silentLogger(), { part: 'cdc', component: 'pipeline' });
  const mappings = options.config.tables.map((t, i) => compileTableMapping(t, `tables[${i}]`));
  const decoder = createMessageDecoder();
  const metrics = options.metrics ?? createPipelineMetrics();
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const counts: Record<Outcome, number> = { change: 0, 'dead-letter': 0, control: 0, unmapped: 0, skipped: 0 };
  let batches = 0;
  let applied = 0;
  let deadLettered = 0;
  let state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  let settle!: { resolve: (s: PipelineSummary) => void; reject: (e: unknown) => void };
  const done = new Promise<PipelineSummary>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined); // a caller that never awaits `done` must not crash the process
  let stopping: Promise<PipelineSummary> | undefined;
  let failure: { error: unknown } | undefined;

  const summary = (): PipelineSummary => ({ messages: { ...counts }, batches, applied, deadLettered });

  async function applyBatch(items: readonly Converted[]): Promise<void> {
    const changes: TargetChange[] = [];
    const deadLetters: DeadLetter[] = [];
    const positions: Position[] = [];
    for (const it of items) {
      positions.push(it.position);
      if (it.change) changes.push(it.change);
      if (it.deadLetter) deadLetters.push(it.deadLetter);
    }
    const started = now();
    const result = await withRetry(() => sink.apply({ changes, positions, deadLetters }), {
      backoff,
      sleep,
      random,
      giveUp: () => state !== 'running',
      onRetry: (err, attempt, delayMs) => {
        metrics.retries.inc();
        log.warn({ err: (err as Error).message, attempt, delayMs, changes: changes.length }, 'sink apply failed; retrying');
      },
    });
    if (!result.ok) throw pipelineStopped(result.error, result.attempts);
    const at = now();
    batches++;
    applied += result.value.applied;
    deadLettered += result.value.deadLettered;
    for (const it of items) {
      counts[it.outcome]++;
      metrics.messages.inc({ outcome: it.outcome });
      if (it.tsMs !== undefined && it.tsMs !== null) metrics.lagSeconds.observe(Math.max(0, at - it.tsMs) / 1000);
    }
    metrics.batchSize.observe(items.length);
    metrics.applySeconds.observe((at - started) / 1000);
    if (deadLetters.length > 0) log.warn({ deadLetters: deadLetters.length, first: deadLetters[0]?.reason }, 'messages dead-lettered');
    log.debug({ messages: items.length, changes: changes.length, ms: at - started }, 'batch applied');
  }

  // Source batches being handled, and how many of them wait in the batcher: when all do, nothing
  // more arrives before the next fetch, so waiting out maxWaitMs gains nothing.
  const ahead = AHEAD_BATCHES * options.config.batch.maxEvents;
  let active = 0;
  let parked = 0;
  const batcher = createBatcher<Converted>({
    maxEvents: options.config.batch.maxEvents,
    maxWaitMs: options.config.batch.maxWaitMs,
    flush: applyBatch,
    idle: () => parked >= active,
  });

  function fail(err: unknown): void {
    if (failure) return;
    failure = { error: err };
    state = 'stopped';
    log.error({ err: (err as Error).message, code: (err as FicusError).code }, 'pipeline stopped');
    void source.stop().then(
      () => settle.reject(err),
      () => settle.reject(err),
    );
  }

  async function onBatch(batch: SourceBatch | DecodedBatch): Promise<void> {
    active++;
    try {
      await handle(batch);
    } finally {
      active--;
    }
  }

  async function handle(batch: SourceBatch | DecodedBatch): Promise<void> {
    if (failure) throw failure.error;
    if (state === 'stopped') throw new FicusError(PipelineErrorCode.STATE, 'the CDC pipeline has stopped');
    const items =
      'decoded' in batch ? batch.decoded.map((d) => convertDecoded(d, positionOf(d), mappings)) : batch.messages.map((m) => convert(m, mappings, decoder));
    parked++;
    try {
      if ('decoded' in batch) {
        // The built-in Postgres source acknowledges what it hands over once this resolves: applied.
        await batcher.add(items);
        return;
      }
      // Kafka: fetch on while this applies (Kafka's offsets are never committed; the sink's are, with
      // the rows, and the sink fences anything fetched twice — sinks/fence.ts), up to `ahead` items.
      batcher.add(items).catch(fail);
      await batcher.room(ahead);
    } catch (err) {
      fail(err);
      throw err;
    } finally {
      parked--;
    }
    const last = batch.messages[batch.messages.length - 1];
    if (batch.highWatermark !== undefined && last) {
      const lag = BigInt(batch.highWatermark) - BigInt(last.offset) - 1n;
      metrics.kafkaLag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(lag < 0n ? 0n : lag));
    }
  }

  return {
    metrics,
    done,
    summary,
    async start() {
      if (state !== 'new') throw new FicusError(PipelineErrorCode.STATE, 'the CDC pipeline can be started once');
      state = 'running';
      try {
        await source.start(onBatch, { fail });
      } catch (err) {
        state = 'stopped';
        settle.reject(err);
        throw err;
      }
    },
    stop() {
      if (stopping) return stopping;
      stopping = (async () => {
        if (state === 'stopped') return done;
        state = 'stopping';
        const flushed = batcher.flushNow();
        await source.stop();
        await flushed;
        if (failure) throw failure.error;
        state = 'stopped';
        const s = summary();
        settle.resolve(s);
        return s;
      })();
      return stopping;
    },
  };
}
