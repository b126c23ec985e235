/**
 * The pipeline with a source that decodes itself (the built-in Postgres capture), against
 * fakes of OUR ports: change events are mapped and applied, position-only messages commit with
 * them, the handler resolves only after the sink applied the batch, and a source failure
 * reported through `events.fail` stops the pipeline with that error.
 */
import { describe, expect, it } from 'vitest';
import { FicusError } from '../core/index.js';
import type { CdcConfig } from './config/schema.js';
import type { ChangeEvent, DecodedMessage, PostgresPosition } from './model.js';
import { createPipeline } from './pipeline.js';
import type { ApplyResult, Sink, SinkBatch } from './sinks/types.js';
import type { DecodedBatch, Source, SourceBatch, SourceEvents, SourceHandler } from './sources/types.js';

const config: Pick<CdcConfig, 'tables' | 'batch'> = {
  tables: [{ from: 'public.items', columns: {}, unmapped: 'keep', computed: {}, truncate: false }],
  batch: { maxEvents: 100, maxWaitMs: 5 },
};

class FakeSource implements Source {
  handler: SourceHandler | undefined;
  events: SourceEvents | undefined;
  async start(handler: SourceHandler, events?: SourceEvents): Promise<void> {
    this.handler = handler;
    this.events = events;
  }
  async stop(): Promise<void> {}
  deliver(b: SourceBatch | DecodedBatch): Promise<void> {
    return (this.handler as SourceHandler)(b);
  }
}

class FakeSink implements Sink {
  readonly batches: SinkBatch[] = [];
  async apply(b: SinkBatch): Promise<ApplyResult> {
    this.batches.push(b);
    return { applied: b.changes.length, deadLettered: 0, fellBack: false };
  }
  async lastPositions() {
    return new Map();
  }
  async close() {}
}

const pos = (seq?: number): PostgresPosition => ({
  kind: 'postgres',
  slot: 's',
  lsn: '0/100',
  txId: '7',
  ...(seq === undefined ? { endLsn: '0/130' } : { seq }),
});
const change = (id: number, position: PostgresPosition, table = 'items'): DecodedMessage => ({
  kind: 'change',
  event: {
    op: 'c',
    db: 'shop',
    schema: 'public',
    table,
    key: { id },
    before: null,
    after: { id, note: `n${id}` },
    tsMs: Date.now(),
    snapshot: false,
    transaction: { id: '7:256' },
    position,
  } satisfies ChangeEvent,
});

describe('pipeline with decoded batches', () => {
  it('maps and applies change events, committing every position with them', async () => {
    const source = new FakeSource();
    const sink = new FakeSink();
    const pipeline = createPipeline({ config, sink, source });
    await pipeline.start();
    const heartbeat: DecodedMessage = {
      kind: 'heartbeat',
      position: { kind: 'postgres', slot: 's', lsn: '0/0', snapshot: { table: 'public.items', lastKey: null, done: true } },
    };
    await source.deliver({ decoded: [change(1, pos(1)), change(2, pos()), change(3, pos(), 'unmapped'), heartbeat] });
    expect(sink.batches).toHaveLength(1);
    expect(sink.batches[0]?.changes.map((c) => c.kind === 'upsert' && c.columns.id?.value)).toEqual([1, 2]);
    expect(sink.batches[0]?.positions).toEqual([pos(1), pos(), pos(), heartbeat.position]);
    const summary = await pipeline.stop();
    expect(summary.messages).toMatchObject({ change: 2, unmapped: 1, control: 1 });
  });

  it('stops with the error a source reports outside a batch', async () => {
    const source = new FakeSource();
    const pipeline = createPipeline({ config, sink: new FakeSink(), source });
    await pipeline.start();
    source.events?.fail(new FicusError('CDC_PG_CONNECT', 'lost'));
    await expect(pipeline.done).rejects.toMatchObject({ code: 'CDC_PG_CONNECT' });
  });
});
