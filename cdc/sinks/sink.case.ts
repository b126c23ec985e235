/**
 * The contract every Sink implementation passes (STYLE rule 6). An implementation's
 * integration test calls `sinkContract(name, fixture)` with a fixture that creates the contract
 * table in its database:
 *
 *   contract_items (id integer PRIMARY KEY, name text NOT NULL, price numeric(12,2), body text, qty integer)
 *
 * and reads it back with every value as text (null stays null), ordered by id.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { UNAVAILABLE, type ChangeEvent, type Op, type Row } from '../model.js';
import { compileTableMapping, mapEvent } from '../transform/map.js';
import type { TargetChange } from '../transform/types.js';
import type { Sink } from './types.js';

export interface ContractRow {
  readonly id: string;
  readonly name: string;
  readonly price: string | null;
  readonly body: string | null;
  readonly qty: string | null;
}

export interface SinkFixture {
  /** Recreates contract_items empty and empties the offsets and dead-letter tables. */
  reset(): Promise<void>;
  open(): Promise<Sink>;
  /** A sink whose next apply loses its database connection inside the transaction, right before COMMIT. */
  openFailingBeforeCommit(): Promise<Sink>;
  rows(): Promise<ContractRow[]>;
  deadLetters(): Promise<{ code: string | null; reason: string; position: unknown; event: unknown }[]>;
}

const TOPIC = 'contract';
const mapping = compileTableMapping({ from: 'public.items', to: 'contract_items', columns: {}, unmapped: 'keep', computed: {}, truncate: true });

let offset = 0;
function event(op: Op, id: number, after: Row | null, before: Row | null = null): ChangeEvent {
  return {
    op,
    db: 'shop',
    schema: 'public',
    table: 'items',
    key: op === 't' ? null : { id },
    before,
    after,
    tsMs: Date.now(),
    snapshot: false,
    transaction: null,
    position: { kind: 'kafka', topic: TOPIC, partition: 0, offset: String(offset++) },
  };
}

const row = (id: number, name: string, extra: Partial<Record<'price' | 'body' | 'qty', Row[string]>> = {}): Row => ({
  id,
  name,
  price: null,
  body: null,
  qty: null,
  ...extra,
});
const c = (id: number, name: string, extra: Parameters<typeof row>[2] = {}): ChangeEvent => event('c', id, row(id, name, extra));
const u = (id: number, name: string, extra: Parameters<typeof row>[2] = {}): ChangeEvent => event('u', id, row(id, name, extra));
const d = (id: number): ChangeEvent => event('d', id, null, { id });

function batchOf(events: readonly ChangeEvent[]): { changes: TargetChange[]; positions: ChangeEvent['position'][] } {
  return { changes: events.map((e) => mapEvent(e, mapping)).filter((x): x is TargetChange => x !== null), positions: events.map((e) => e.position) };
}

const expected = (id: number, name: string, extra: Partial<Omit<ContractRow, 'id' | 'name'>> = {}): ContractRow => ({
  id: String(id),
  name,
  price: null,
  body: null,
  qty: null,
  ...extra,
});

async function nextOffset(sink: Sink): Promise<string | undefined> {
  const p = (await sink.lastPositions()).get(`kafka:${TOPIC}:0`);
  return p?.kind === 'kafka' ? p.offset : undefined;
}

