import { describe, expect, it } from 'vitest';
import { comparePostgres, lsnToBigInt, positionKey, positionsToStore } from './position.js';

describe('positionsToStore', () => {
  it('keeps the next offset per topic/partition, the furthest LSN for postgres', () => {
    const out = positionsToStore([
      { kind: 'kafka', topic: 'a', partition: 0, offset: '9' },
      { kind: 'kafka', topic: 'a', partition: 0, offset: '10' },
      { kind: 'kafka', topic: 'a', partition: 0, offset: '2' },
      { kind: 'kafka', topic: 'a', partition: 1, offset: '9007199254740993' },
      { kind: 'postgres', lsn: '0/FF' },
      { kind: 'postgres', lsn: '1/0' },
    ]);
    expect(out.get('kafka:a:0')).toMatchObject({ offset: '11' });
    expect(out.get('kafka:a:1')).toMatchObject({ offset: '9007199254740994' });
    expect(out.get('postgres')).toMatchObject({ lsn: '1/0' });
  });

  it('orders LSNs numerically', () => {
    expect(lsnToBigInt('16/B374D848') > lsnToBigInt('9/FFFFFFFF')).toBe(true);
  });

  it('keeps Postgres streams apart by slot, and snapshot progress per table', () => {
    expect(positionKey({ kind: 'postgres', slot: 'a', lsn: '0/1' })).toBe('postgres:a');
    expect(positionKey({ kind: 'postgres', slot: 'a', lsn: '0/0', snapshot: { table: 'public.t', lastKey: ['5'], done: false } })).toBe(
      'postgres:a:snapshot:public.t',
    );
    const out = positionsToStore([
      { kind: 'postgres', slot: 'a', lsn: '0/0', snapshot: { table: 'public.t', lastKey: ['5'], done: false } },
      { kind: 'postgres', slot: 'a', lsn: '0/0', snapshot: { table: 'public.t', lastKey: ['9'], done: false } },
      { kind: 'postgres', slot: 'a', lsn: '0/0', snapshot: { table: 'public.t', lastKey: null, done: true } },
    ]);
    expect(out.get('postgres:a:snapshot:public.t')).toMatchObject({ snapshot: { done: true } });
  });

  it('orders positions inside a transaction by seq, the whole transaction last', () => {
    const mid = { kind: 'postgres', lsn: '0/100', seq: 3 } as const;
    const whole = { kind: 'postgres', lsn: '0/100', endLsn: '0/130' } as const;
    const next = { kind: 'postgres', lsn: '0/130', seq: 1 } as const;
    expect(comparePostgres(mid, { ...mid, seq: 4 })).toBe(-1);
    expect(comparePostgres(mid, whole)).toBe(-1);
    expect(comparePostgres(whole, next)).toBe(-1);
    expect(positionsToStore([mid, whole, { ...mid, seq: 1 }]).get('postgres')).toEqual(whole);
  });
});
