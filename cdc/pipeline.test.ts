/**
 * The pipeline's batching, dead-lettering and retry logic against fakes of OUR ports (Source,
 * Sink): no Kafka, no Postgres; timers and sleeping are real but short, backoff delays recorded.
 */
import { describe, expect, it } from 'vitest';
import { FicusError } from '../core/index.js';
import type { CdcConfig } from './config/schema.js';
import { createPipeline, type PipelineOptions } from './pipeline.js';
import { backoffDelay, DEFAULT_BACKOFF } from './pipeline/retry.js';
import type { ApplyResult, Sink, SinkBatch } from './sinks/types.js';
import type { Source, SourceBatch, SourceHandler, SourceMessage } from './sources/types.js';

const config = (maxEvents: number, maxWaitMs: number): Pick<CdcConfig, 'tables' | 'batch'> => ({
  tables: [{ from: 'public.products', columns: {}, unmapped: 'keep', computed: {}, truncate: false }],
  batch: { maxEvents, maxWaitMs },
});

let offset = 0;
function msg(partition: number, value: unknown, table = 'products'): SourceMessage {
  const v =
    value === null
      ? null
      : typeof value === 'string'
        ? value
        : JSON.stringify({ op: 'c', before: null, after: value, source: { schema: 'public', table, ts_ms: Date.now() } });
  const id = typeof value === 'object' && value !== null ? (value as { id: number }).id : 0;
  return { topic: 't', partition, offset: String(offset++), key: Buffer.from(JSON.stringify({ id })), value: v === null ? null : Buffer.from(v) };
}
const batch = (partition: number, messages: SourceMessage[]): SourceBatch => ({ topic: 't', partition, messages });

class FakeSource implements Source {
  handler: SourceHandler | undefined;
  stopped = 0;
  async start(handler: SourceHandler): Promise<void> {
    this.handler = handler;
  }
  async stop(): Promise<void> {
    this.stopped++;
  }
  deliver(b: SourceBatch): Promise<void> {
    if (!this.handler) throw new Error('not started');
    return this.handler(b);
  }
}

class FakeSink implements Sink {
  readonly batches: SinkBatch[] = [];
  failures: unknown[] = [];
  async apply(b: SinkBatch): Promise<ApplyResult> {
    const f = this.failures.shift();
    if (f) throw f;
    this.batches.push(b);
    return { applied: b.changes.length, deadLettered: b.deadLetters?.length ?? 0, fellBack: false };
  }
  async lastPositions() {
    return new Map();
  }
  async close() {}
}

function setup(maxEvents: number, maxWaitMs: number, extra: Partial<PipelineOptions> = {}) {
  const source = new FakeSource();
  const sink = new FakeSink();
  const delays: number[] = [];
  const pipeline = createPipeline({
    config: config(maxEvents, maxWaitMs),
    sink,
    source,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    ...extra,
  });
  return { source, sink, pipeline, delays };
}

