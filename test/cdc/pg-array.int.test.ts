/**
 * The sink's array literals (cdc/sinks/pg-array.ts) against a real Postgres: random strings
 * and NULLs — weighted towards what array_in treats specially (quotes, backslashes, commas,
 * braces, whitespace, the word NULL, empty strings) plus any Unicode but NUL, which text cannot
 * hold — and numbers and booleans (expected back as `String(v)`), sent as one `text[]`
 * parameter, read back element by element (unnest WITH ORDINALITY, so no array parsing on the
 * way back) and compared. Fixed seed.
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { textArrayLiteral, type ArrayElement } from '../../cdc/sinks/pg-array.js';

const RUN = { seed: 0x9a77a7, numRuns: 300 } as const;

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('pg_array');
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function roundTrip(values: readonly ArrayElement[]): Promise<(string | null)[]> {
  const r = await pool.query<{ v: string | null; n: number; len: number | null }>(
    'SELECT u.v, u.n::int AS n, cardinality($1::text[]) AS len FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY u.n',
    [textArrayLiteral(values)],
  );
  if (values.length === 0) expect(r.rows).toEqual([]);
  else expect(r.rows[0]?.len).toBe(values.length);
  return r.rows.map((row) => row.v);
}

const tricky = fc.constantFrom(
  '"',
  '\\',
  ',',
  '{',
  '}',
  ' ',
  '\t',
  '\n',
  '\r',
  '\v',
  '\f',
  'NULL',
  'null',
  'NuLl',
  'a',
  'é',
  '😀',
  '\u00a0',
  "'",
  '$1',
  '[1:2]=',
);
const noNul = (s: string): string => s.replaceAll('\u0000', '');
const element = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.array(tricky, { maxLength: 8 }).map((xs) => xs.join('')),
  fc.string({ unit: 'binary', maxLength: 20 }).map(noNul),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
);
const asText = (values: readonly ArrayElement[]): (string | null)[] => values.map((v) => (v === null ? null : String(v)));

describe('textArrayLiteral through Postgres', () => {
  it('round-trips hand-picked awkward values', async () => {
    const values = [
      null,
      '',
      'NULL',
      'null',
      ' ',
      ' a ',
      'a,b',
      '{a}',
      '}',
      '"',
      '\\',
      '\\"',
      'x\\y"z',
      'tab\there',
      'new\nline',
      'café',
      '😀',
      '{"a":1}',
      '{1,2}',
    ];
    expect(await roundTrip(values)).toEqual(values);
    expect(await roundTrip([])).toEqual([]);
    expect(await roundTrip([null])).toEqual([null]);
  });

  it('round-trips random strings and NULLs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(element, { maxLength: 12 }), async (values) => {
        expect(await roundTrip(values)).toEqual(asText(values));
      }),
      RUN,
    );
  });
});
