/**
 * The MySQL sink against the machine's MariaDB (a fresh database per file): the shared Sink
 * contract — its connection-loss case KILLs the sink's connection from a second one right
 * before COMMIT — then what is specific to MySQL: timestamps in ISO-8601 into DATETIME and
 * TIMESTAMP columns, JSON and SET values, expressions and computed columns, composite keys,
 * schema errors (missing table, missing column, no unique index on the key), bad options, and
 * the offsets and dead-letter tables as created.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlTestDatabase, type MysqlTestDatabase } from '../harness/index.js';
import type { ChangeEvent, Row } from '../../cdc/model.js';
import { openMysqlSink } from '../../cdc/sinks/mysql.js';
import { sinkContract, type ContractRow, type SinkFixture } from '../../cdc/sinks/sink.case.js';
import { compileTableMapping, mapEvent } from '../../cdc/transform/map.js';
import type { TableMapping } from '../../cdc/config/schema.js';
import type { TargetChange } from '../../cdc/transform/types.js';

let db: MysqlTestDatabase;
let admin: mysql.Pool;

beforeAll(async () => {
  db = await createMysqlTestDatabase('sink');
  admin = mysql.createPool({ uri: db.url, connectionLimit: 2, dateStrings: true });
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

const parsed = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function fixture(): SinkFixture {
  return {
    async reset() {
      await admin.query('DROP TABLE IF EXISTS contract_items, ficus_offsets, ficus_dead_letters');
      await admin.query('CREATE TABLE contract_items (id integer PRIMARY KEY, name text NOT NULL, price decimal(12,2), body text, qty integer) ENGINE=InnoDB');
    },
    open: () => openMysqlSink({ url: db.url }),
    openFailingBeforeCommit: () =>
      openMysqlSink({
        url: db.url,
        beforeCommit: async ({ threadId }) => {
          await admin.query(`KILL CONNECTION ${Number(threadId)}`);
        },
      }),
    async rows() {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        'SELECT CAST(id AS CHAR) AS id, name, CAST(price AS CHAR) AS price, body, CAST(qty AS CHAR) AS qty FROM contract_items ORDER BY id',
      );
      return rows.map((r) => ({ id: r.id, name: r.name, price: r.price, body: r.body, qty: r.qty }) as ContractRow);
    },
    async deadLetters() {
      const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT code, reason, position, event FROM ficus_dead_letters ORDER BY id');
      return rows.map((r) => ({ code: r.code as string | null, reason: String(r.reason), position: parsed(r.position), event: parsed(r.event) }));
    },
  };
}

sinkContract('mysql (MariaDB)', fixture);

let offset = 1000;
function event(table: string, op: 'c' | 'u' | 'd', after: Row | null, before: Row | null = null): ChangeEvent {
  const key = (after ?? before) as Row;
  return {
    op,
    db: 'shop',
    schema: 'public',
    table,
    key: { id: key.id ?? null },
    before,
    after,
    tsMs: Date.now(),
    snapshot: false,
    transaction: null,
    position: { kind: 'kafka', topic: 'mysql-specific', partition: 0, offset: String(offset++) },
  };
}

function changes(mapping: Partial<TableMapping> & { from: string }, events: ChangeEvent[]): TargetChange[] {
  const m = compileTableMapping({ columns: {}, unmapped: 'keep', computed: {}, truncate: false, ...mapping });
  return events.map((e) => mapEvent(e, m)).filter((c): c is TargetChange => c !== null);
}

async function rowsOf(sql: string): Promise<mysql.RowDataPacket[]> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>(sql);
  return rows;
}

describe('MySQL sink: MariaDB specifics', () => {
  it('writes ISO-8601 timestamps to DATETIME and TIMESTAMP columns, JSON objects, SET arrays, booleans and exact decimals', async () => {
    await admin.query('DROP TABLE IF EXISTS typed');
    await admin.query(`CREATE TABLE typed (
      id int PRIMARY KEY, local_at datetime(6), instant_at timestamp(6) NULL, day date, tod time(6),
      doc json, tags set('a','b','c'), flag tinyint(1), amount decimal(30,20), big bigint, label varchar(20)) ENGINE=InnoDB`);
    const sink = await openMysqlSink({ url: db.url });
    try {
      const r = await sink.apply({
        changes: changes({ from: 'public.typed' }, [
          event('typed', 'c', {
            id: 1,
            local_at: '2024-05-01T10:15:30.123456',
            instant_at: '2024-05-01T12:15:30.5+02:00',
            day: '2024-05-01',
            tod: '23:59:59.123456789',
            doc: { a: [1, 2], s: 'x?y' },
            tags: ['a', 'c'],
            flag: true,
            amount: '0.10000000000000000001',
            big: '9007199254740993',
            label: false,
          }),
        ]),
        positions: [],
      });
      expect(r).toEqual({ applied: 1, deadLettered: 0, fellBack: false });
      const [row] = await rowsOf(
        "SELECT local_at, DATE_FORMAT(CONVERT_TZ(instant_at, @@session.time_zone, '+00:00'), '%Y-%m-%d %H:%i:%s.%f') AS instant_utc, CAST(day AS CHAR) AS day, CAST(tod AS CHAR) AS tod, doc, tags, flag, CAST(amount AS CHAR) AS amount, CAST(big AS CHAR) AS big, label FROM typed",
      );
      expect(row).toMatchObject({
        local_at: '2024-05-01 10:15:30.123456',
        instant_utc: '2024-05-01 10:15:30.500000',
        day: '2024-05-01',
        tod: '23:59:59.123456',
        tags: 'a,c',
        flag: 1,
        amount: '0.10000000000000000001',
        big: '9007199254740993',
        label: 'false',
      });
      expect(parsed(row?.doc)).toEqual({ a: [1, 2], s: 'x?y' });
    } finally {
      await sink.close();
    }
  });

  it('evaluates column expressions (value used twice) and computed columns in MySQL, with composite keys', async () => {
    await admin.query('DROP TABLE IF EXISTS priced');
    await admin.query('CREATE TABLE priced (tenant int, id int, price decimal(12,2), label varchar(50), touched int, PRIMARY KEY (tenant, id)) ENGINE=InnoDB');
    const mapping = {
      from: 'public.priced',
      key: ['tenant', 'id'],
      columns: { cents: { to: 'price', expr: 'value / 100.0' }, name: { to: 'label', expr: "concat(value, '?', value)" } },
      computed: { touched: '1 + 1' },
    };
    const ev = (op: 'c' | 'd', id: number, after: Row | null) => event('priced', op, after, op === 'd' ? { tenant: 7, id } : null);
    const sink = await openMysqlSink({ url: db.url });
    try {
      await sink.apply({
        changes: changes(mapping, [ev('c', 1, { tenant: 7, id: 1, cents: 1999, name: 'a' }), ev('c', 2, { tenant: 7, id: 2, cents: 5, name: 'b' })]),
        positions: [],
      });
      await sink.apply({ changes: changes(mapping, [ev('d', 2, null)]), positions: [] });
      expect(await rowsOf('SELECT tenant, id, CAST(price AS CHAR) AS price, label, touched FROM priced ORDER BY id')).toEqual([
        { tenant: 7, id: 1, price: '19.99', label: 'a?a', touched: 2 },
      ]);
    } finally {
      await sink.close();
    }
  });

  it('names a missing table, a missing column and a key without a unique index (CDC_SINK_SCHEMA, not retriable)', async () => {
    await admin.query('DROP TABLE IF EXISTS nokey');
    await admin.query('CREATE TABLE nokey (id int, name text) ENGINE=InnoDB');
    const sink = await openMysqlSink({ url: db.url });
    try {
      const one = (table: string, after: Row) => ({ changes: changes({ from: `public.${table}` }, [event(table, 'c', after)]), positions: [] });
      await expect(sink.apply(one('missing_table', { id: 1 }))).rejects.toMatchObject({ code: 'CDC_SINK_SCHEMA', retriable: false });
      await expect(sink.apply(one('nokey', { id: 1, name: 'x', extra: 1 }))).rejects.toMatchObject({ code: 'CDC_SINK_SCHEMA', retriable: false });
      await expect(sink.apply(one('nokey', { id: 1, name: 'x' }))).rejects.toMatchObject({ code: 'CDC_SINK_SCHEMA', details: { key: ['id'] } });
      expect(await rowsOf('SELECT * FROM nokey')).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('rejects bad options at once (CDC_SINK_OPTIONS)', async () => {
    await expect(openMysqlSink({})).rejects.toMatchObject({ code: 'CDC_SINK_OPTIONS' });
    await expect(openMysqlSink({ url: 'postgres://root@127.0.0.1/x' })).rejects.toMatchObject({ code: 'CDC_SINK_OPTIONS' });
    await expect(openMysqlSink({ url: 'mysql://root@127.0.0.1:3306/' })).rejects.toMatchObject({ code: 'CDC_SINK_OPTIONS' });
    await expect(openMysqlSink({ url: `${db.url}?ssl=true` })).rejects.toMatchObject({ code: 'CDC_SINK_OPTIONS' });
  });

  it('reports an unreachable server as retriable', async () => {
    await expect(openMysqlSink({ url: 'mysql://root@127.0.0.1:1/x' })).rejects.toMatchObject({ code: 'CDC_SINK_RETRIABLE', retriable: true });
  });

  it('reports a real lock wait timeout as retriable, applies on the retry, and leaves an injected pool open', async () => {
    await admin.query('DROP TABLE IF EXISTS locked');
    await admin.query('CREATE TABLE locked (id int PRIMARY KEY, name text) ENGINE=InnoDB');
    await admin.query("INSERT INTO locked VALUES (1, 'a')");
    const pool = mysql.createPool({ uri: db.url, connectionLimit: 1 });
    const blocker = await admin.getConnection();
    try {
      // The sink reuses the pool's one connection: make it give up waiting for a lock after a second.
      const conn = await pool.getConnection();
      await conn.query('SET SESSION innodb_lock_wait_timeout = 1');
      conn.release();
      await blocker.query('START TRANSACTION');
      await blocker.query("UPDATE locked SET name = 'held' WHERE id = 1");
      const sink = await openMysqlSink({ pool });
      const batch = { changes: changes({ from: 'public.locked' }, [event('locked', 'u', { id: 1, name: 'b' })]), positions: [] };
      await expect(sink.apply(batch)).rejects.toMatchObject({ code: 'CDC_SINK_RETRIABLE', retriable: true, details: { errno: 1205 } });
      await blocker.query('ROLLBACK');
      await expect(sink.apply(batch)).resolves.toMatchObject({ applied: 1 });
      await sink.close();
      expect(await rowsOf('SELECT id, name FROM locked')).toEqual([{ id: 1, name: 'b' }]);
      await expect(pool.query('SELECT 1')).resolves.toBeDefined();
    } finally {
      blocker.release();
      await pool.end();
    }
  });

  it('creates the offsets and dead-letter tables as InnoDB utf8mb4, offsets keyed case-sensitively', async () => {
    const sink = await openMysqlSink({ url: db.url, offsetsTable: 'custom_offsets', deadLetterTable: `${db.name}.custom_dead` });
    try {
      const tables = await rowsOf(
        `SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${db.name}' AND TABLE_NAME IN ('custom_offsets', 'custom_dead') ORDER BY TABLE_NAME`,
      );
      expect(tables.map((t) => [t.name, t.engine, String(t.collation).startsWith('utf8mb4')])).toEqual([
        ['custom_dead', 'InnoDB', true],
        ['custom_offsets', 'InnoDB', true],
      ]);
      await sink.apply({
        changes: [],
        positions: [
          { kind: 'kafka', topic: 'Topic', partition: 0, offset: '4' },
          { kind: 'kafka', topic: 'topic', partition: 0, offset: '9' },
        ],
      });
      const stored = await sink.lastPositions();
      expect([...stored.keys()].sort()).toEqual(['kafka:Topic:0', 'kafka:topic:0']);
      expect(stored.get('kafka:Topic:0')).toMatchObject({ offset: '5' });
    } finally {
      await sink.close();
    }
  });
});
