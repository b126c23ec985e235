/** The SQL of the Postgres sink's conflict policies (newerWins upserts and deletes, dead-letter checks) and where policies come from. */
import { describe, expect, it } from 'vitest';
import { parseCdcConfig } from '../config/load.js';
import type { ChangeEvent } from '../model.js';
import { parseSqlExpression } from '../transform/sql-expression.js';
import type { DeleteChange, TargetImage, UpsertChange } from '../transform/types.js';
import { collapse } from './collapse.js';
import { SinkErrorCode } from './errors.js';
import { conflictPolicies, openSink } from './open.js';
import { conflictCheckStatement, expectationSignature, newerWinsDeleteStatement } from './postgres-conflict-sql.js';
import { upsertStatement, type TableInfo } from './postgres-sql.js';

const event = (op: ChangeEvent['op']): ChangeEvent => ({ op }) as ChangeEvent;
const info: TableInfo = new Map([
  ['id', 'integer'],
  ['title', 'text'],
  ['price', 'numeric(12,2)'],
  ['updated_at', 'timestamp with time zone'],
]);
const up = (id: number, columns: UpsertChange['columns'], before?: TargetImage, op: ChangeEvent['op'] = 'u'): UpsertChange => ({
  kind: 'upsert',
  table: 'items',
  key: ['id'],
  columns: { id: { value: id }, ...columns },
  unchanged: [],
  event: event(op),
  ...(before && { before }),
});
const del = (id: number, before?: TargetImage): DeleteChange => ({
  kind: 'delete',
  table: 'items',
  key: ['id'],
  keyValues: { id },
  event: event('d'),
  ...(before && { before }),
});
const Q = '"public"."items"';

describe('newerWins upserts', () => {
  it('update an existing row only when its column is NULL or older', () => {
    const s = upsertStatement(Q, 'items', info, [up(1, { title: { value: 'a' }, updated_at: { value: '2024-01-01T00:00:00Z' } })], { newerWins: 'updated_at' });
    expect(s.text).toBe(
      'INSERT INTO "public"."items" AS t ("id", "title", "updated_at") SELECT u.c0::integer, u.c1::text, u.c2::timestamp with time zone FROM unnest($1::text[], $2::text[], $3::text[]) AS u(c0, c1, c2) ' +
        'ON CONFLICT ("id") DO UPDATE SET "title" = EXCLUDED."title", "updated_at" = EXCLUDED."updated_at" WHERE t."updated_at" IS NULL OR t."updated_at" < EXCLUDED."updated_at"',
    );
  });

  it('leave source-wins upserts as they were', () => {
    const s = upsertStatement(Q, 'items', info, [up(1, { title: { value: 'a' } })]);
    expect(s.text).not.toContain(' AS t ');
    expect(s.text).not.toContain('WHERE');
  });
});

describe('newerWins deletes', () => {
  it('delete unless the target row is newer than the deleted old row; no old value deletes', () => {
    const s = newerWinsDeleteStatement(Q, 'items', info, [del(1, { id: { value: 1 }, updated_at: { value: '2024-01-01T00:00:00Z' } }), del(2)], 'updated_at');
    expect(s.text).toBe(
      'DELETE FROM "public"."items" AS t USING unnest($1::text[], $2::text[]) AS u(c0, c1) WHERE t."id" = u.c0::integer AND ' +
        '(u.c1 IS NULL OR t."updated_at" IS NULL OR t."updated_at" <= u.c1::timestamp with time zone)',
    );
    expect(s.values).toEqual([
      ['1', '2'],
      ['2024-01-01T00:00:00Z', null],
    ]);
  });
});

describe('dead-letter checks', () => {
  it('compare the locked target row with the mapped old row, as text of the column type, through expressions', () => {
    const cents = parseSqlExpression('value / 100.0', { allowValue: true });
    const before: TargetImage = { id: { value: 1 }, title: { value: 'old' }, price: { value: 1250, expr: cents } };
    const s = conflictCheckStatement(Q, 'items', info, [
      { change: up(1, { title: { value: 'new' } }, before), expected: before },
      { change: up(2, { title: { value: 'x' } }, { ...before, id: { value: 2 } }), expected: { ...before, id: { value: 2 } } },
    ]);
    expect(s.text).toBe(
      'WITH u AS (SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(i, k0, c0, c1, c2)), ' +
        'l AS (SELECT t.* FROM "public"."items" AS t JOIN u ON t."id" = u.k0::integer FOR UPDATE OF t) ' +
        'SELECT u.i FROM u LEFT JOIN l ON l."id" = u.k0::integer WHERE l."id" IS NULL OR ' +
        'ROW(l."id"::text, l."price"::text, l."title"::text) IS DISTINCT FROM ROW((u.c0::integer)::text, (((u.c1::numeric(12,2)) / 100.0)::numeric(12,2))::text, (u.c2::text)::text)',
    );
    expect(s.values).toEqual([
      [0, 1],
      ['1', '2'],
      ['1', '2'],
      ['1250', '1250'],
      ['old', 'old'],
    ]);
  });

  it('an insert expects no row', () => {
    const s = conflictCheckStatement(Q, 'items', info, [{ change: up(3, {}, undefined, 'c'), expected: null }]);
    expect(s.text).toContain('WHERE l."id" IS NOT NULL');
    expect(expectationSignature(null)).toBe('missing');
  });

  it('group by the columns and expressions of the old row', () => {
    expect(expectationSignature({ b: { value: 1 }, a: { value: 2 } })).toBe('a:,b:');
    expect(expectationSignature({ a: { value: 2, expr: parseSqlExpression('value * 2', { allowValue: true }) } })).toBe('a:value * 2');
  });
});

describe('collapse keeps the earliest old row', () => {
  it('of merged updates', () => {
    const first = up(1, { title: { value: 'b' } }, { id: { value: 1 }, title: { value: 'a' } });
    const second = up(1, { title: { value: 'c' } }, { id: { value: 1 }, title: { value: 'b' } });
    expect(collapse([first, second])[0]?.upserts[0]?.before?.title?.value).toBe('a');
    expect(collapse([up(1, { title: { value: 'b' } }, undefined, 'c'), second])[0]?.upserts[0]?.before).toBeUndefined();
  });
});

describe('conflict policies from the config', () => {
  const cfg = (sink: string) =>
    parseCdcConfig(
      `source:\n  postgres:\n    url: postgres://db/shop\nsink:\n${sink}tables:\n` +
        `  - from: public.products\n    to: catalog_items\n    conflict: { newerWins: updated_at }\n` +
        `  - from: public.orders\n    conflict: dead-letter\n  - from: public.users\n    conflict: source-wins\n`,
    );

  it('are keyed by target table, source-wins left out', () => {
    expect([...conflictPolicies(cfg('  postgres:\n    url: postgres://db/svc\n    origin: ficus_svc\n'))]).toEqual([
      ['catalog_items', { newerWins: 'updated_at' }],
      ['orders', 'dead-letter'],
    ]);
  });

  it('are refused by sinks other than Postgres', async () => {
    await expect(openSink(cfg('  mysql:\n    url: mysql://root@127.0.0.1:3306/svc\n'))).rejects.toMatchObject({ code: SinkErrorCode.OPTIONS });
  });
});
