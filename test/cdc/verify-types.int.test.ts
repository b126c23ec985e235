/**
 * Verify's SQL agrees with the pipeline's JS on real Postgres, value kind by value kind:
 * - columns: a table of awkward values (nulls, quotes, backslashes, unicode, NaN, arrays with
 *   NULL items, JSON in another key order, bytes with zeros, numeric scale, truncating varchar,
 *   epoch-ms → timestamptz and 'yes'/'no' → boolean coercions, an enum known only to the
 *   target) is applied through mapEvent and the sink, and verify must find it equal, with the
 *   one column it cannot derive (jsonb → text) reported as not compared;
 * - repair: the same rows read back from the source and re-applied come out equal;
 * - filters: each `where` evaluated by compileFilter on every row selects exactly the rows its
 *   SQL translation selects.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTableMapping, mapEvent, openPostgresSink, parseCdcConfig, verifyCdc, type CdcValue, type ChangeEvent, type TargetChange } from '../../cdc/index.js';
import { compileFilter, parseFilter } from '../../cdc/transform/filter.js';
import { translateFilter } from '../../cdc/verify/filter-sql.js';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';

let srcDb: TestDatabase;
let tgtDb: TestDatabase;
let src: pg.Pool;
let tgt: pg.Pool;

// Decoder-like values: int8 as a number when safe; date/times and JSON as their text, as Debezium sends
// them (io.debezium.data.Json is a string, so a JSON null stays the JSON text 'null', not SQL NULL).
const types = {
  getTypeParser(oid: number, format?: string): (v: string) => unknown {
    if (oid === 20) return (v: string) => (Number.isSafeInteger(Number(v)) ? Number(v) : v);
    if ([114, 3802, 1082, 1114, 1184].includes(oid)) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function event(table: string, after: Record<string, unknown>, key: string[]): ChangeEvent {
  const row = after as Record<string, CdcValue>;
  return {
    op: 'r',
    db: null,
    schema: 'public',
    table,
    key: Object.fromEntries(key.map((k) => [k, row[k] ?? null])),
    before: null,
    after: row,
    tsMs: null,
    snapshot: 'true',
    transaction: null,
    position: { kind: 'postgres', lsn: '0/0' },
  };
}

beforeAll(async () => {
  [srcDb, tgtDb] = await Promise.all([createTestDatabase('verify_types_src'), createTestDatabase('verify_types_tgt')]);
  src = new pg.Pool({ connectionString: srcDb.url, max: 2, types });
  tgt = new pg.Pool({ connectionString: tgtDb.url, max: 2 });
});

afterAll(async () => {
  await src?.end();
  await tgt?.end();
  await Promise.all([srcDb?.drop(), tgtDb?.drop()]);
});

describe('verify and the pipeline agree on values', () => {
  it('finds a table of awkward values equal after applying it through mapEvent and the sink', async () => {
    await src.query(`
      CREATE TABLE kinds (id bigint PRIMARY KEY, small integer, amount numeric(10,3), label text, flag boolean, blob bytea, doc json, docb jsonb,
        epoch_ms bigint, yes_no text, uid uuid, day date, ratio float8, tags text[], mood text, at timestamptz, note jsonb);
      INSERT INTO kinds VALUES
        (1, 1, 1.5, 'plain', true, '\\x00ff10', '{"b": 1, "a": [1, 2]}', '{"z": {"y": 1, "x": null}}', 1700000000123, 'yes',
         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', 0.1, ARRAY['a', 'b c', NULL, 'q"uote', 'back\\slash'], 'happy', '2024-03-01 10:11:12.345678+02', '{"k": 1}'),
        (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (3, -7, 0.000, 'a much longer label', false, '\\x', '[]', '[1, "two", {"3": 3}]', 0, 'No', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '1970-01-01',
         'NaN', '{}', 'sad', '1999-12-31 23:59:59.999999+00', '"s"'),
        (4, 2147483647, 12345.678, 'ünï''cödé', true, '\\x5c27', '{"a": "it''s \\\\ \\"q\\""}', '{"a": 1, "b": 2}', 1, '0', NULL, '0001-01-01',
         'Infinity', ARRAY['', 'x'], NULL, 'infinity', 'null'),
        (9007199254740993, 0, -1.001, '', true, '\\x00', 'null', 'true', 86400000, 't', NULL, NULL, 1e-7, ARRAY['NULL'], 'happy', '-infinity', '[]');`);
    await tgt.query(`
      CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE TABLE kinds (id bigint PRIMARY KEY, small bigint, amount numeric, label varchar(5), flag boolean, blob bytea, doc jsonb, docb json,
        happened_at timestamptz, yes_no boolean, uid uuid, day date, ratio float8, tags text[], mood mood, at timestamptz, note text);`);
    const yaml = `
source: { postgres: { url: "${srcDb.url}" } }
sink: { postgres: { url: "${tgtDb.url}" } }
verify: { chunkRows: 10, recheckAfterMs: 0 }
tables:
  - from: kinds
    columns:
      epoch_ms: { to: happened_at, type: timestamptz }
      yes_no: { type: boolean }
`;
    const config = parseCdcConfig(yaml);
    const mapping = compileTableMapping(config.tables[0]!);
    const rows = (await src.query('SELECT * FROM kinds')).rows as Record<string, unknown>[];
    const changes = rows.map((r) => mapEvent(event('kinds', r, ['id']), mapping)).filter((c): c is TargetChange => c !== null);
    const sink = await openPostgresSink({ url: tgtDb.url });
    try {
      const applied = await sink.apply({ changes, positions: [] });
      expect(applied).toMatchObject({ applied: rows.length, deadLettered: 0 });
    } finally {
      await sink.close();
    }
    const r = await verifyCdc({ config });
    const t = r.tables[0]!;
    expect(t.mismatches).toEqual({ missing: [], extra: [], different: [], truncated: false });
    expect(t.status).toBe('equal');
    expect(t.rows).toEqual({ source: 5, target: 5 });
    expect(t.notCompared.map((n) => n.column)).toEqual(['note']);
    expect(t.compared).toContain('mood');
    // And a changed value in any of those columns is seen.
    await tgt.query(`UPDATE kinds SET tags = ARRAY['a', 'b c', NULL, 'q"uote', 'back\\slash', 'more'], ratio = 0.1000001 WHERE id = 1`);
    const changed = (await verifyCdc({ config })).tables[0]!;
    expect(changed.mismatches.different.map((d) => [d.key, d.columns.map((c) => c.column)])).toEqual([[{ id: '1' }, ['ratio', 'tags']]]);
    // Repair reads the rows back from the source as a decoder would give them and re-applies them.
    await tgt.query('DELETE FROM kinds WHERE id IN (3, 9007199254740993)');
    const repaired = (await verifyCdc({ config, repair: true })).tables[0]!;
    expect(repaired.repair).toEqual({ upserted: 3, deleted: 0, deadLettered: 0 });
    expect((await verifyCdc({ config })).equal).toBe(true);
  });

  it('selects the same rows with a where filter in SQL as compileFilter does in JS', async () => {
    await src.query(`
      CREATE TABLE f (id integer PRIMARY KEY, a integer, s text, b boolean, n numeric);
      INSERT INTO f VALUES (1, 1, 'x', true, 1.5), (2, 3, 'y', false, 2.5), (3, NULL, NULL, NULL, NULL), (4, 5, 'x', NULL, 10),
                           (5, 3, 'z', true, 2.49), (6, 7, 'it''s', false, -1), (7, NULL, 'y', true, 3);`);
    const rows = (await src.query('SELECT * FROM f ORDER BY id')).rows as Record<string, unknown>[];
    const filters = [
      'after.a > 3',
      "after.a = 3 or after.s = 'x'",
      'not (after.a > 3 and after.b = true)',
      'not after.a > 3',
      "after.s in ('x', null)",
      "after.s not in ('x', 'y')",
      "after.s not in (null)",
      'after.b',
      'after.b = true and not after.b = false',
      'after.a is null or after.n >= 2.5',
      'after.missing is null',
      'after.missing = 1',
      'key.id < 5 and after.a is not null',
      "after.s = 'it''s'",
      'after.n < 2.5',
      'after.b != true',
    ];
    for (const src_ of filters) {
      const js = rows.filter((r) => compileFilter(src_)(event('f', r, ['id']))).map((r) => r.id);
      const t = translateFilter(parseFilter(src_), (c) => (['id', 'a', 's', 'b', 'n'].includes(c) ? `r."${c}"` : undefined));
      if (!('sql' in t)) throw new Error(`refused: ${src_}`);
      const sql = (await src.query<{ id: number }>(`SELECT id FROM f AS r WHERE ${t.sql} ORDER BY id`)).rows.map((r) => r.id);
      expect({ filter: src_, ids: sql }).toEqual({ filter: src_, ids: js });
    }
  });

  it('refuses filters that read op or before', () => {
    const ref = (c: string): string => `r."${c}"`;
    expect(translateFilter(parseFilter("op != 'd'"), ref)).toHaveProperty('refused');
    expect(translateFilter(parseFilter('before.a = 1 or after.a = 2'), ref)).toHaveProperty('refused');
  });
});