export function sinkContract(name: string, fixture: () => SinkFixture): void {
  describe(`Sink contract: ${name}`, () => {
    let f: SinkFixture;
    beforeEach(async () => {
      f = fixture();
      await f.reset();
    });

    async function withSink<T>(fn: (sink: Sink) => Promise<T>): Promise<T> {
      const sink = await f.open();
      try {
        return await fn(sink);
      } finally {
        await sink.close();
      }
    }

    it('applies creates, updates and deletes, and stores the next offset', async () => {
      await withSink(async (sink) => {
        await sink.apply(batchOf([c(1, 'a', { price: '1.50' }), c(2, 'b'), c(3, 'c')]));
        const second = [u(2, 'b2', { qty: 7 }), d(3)];
        await sink.apply(batchOf(second));
        expect(await f.rows()).toEqual([expected(1, 'a', { price: '1.50' }), expected(2, 'b2', { qty: '7' })]);
        const last = second.at(-1)?.position;
        expect(await nextOffset(sink)).toBe(String(Number(last?.kind === 'kafka' ? last.offset : -1) + 1));
      });
    });

    it('is idempotent: the same batch applied twice gives the same target and offsets', async () => {
      await withSink(async (sink) => {
        const batch = batchOf([c(1, 'a'), c(2, 'b'), u(1, 'a2'), d(2), c(4, 'd', { body: 'x' })]);
        await sink.apply(batch);
        const rows = await f.rows();
        const at = await nextOffset(sink);
        await sink.apply(batch);
        expect(await f.rows()).toEqual(rows);
        expect(await nextOffset(sink)).toBe(at);
        expect(rows).toEqual([expected(1, 'a2'), expected(4, 'd', { body: 'x' })]);
      });
    });

    it('fences a late batch: what is below the stored offset is not applied again, only what is past it', async () => {
      await withSink(async (sink) => {
        const older = [c(1, 'a'), u(1, 'a1'), c(2, 'b')];
        const newer = [u(1, 'a2'), d(2)];
        await sink.apply(batchOf([...older, ...newer]));
        const at = await nextOffset(sink);
        // A member that lost the partition applies its stale batch late: nothing changes.
        const late = await sink.apply(batchOf(older));
        expect(late.applied).toBe(0);
        expect(await f.rows()).toEqual([expected(1, 'a2')]);
        expect(await nextOffset(sink)).toBe(at);
        // A batch reaching past the stored offset applies only its new part.
        const next = c(3, 'c');
        const overlap = await sink.apply(batchOf([...newer, next]));
        expect(overlap.applied).toBe(1);
        expect(await f.rows()).toEqual([expected(1, 'a2'), expected(3, 'c')]);
      });
    });

    it('stores positions with the rows and reads them back after reopening', async () => {
      const events = [c(1, 'a'), c(2, 'b')];
      await withSink((sink) => sink.apply(batchOf(events)));
      await withSink(async (sink) => {
        const last = events[1]?.position;
        expect(await nextOffset(sink)).toBe(last?.kind === 'kafka' ? String(BigInt(last.offset) + 1n) : 'none');
        expect(await f.rows()).toHaveLength(2);
      });
    });

    it('leaves neither rows nor offsets when the connection dies mid-transaction', async () => {
      await withSink((sink) => sink.apply(batchOf([c(1, 'a')])));
      const before = await withSink((sink) => nextOffset(sink));
      const failing = await f.openFailingBeforeCommit();
      try {
        await expect(failing.apply(batchOf([u(1, 'changed'), c(2, 'b'), d(1)]))).rejects.toMatchObject({ retriable: true, code: 'CDC_SINK_RETRIABLE' });
      } finally {
        await failing.close();
      }
      await withSink(async (sink) => {
        expect(await f.rows()).toEqual([expected(1, 'a')]);
        expect(await nextOffset(sink)).toBe(before);
      });
    });

    it('ends with the re-inserted row after a delete then insert of the same key in one batch', async () => {
      await withSink(async (sink) => {
        await sink.apply(batchOf([c(1, 'old', { body: 'old body', qty: 5 }), c(2, 'two', { body: 'keep' })]));
        await sink.apply(
          batchOf([
            d(1),
            c(1, 'new'), // re-insert: nothing of the old row may survive
            d(2),
            c(2, 'two again', { body: 'fresh' }),
            u(2, 'two updated', { body: UNAVAILABLE }), // update after the re-insert: body from the re-insert
            c(3, 'three'),
            d(3), // insert then delete: gone
          ]),
        );
        expect(await f.rows()).toEqual([expected(1, 'new'), expected(2, 'two updated', { body: 'fresh' })]);
      });
    });

    it('applies an update after a delete of the same key as the new row', async () => {
      await withSink(async (sink) => {
        await sink.apply(batchOf([c(1, 'a', { qty: 1 })]));
        await sink.apply(batchOf([d(1), u(1, 'back', { qty: 2 })]));
        expect(await f.rows()).toEqual([expected(1, 'back', { qty: '2' })]);
      });
    });

    it('leaves an unchanged-TOAST column as it is on update', async () => {
      await withSink(async (sink) => {
        await sink.apply(batchOf([c(1, 'a', { body: 'a long toasted body', qty: 1 })]));
        await sink.apply(batchOf([u(1, 'a2', { body: UNAVAILABLE, qty: 2 })]));
        await sink.apply(batchOf([u(1, 'a3', { body: UNAVAILABLE, qty: UNAVAILABLE }), u(1, 'a4', { body: UNAVAILABLE, qty: 3 })]));
        expect(await f.rows()).toEqual([expected(1, 'a4', { body: 'a long toasted body', qty: '3' })]);
      });
    });

    it('dead-letters a row with a type error while the rest of the batch applies', async () => {
      await withSink(async (sink) => {
        const bad = c(11, 'bad', { qty: 'not a number' });
        const events = [c(10, 'ok'), bad, c(12, 'ok too'), u(10, 'ok updated')];
        const result = await sink.apply(batchOf(events));
        expect(result).toMatchObject({ applied: 3, deadLettered: 1, fellBack: true });
        expect(await f.rows()).toEqual([expected(10, 'ok updated'), expected(12, 'ok too')]);
        const letters = await f.deadLetters();
        expect(letters).toHaveLength(1);
        expect(letters[0]?.code).toMatch(/^CDC_SINK_DATA/);
        expect(letters[0]?.position).toEqual(bad.position);
        expect(letters[0]?.event).toMatchObject({ op: 'c', table: 'items', after: { id: 11, qty: 'not a number' } });
        const last = events.at(-1)?.position;
        expect(await nextOffset(sink)).toBe(last?.kind === 'kafka' ? String(BigInt(last.offset) + 1n) : 'none');
      });
    });

    it('stores dead letters handed in with the batch, in the same transaction', async () => {
      await withSink(async (sink) => {
        const poison = event('c', 5, { id: 5, name: 'x', body: UNAVAILABLE });
        await sink.apply({
          changes: [],
          positions: [poison.position],
          deadLetters: [{ position: poison.position, reason: 'unavailable on insert', code: 'CDC_MAP_UNAVAILABLE_ON_INSERT', event: poison }],
        });
        const letters = await f.deadLetters();
        expect(letters.map((l) => l.code)).toEqual(['CDC_MAP_UNAVAILABLE_ON_INSERT']);
        expect(letters[0]?.event).toMatchObject({ after: { body: '__debezium_unavailable_value' } });
        expect(await f.rows()).toEqual([]);
      });
    });

    it('applies a truncate, keeping only what follows it in the batch', async () => {
      await withSink(async (sink) => {
        await sink.apply(batchOf([c(1, 'a'), c(2, 'b')]));
        await sink.apply(batchOf([c(3, 'c'), event('t', 0, null), c(4, 'd')]));
        expect(await f.rows()).toEqual([expected(4, 'd')]);
      });
    });
  });
}
