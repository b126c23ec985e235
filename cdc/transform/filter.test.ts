import { describe, expect, it } from 'vitest';
import { UNAVAILABLE, type ChangeEvent, type Row } from '../model.js';
import { compileFilter } from './filter.js';

const ev = (after: Row | null, op: ChangeEvent['op'] = 'c', before: Row | null = null): ChangeEvent => ({
  op,
  db: null,
  schema: 'public',
  table: 't',
  key: { id: 1 },
  before,
  after,
  tsMs: 0,
  snapshot: false,
  transaction: null,
  position: { kind: 'postgres', lsn: '0/1' },
});

describe('compileFilter', () => {
  it.each([
    ['after.active = true', { active: true }, true],
    ['after.active = true', { active: false }, false],
    ['after.active = true', { active: null }, false],
    ['after.price > 100', { price: '150.50' }, true],
    ['after.price > 100 and after.price <= 200', { price: 250 }, false],
    ["after.sku not in ('TEST', 'DEMO')", { sku: 'REAL' }, true],
    ["after.sku in ('TEST', 'DEMO')", { sku: 'DEMO' }, true],
    ['after.note is null', { note: null }, true],
    ['after.note is not null', {}, false],
    ["not (after.kind = 'x' or after.kind = 'y')", { kind: 'z' }, true],
    ['after.n != 3', { n: 3 }, false],
    ['after.n <> 4', { n: 3 }, true],
    ["op = 'c' AND key.id = 1", {}, true],
  ])('%s on %j → %s', (src, after, expected) => {
    expect(compileFilter(src)(ev(after))).toBe(expected);
  });

  it('reads before', () => {
    expect(compileFilter('before.qty < after.qty')(ev({ qty: 5 }, 'u', { qty: 2 }))).toBe(true);
  });

  it.each(['after.x = = 1', 'after.', 'foo = 1', "after.x = 'unterminated", 'after.x in ()', '(after.x = 1', 'after.x = 1 junk'])('refuses %s', (src) => {
    expect(() => compileFilter(src)).toThrow(expect.objectContaining({ code: 'CDC_MAP_FILTER' }));
  });

  it('refuses to judge an unchanged-TOAST placeholder', () => {
    expect(() => compileFilter("after.body = 'x'")(ev({ body: UNAVAILABLE }, 'u'))).toThrow(expect.objectContaining({ code: 'CDC_MAP_FILTER' }));
  });
});
