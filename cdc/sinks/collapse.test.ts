import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../model.js';
import type { DeleteChange, TargetChange, UpsertChange } from '../transform/types.js';
import { collapse, keyId } from './collapse.js';

const event = {} as ChangeEvent;
const up = (id: number, cols: Record<string, string | null>, unchanged: string[] = [], table = 't'): UpsertChange => ({
  kind: 'upsert',
  table,
  key: ['id'],
  columns: Object.fromEntries([['id', { value: id }], ...Object.entries(cols).map(([k, v]) => [k, { value: v }])]),
  unchanged,
  event,
});
const del = (id: number, table = 't'): TargetChange => ({ kind: 'delete', table, key: ['id'], keyValues: { id }, event });
const values = (u: UpsertChange | undefined): Record<string, unknown> => Object.fromEntries(Object.entries(u?.columns ?? {}).map(([k, v]) => [k, v.value]));

describe('collapse', () => {
  it('merges upserts of one key, later values winning, unchanged columns keeping earlier ones', () => {
    const [t] = collapse([up(1, { a: 'x', b: 'y' }), up(1, { a: 'x2' }, ['b']), up(1, { c: 'z' }, ['d'])]);
    expect(t?.upserts).toHaveLength(1);
    expect(values(t?.upserts[0])).toEqual({ id: 1, a: 'x2', b: 'y', c: 'z' });
    expect(t?.upserts[0]?.unchanged).toEqual(['d']);
    expect(t?.deletes).toEqual([]);
  });

  it('keeps a delete before a re-insert, and drops what the delete overrides', () => {
    const [t] = collapse([up(1, { a: 'old' }), del(1), up(1, { a: 'new' })]);
    expect(t?.deletes).toHaveLength(1);
    expect(values(t?.upserts[0])).toEqual({ id: 1, a: 'new' });
  });

  it('ends with a delete after insert then delete', () => {
    const [t] = collapse([up(1, { a: 'x' }), del(1)]);
    expect(t?.upserts).toEqual([]);
    expect(t?.deletes).toHaveLength(1);
  });

  it('treats keys 1 and "1" as the same key', () => {
    const [t] = collapse([up(1, { a: 'x' }), { ...up(1, { a: 'y' }), columns: { id: { value: '1' }, a: { value: 'y' } } }]);
    expect(t?.upserts).toHaveLength(1);
  });

  it('tells keys apart by column, type and value', () => {
    const ids = [
      keyId(up(1, {})),
      keyId({ ...up(1, {}), key: ['a'], columns: { a: { value: 1 } } }),
      keyId({ ...up(1, {}), columns: { id: { value: true } } }),
      keyId({ ...up(1, {}), columns: { id: { value: null } } }),
      keyId({ ...up(1, {}), key: ['id', 'a'], columns: { id: { value: 1 }, a: { value: 'x' } } }),
      keyId({ ...up(1, {}), key: ['id:1'], columns: { 'id:1': { value: '' } } }),
      keyId({ ...up(1, {}), columns: { id: { value: '1:' } } }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(keyId(del(1) as DeleteChange)).toBe(keyId(up(1, {})));
    expect(keyId({ ...up(1, {}), columns: { id: { value: Buffer.from('ab') } } })).toBe(keyId({ ...up(1, {}), columns: { id: { value: Buffer.from('ab') } } }));
  });

  it('truncate discards earlier changes of its table only', () => {
    const out = collapse([up(1, {}), up(2, {}, [], 'o'), { kind: 'truncate', table: 't', event }, up(3, {})]);
    const t = out.find((x) => x.table === 't');
    const o = out.find((x) => x.table === 'o');
    expect(t?.truncate).not.toBeNull();
    expect(t?.upserts.map((u) => u.columns.id?.value)).toEqual([3]);
    expect(o?.upserts).toHaveLength(1);
    expect(o?.truncate).toBeNull();
  });
});
