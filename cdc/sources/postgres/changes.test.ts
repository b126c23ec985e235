/**
 * The change builder: events and positions from pgoutput messages — the last change of a
 * transaction carries the whole-transaction position, a restart skips what was applied (whole
 * transactions, and the first `seq` changes of a partly applied one), skipped origins, keys
 * from the primary key, key-changing updates, REPLICA IDENTITY FULL images, truncates.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/index.js';
import { UNAVAILABLE, type ChangeEvent, type DecodedMessage, type PostgresPosition } from '../../model.js';
import type { SourceTable } from './catalog.js';
import { createChangeBuilder } from './changes.js';
import { parsePgoutput } from './pgoutput.js';
import { wire, type WireValue } from './wire.case.js';

const TABLE: SourceTable = {
  oid: 1,
  schema: 'public',
  name: 'items',
  id: 'public.items',
  qualified: '"public"."items"',
  identity: 'd',
  columns: [],
  primaryKey: ['id'],
};
const COLUMNS = [
  { name: 'id', type: 23, key: true },
  { name: 'note', type: 25 },
  { name: 'body', type: 25 },
];

function setup(skipOrigins: string[] = [], identity = 'd') {
  const out: DecodedMessage[] = [];
  const b = createChangeBuilder({
    slot: 's1',
    db: 'shop',
    tables: [TABLE],
    types: new Map(),
    skipOrigins: new Set(skipOrigins),
    emit: (m) => out.push(m),
    logger: silentLogger(),
  });
  const feed = (...msgs: Buffer[]) => msgs.forEach((m) => b.handle(parsePgoutput(m)));
  feed(wire.relation(1, 'public', 'items', COLUMNS, identity));
  const events = () => out.map((m) => (m as { event: ChangeEvent }).event);
  return { b, feed, out, events };
}

const tx = (lsn: string, end: string, xid: number, ...changes: Buffer[]) => [wire.begin(lsn, xid), ...changes, wire.commit(lsn, end)];
const ins = (id: number, note = 'n', body: WireValue = 'b') => wire.insert(1, [String(id), note, body]);

describe('createChangeBuilder', () => {
  it('emits change events; the last one of a transaction carries the whole-transaction position', () => {
    const { feed, events, b } = setup();
    feed(wire.begin('0/100', 7, 1_700_000_000_000), ins(1), ins(2));
    expect(b.inTransaction).toBe(true);
    expect(events().map((e) => e.position)).toEqual([{ kind: 'postgres', slot: 's1', lsn: '0/100', txId: '7', seq: 1 }]);
    feed(wire.commit('0/100', '0/130'));
    expect(b.inTransaction).toBe(false);
    const [first, second] = events();
    expect(first).toMatchObject({
      op: 'c',
      db: 'shop',
      schema: 'public',
      table: 'items',
      key: { id: 1 },
      before: null,
      after: { id: 1, note: 'n', body: 'b' },
    });
    expect(first?.tsMs).toBe(1_700_000_000_000);
    expect(first?.transaction).toEqual({ id: `7:${0x100}` });
    expect(second?.position).toEqual({ kind: 'postgres', slot: 's1', lsn: '0/100', txId: '7', endLsn: '0/130' });
  });

  it('after a restart skips whole transactions up to the resume position and the applied part of the one in progress', () => {
    const { feed, events, b } = setup();
    b.resumeAfter({ kind: 'postgres', slot: 's1', lsn: '0/200', txId: '8', seq: 2 } satisfies PostgresPosition);
    feed(...tx('0/100', '0/130', 7, ins(1)), ...tx('0/200', '0/230', 8, ins(2), ins(3), ins(4)), ...tx('0/300', '0/330', 9, ins(5)));
    expect(events().map((e) => e.after?.id)).toEqual([4, 5]);
    expect(events()[0]?.position).toMatchObject({ lsn: '0/200', endLsn: '0/230' });
    const again = setup();
    again.b.resumeAfter({ kind: 'postgres', slot: 's1', lsn: '0/200', endLsn: '0/230' });
    again.feed(...tx('0/200', '0/230', 8, ins(2)), ...tx('0/300', '0/330', 9, ins(5)));
    expect(again.events().map((e) => e.after?.id)).toEqual([5]);
  });

  it('drops transactions of a skipped replication origin', () => {
    const { feed, events, b } = setup(['ficus']);
    feed(wire.begin('0/100', 7), wire.origin('ficus'), ins(1), wire.commit('0/100', '0/130'));
    feed(wire.begin('0/200', 8), wire.origin('someone'), ins(2), wire.commit('0/200', '0/230'));
    expect(events().map((e) => e.after?.id)).toEqual([2]);
    expect(b.skippedByOrigin).toBe(1);
  });

  it('makes a key-changing update a delete of the old key and a create of the new one', () => {
    const { feed, events } = setup();
    feed(...tx('0/100', '0/130', 7, wire.update(1, ['9', 'n', 'b'], { kind: 'K', values: ['1', null, null] })));
    expect(events().map((e) => [e.op, e.key, e.before, e.after])).toEqual([
      ['d', { id: 1 }, null, null],
      ['c', { id: 9 }, null, { id: 9, note: 'n', body: 'b' }],
    ]);
  });

  it('keeps an unchanged TOASTed value UNAVAILABLE, or fills it from the old row under REPLICA IDENTITY FULL', () => {
    const plain = setup();
    plain.feed(...tx('0/100', '0/130', 7, wire.update(1, ['1', 'new', 'UNCHANGED'])));
    expect(plain.events()[0]).toMatchObject({ op: 'u', before: null, after: { id: 1, note: 'new', body: UNAVAILABLE } });
    const full = setup([], 'f');
    full.feed(...tx('0/100', '0/130', 7, wire.update(1, ['1', 'new', 'UNCHANGED'], { kind: 'O', values: ['1', 'old', 'long body'] })));
    expect(full.events()[0]).toMatchObject({ op: 'u', before: { id: 1, note: 'old', body: 'long body' }, after: { id: 1, note: 'new', body: 'long body' } });
  });

  it('deletes carry the key (and the old row only under FULL); truncates name the table', () => {
    const { feed, events } = setup();
    feed(...tx('0/100', '0/130', 7, wire.delete(1, 'K', ['3', null, null]), wire.truncate([1])));
    expect(events().map((e) => [e.op, e.table, e.key, e.before])).toEqual([
      ['d', 'items', { id: 3 }, null],
      ['t', 'items', null, null],
    ]);
  });

  it('takes keys from the relation flags when the catalog knows no primary key', () => {
    const out: DecodedMessage[] = [];
    const b = createChangeBuilder({
      slot: 's1',
      db: 'shop',
      tables: [],
      types: new Map(),
      skipOrigins: new Set(),
      emit: (m) => out.push(m),
      logger: silentLogger(),
    });
    b.handle(
      parsePgoutput(
        wire.relation(5, 'public', 'other', [
          { name: 'a', type: 25 },
          { name: 'code', type: 25, key: true },
        ]),
      ),
    );
    for (const m of tx('0/1', '0/2', 1, wire.insert(5, ['x', 'K1']))) b.handle(parsePgoutput(m));
    expect((out[0] as { event: ChangeEvent }).event.key).toEqual({ code: 'K1' });
  });

  it('refuses a change for a relation it was not told about', () => {
    const { feed } = setup();
    expect(() => feed(wire.begin('0/1', 1), wire.insert(42, ['1']))).toThrow(/relation 42/);
  });
});
