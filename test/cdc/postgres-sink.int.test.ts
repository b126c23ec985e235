/**
 * The Postgres sink against a real Postgres database: the shared Sink contract, then what is
 * specific to Postgres (schema mismatch errors, expressions and coercions in the SQL).
 */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { openPostgresSink } from '../../cdc/sinks/postgres.js';
import { sinkContract, type ContractRow, type SinkFixture } from '../../cdc/sinks/sink.case.js';

let db: TestDatabase;
let admin: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('cdc_sink');
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

function fixture(): SinkFixture {
  return {
    async reset() {
      await admin.query('DROP TABLE IF EXISTS contract_items');
      await admin.query('CREATE TABLE contract_items (id integer PRIMARY KEY, name text NOT NULL, price numeric(12,2), body text, qty integer)');
      await admin.query('DROP TABLE IF EXISTS ficus_offsets, ficus_dead_letters');
    },
    open: () => openPostgresSink({ url: db.url }),
    openFailingBeforeCommit: () =>
      openPostgresSink({
        url: db.url,
        beforeCommit: async ({ backendPid }) => {
          await admin.query('SELECT pg_terminate_backend($1)', [backendPid]);
        },
      }),
    async rows() {
      const r = await admin.query<ContractRow>('SELECT id::text, name, price::text, body, qty::text FROM contract_items ORDER BY id');
      return r.rows;
    },
    async deadLetters() {
      const r = await admin.query<{ code: string | null; reason: string; position: unknown; event: unknown }>(
        'SELECT code, reason, position, event FROM ficus_dead_letters ORDER BY id',
      );
      return r.rows;
    },
  };
}

sinkContract('postgres', fixture);