/** Lets the batcher's zero-delay flush and the sink's fake apply run. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

const retriable = () => new FicusError('CDC_SINK_RETRIABLE', 'connection lost', { retriable: true });

describe('cdc pipeline (fake source and sink)', () => {
  it('splits a source batch into sink batches of at most maxEvents, flushing at once when nothing more can arrive', async () => {
    const { source, sink, pipeline } = setup(3, 1000);
    await pipeline.start();
    const ms = Array.from({ length: 7 }, (_, i) => msg(0, { id: i }));
    await source.deliver(batch(0, ms));
    await settle();
    // No source batch is in progress, so nothing more can arrive before the next fetch: the last
    // item goes at once instead of waiting out maxWaitMs (1 s here).
    expect(sink.batches.map((b) => b.positions.length)).toEqual([3, 3, 1]);
    await pipeline.stop();
    expect(sink.batches.flatMap((b) => b.positions.map((p) => (p.kind === 'kafka' ? p.offset : '')))).toEqual(ms.map((m) => m.offset));
  });

  it('acknowledges Kafka batches while earlier ones apply, up to three batches ahead', async () => {
    const { source, sink, pipeline } = setup(2, 0);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const apply = sink.apply.bind(sink);
    sink.apply = async (b) => {
      await gate;
      return apply(b);
    };
    await pipeline.start();
    // 3 × maxEvents = 6 items may wait: the first delivery (4) is acknowledged at once, the second (4) waits for room.
    await source.deliver(
      batch(
        0,
        [0, 1, 2, 3].map((id) => msg(0, { id })),
      ),
    );
    let second = false;
    const ack = source
      .deliver(
        batch(
          0,
          [4, 5, 6, 7].map((id) => msg(0, { id })),
        ),
      )
      .then(() => (second = true));
    await settle();
    expect(second).toBe(false);
    expect(sink.batches).toHaveLength(0);
    open();
    await ack;
    await pipeline.stop();
    expect(sink.batches.flatMap((b) => b.changes.map((c) => c.event.position)).map((p) => (p.kind === 'kafka' ? Number(p.offset) : -1))).toEqual(
      [...sink.batches.flatMap((b) => b.positions)].map((p) => (p.kind === 'kafka' ? Number(p.offset) : -1)),
    );
    expect(sink.batches.reduce((n, b) => n + b.changes.length, 0)).toBe(8);
  });

  it('gathers concurrent partition batches into one sink batch', async () => {
    const { source, sink, pipeline } = setup(100, 30);
    await pipeline.start();
    await Promise.all([source.deliver(batch(0, [msg(0, { id: 1 })])), source.deliver(batch(1, [msg(1, { id: 2 }), msg(1, { id: 3 })]))]);
    await settle();
    expect(sink.batches).toHaveLength(1);
    expect(sink.batches[0]?.changes).toHaveLength(3);
    await pipeline.stop();
  });

  it('dead-letters poison messages with their position, skips unmapped tables and control messages, commits all positions', async () => {
    const { source, sink, pipeline } = setup(10, 0);
    await pipeline.start();
    const poison = msg(0, 'not json {');
    await source.deliver(batch(0, [msg(0, { id: 1 }), poison, msg(0, { id: 2 }, 'unmapped_table'), msg(0, null)]));
    const b = sink.batches[0];
    expect(b?.changes).toHaveLength(1);
    expect(b?.positions).toHaveLength(4);
    expect(b?.deadLetters).toEqual([
      expect.objectContaining({
        code: 'CDC_DECODE_JSON',
        position: { kind: 'kafka', topic: 't', partition: 0, offset: poison.offset },
        event: { key: '{"id":0}', value: 'not json {' },
      }),
    ]);
    const summary = await pipeline.stop();
    expect(summary.messages).toEqual({ change: 1, 'dead-letter': 1, control: 1, unmapped: 1, skipped: 0 });
  });

  it('retries retriable sink errors with exponential backoff, then applies', async () => {
    const { source, sink, pipeline, delays } = setup(10, 0);
    sink.failures = [retriable(), retriable(), retriable()];
    await pipeline.start();
    await source.deliver(batch(0, [msg(0, { id: 1 })]));
    await settle();
    await pipeline.stop();
    expect(sink.batches).toHaveLength(1);
    expect(delays).toEqual([200, 400, 800]);
    expect(await pipeline.metrics.registry.getSingleMetricAsString('ficus_cdc_apply_retries_total')).toContain(' 3');
  });

  it('stops on a non-retriable sink error: nothing applied, done rejects with CDC_PIPELINE_STOPPED, later batches are refused', async () => {
    const { source, sink, pipeline, delays } = setup(10, 0);
    sink.failures = [new FicusError('CDC_SINK_SCHEMA', 'target table products does not exist')];
    await pipeline.start();
    await source.deliver(batch(0, [msg(0, { id: 1 })]));
    await expect(pipeline.done).rejects.toMatchObject({ code: 'CDC_PIPELINE_STOPPED', details: { cause: 'CDC_SINK_SCHEMA' } });
    expect(delays).toEqual([]);
    expect(source.stopped).toBeGreaterThan(0);
    await expect(source.deliver(batch(0, [msg(0, { id: 2 })]))).rejects.toMatchObject({ code: 'CDC_PIPELINE_STOPPED' });
    expect(sink.batches).toHaveLength(0);
  });

  it('stops when retries are used up', async () => {
    const { source, sink, pipeline, delays } = setup(10, 0, { backoff: { retries: 2 } });
    sink.failures = [retriable(), retriable(), retriable()];
    await pipeline.start();
    await source.deliver(batch(0, [msg(0, { id: 1 })]));
    await expect(pipeline.done).rejects.toMatchObject({ code: 'CDC_PIPELINE_STOPPED', details: { attempts: 3 } });
    expect(delays).toHaveLength(2);
  });

  it('computes capped, jittered backoff delays', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0.5)).toBe(200);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(800);
    expect(backoffDelay(30, DEFAULT_BACKOFF, () => 1)).toBe(DEFAULT_BACKOFF.maxRetryTime);
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0)).toBe(160);
  });
});
