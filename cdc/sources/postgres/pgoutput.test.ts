/** The pgoutput parser on messages built byte by byte as Postgres sends them. */
import { describe, expect, it } from 'vitest';
import { UNAVAILABLE } from '../../model.js';
import { parsePgoutput, tupleValues, type PgoutputMessage } from './pgoutput.js';
import { readLsn, readLsnNumber, lsnNumber, lsnText, standbyStatus, readPgTimeMs } from './protocol.js';
import { keepalive, wire, xlogData } from './wire.case.js';

const parse = (b: Buffer): PgoutputMessage => parsePgoutput(b);

describe('parsePgoutput', () => {
  it('reads Begin, Commit, Origin and Type', () => {
    expect(parse(wire.begin('16/B374D848', 77, 1_700_000_000_123))).toEqual({
      tag: 'begin',
      finalLsn: '16/B374D848',
      commitTimeMs: 1_700_000_000_123,
      xid: 77,
    });
    expect(parse(wire.commit('0/100', '0/130'))).toMatchObject({ tag: 'commit', commitLsn: '0/100', endLsn: '0/130' });
    expect(parse(wire.origin('ficus'))).toMatchObject({ tag: 'origin', name: 'ficus' });
    expect(parse(wire.type(16_500, 'public', 'mood'))).toEqual({ tag: 'type', oid: 16_500, schema: 'public', name: 'mood' });
  });

  it('reads a Relation with key flags and replica identity', () => {
    const m = parse(
      wire.relation(
        1234,
        'shop',
        'orders',
        [
          { name: 'id', type: 23, key: true },
          { name: 'note', type: 25 },
        ],
        'f',
      ),
    );
    expect(m).toEqual({
      tag: 'relation',
      oid: 1234,
      schema: 'shop',
      name: 'orders',
      replicaIdentity: 'f',
      columns: [
        { name: 'id', typeOid: 23, typmod: -1, key: true },
        { name: 'note', typeOid: 25, typmod: -1, key: false },
      ],
    });
  });

  it('reads Insert, Update (without, with K and with O old rows), Delete and their tuples', () => {
    const ins = parse(wire.insert(1, ['7', 'ünï', null, 'UNCHANGED']));
    expect(ins.tag).toBe('insert');
    if (ins.tag === 'insert') expect(tupleValues(ins.after)).toEqual(['7', 'ünï', null, UNAVAILABLE]);
    const plain = parse(wire.update(1, ['7', 'b']));
    expect(plain).toMatchObject({ tag: 'update', oldKind: null, before: null });
    const keyed = parse(wire.update(1, ['8', 'b'], { kind: 'K', values: ['7', null] }));
    if (keyed.tag !== 'update' || !keyed.before) throw new Error('expected an update with an old key');
    expect(keyed.oldKind).toBe('K');
    expect(tupleValues(keyed.before)).toEqual(['7', null]);
    expect(tupleValues(keyed.after)).toEqual(['8', 'b']);
    const full = parse(wire.update(1, ['7', 'new'], { kind: 'O', values: ['7', 'old'] }));
    expect(full).toMatchObject({ tag: 'update', oldKind: 'O' });
    const del = parse(wire.delete(1, 'K', ['7', null]));
    if (del.tag !== 'delete') throw new Error('expected a delete');
    expect(del.oldKind).toBe('K');
    expect(tupleValues(del.before)).toEqual(['7', null]);
  });

  it('reads Truncate and Message', () => {
    expect(parse(wire.truncate([1, 2], 3))).toEqual({ tag: 'truncate', relations: [1, 2], cascade: true, restartIdentity: true });
    const m = parse(wire.message('ficus', 'hello'));
    expect(m).toMatchObject({ tag: 'message', transactional: true, prefix: 'ficus' });
    if (m.tag === 'message') expect(m.content.toString()).toBe('hello');
  });

  it('parses a message inside an XLogData frame at its offset', () => {
    const frame = xlogData(wire.begin('1/2', 5), '1/2', '1/9');
    expect(readLsn(frame, 1)).toBe('1/2');
    expect(readLsnNumber(frame, 9)).toBe(lsnNumber('1/9'));
    expect(parsePgoutput(frame, 25)).toMatchObject({ tag: 'begin', xid: 5 });
    expect(keepalive('2/0', true)[17]).toBe(1);
  });

  it.each([
    ['an unknown tag', Buffer.from('Z')],
    ['an empty message', Buffer.alloc(0)],
    ['a bad column kind', Buffer.concat([wire.insert(1, ['1']).subarray(0, 6), Buffer.from([0, 1, 0x78])])],
    ['a truncated row', wire.insert(1, ['12345']).subarray(0, 14)],
    ['an update without a new row', Buffer.concat([wire.update(1, ['1']).subarray(0, 5), Buffer.from('X')])],
  ])('refuses %s with CDC_PG_PROTOCOL', (_name, buf) => {
    expect(() => parse(buf)).toThrow(expect.objectContaining({ code: 'CDC_PG_PROTOCOL' }));
  });
});

describe('replication protocol helpers', () => {
  it('formats and parses LSNs as Postgres prints them', () => {
    for (const l of ['0/0', '0/16B3748', '16/B374D848', 'FFFF/FFFFFFFF']) expect(lsnText(lsnNumber(l))).toBe(l);
  });

  it('writes a standby status update with the flushed LSN', () => {
    const b = standbyStatus('1/20', '1/10', 946_684_800_000 + 5);
    expect(b[0]).toBe(0x72);
    expect(readLsn(b, 1)).toBe('1/20');
    expect(readLsn(b, 9)).toBe('1/10');
    expect(readLsn(b, 17)).toBe('1/10');
    expect(readPgTimeMs(b, 25)).toBe(946_684_800_005);
    expect(b[33]).toBe(0);
  });
});
