/** Debezium records written by the Kafka sink decode back, through our own decoder, to the same events. */
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../events/message.js';
import { UNAVAILABLE, type ChangeEvent } from '../model.js';
import { debeziumRecords, topicOf } from './kafka-envelope.js';

const event = (over: Partial<ChangeEvent> = {}): ChangeEvent => ({
  op: 'u',
  db: 'shop',
  schema: 'public',
  table: 'orders',
  key: { id: 7 },
  before: null,
  after: {
    id: 7,
    note: 'ünï',
    price: '12.50',
    big: '9007199254740993',
    ratio: 0.25,
    nan: Number.NaN,
    ok: true,
    at: '2024-05-01T08:15:30.123456Z',
    raw: Buffer.from([0, 255]),
    doc: { a: [1, 2], b: null },
    tags: ['x', null],
    empty: null,
    body: UNAVAILABLE,
  },
  tsMs: 1_700_000_000_000,
  snapshot: false,
  transaction: { id: '5:256' },
  position: { kind: 'postgres', slot: 's', lsn: '0/100', txId: '5', seq: 1 },
  ...over,
});

function roundTrip(e: ChangeEvent, schemas: boolean) {
  return debeziumRecords(e, { topicPrefix: 'shop', schemas }).map((r, i) =>
    decodeMessage({ topic: r.topic, partition: 0, offset: String(i), key: r.key, value: r.value }),
  );
}

describe('debeziumRecords', () => {
  it('names topics <prefix>.<schema>.<table>', () => {
    expect(topicOf('shop', { schema: 'public', table: 'orders' })).toBe('shop.public.orders');
    expect(topicOf('shop', { schema: null, table: 'orders' })).toBe('shop.orders');
  });

  it('decodes back to the same values with schemas', () => {
    const [decoded] = roundTrip(event(), true);
    if (decoded?.kind !== 'change') throw new Error('expected a change event');
    const e = event();
    expect(decoded.event).toMatchObject({
      op: 'u',
      db: 'shop',
      schema: 'public',
      table: 'orders',
      key: { id: 7 },
      before: null,
      tsMs: e.tsMs,
      snapshot: false,
    });
    expect(decoded.event.after).toEqual(e.after);
  });

  it('writes a tombstone after a delete, and snapshot reads as op r', () => {
    const del = roundTrip(event({ op: 'd', before: { id: 7, note: 'x' }, after: null }), true);
    expect(del.map((d) => d.kind)).toEqual(['change', 'tombstone']);
    const [read] = roundTrip(
      event({ op: 'r', snapshot: 'true', position: { kind: 'postgres', lsn: '0/1', snapshot: { table: 'public.orders', lastKey: ['7'], done: false } } }),
      false,
    );
    expect(read).toMatchObject({ kind: 'change', event: { op: 'r', snapshot: 'true', after: { id: 7, note: 'ünï', price: '12.50' } } });
  });
});
