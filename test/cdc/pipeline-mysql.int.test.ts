/**
 * The CDC pipeline into MariaDB with real parts: Debezium JSON messages produced with kafkajs
 * to librdkafka's mock cluster, consumed by the Kafka source, applied by the sink `openSink`
 * picks for `sink.mysql` to a fresh MariaDB database. Checks the final rows (an expression
 * column, MicroTimestamp and ZonedTimestamp values into DATETIME/TIMESTAMP, a TOAST
 * placeholder, delete + re-create), the dead letters of a message that does not decode and of
 * a row MariaDB refuses, the stored offsets, a resume without loss or duplicates, and
 * `ficus cdc run` with sink.mysql end to end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlTestDatabase, startMockKafka, uniqueName, type MockKafka, type MysqlTestDatabase } from '../harness/index.js';
import { parseCdcConfig } from '../../cdc/config/load.js';
import { createPipeline, type PipelineSummary } from '../../cdc/pipeline.js';
import { openSink } from '../../cdc/sinks/open.js';
import { createKafkaSource } from '../../cdc/sources/kafka.js';
import type { CliIO } from '../../cli/io.js';
import { run } from '../../cli/run.js';

let kafka: MockKafka;
let db: MysqlTestDatabase;
let admin: mysql.Pool;
let producer: Producer;
let client: Kafka;
const dir = mkdtempSync(join(tmpdir(), 'ficus-cdc-mysql-'));

beforeAll(async () => {
  [kafka, db] = await Promise.all([startMockKafka(), createMysqlTestDatabase('pipeline')]);
  admin = mysql.createPool({ uri: db.url, connectionLimit: 2, dateStrings: true });
  client = new Kafka({ clientId: 'pipeline-mysql-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  producer = client.producer();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.end();
  await db?.drop();
  await kafka?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// ---- Debezium JSON (JsonConverter with schemas) for public.<table>
const COLUMNS = [
  { type: 'int32', optional: false, field: 'id' },
  { type: 'string', optional: true, field: 'name' },
  { type: 'int64', optional: true, field: 'price_cents' },
  { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', field: 'updated_at' },
  { type: 'string', optional: true, name: 'io.debezium.time.ZonedTimestamp', field: 'seen_at' },
  { type: 'string', optional: true, field: 'description' },
];
interface Product {
  id: number;
  name: string;
  price_cents: number;
  updated_at: number;
  seen_at: string;
  description: string;
}
const key = (table: string, id: number): string =>
  JSON.stringify({ schema: { type: 'struct', name: `shop.public.${table}.Key`, optional: false, fields: [COLUMNS[0]] }, payload: { id } });

function envelope(table: string, op: 'c' | 'u' | 'd', before: Product | null, after: Product | null): string {
  const rowSchema = (field: string) => ({ type: 'struct', optional: true, name: `shop.public.${table}.Value`, field, fields: COLUMNS });
  const ts = Date.now();
  return JSON.stringify({
    schema: {
      type: 'struct',
      name: `shop.public.${table}.Envelope`,
      optional: false,
      fields: [
        rowSchema('before'),
        rowSchema('after'),
        {
          type: 'struct',
          optional: false,
          field: 'source',
          name: 'io.debezium.connector.postgresql.Source',
          fields: [
            { type: 'string', optional: false, field: 'db' },
            { type: 'string', optional: false, field: 'schema' },
            { type: 'string', optional: false, field: 'table' },
            { type: 'int64', optional: false, field: 'ts_ms' },
          ],
        },
        { type: 'string', optional: false, field: 'op' },
        { type: 'int64', optional: true, field: 'ts_ms' },
      ],
    },
    payload: { before, after, source: { db: 'shop', schema: 'public', table, ts_ms: ts }, op, ts_ms: ts },
  });
}

type Msg = { key: string | null; value: string | null };
/** 2024-05-01T10:15:30Z in µs, plus `micros`. */
const at = (micros: number): number => Date.UTC(2024, 4, 1, 10, 15, 30) * 1000 + micros;
const p = (id: number, name: string, price_cents: number, description = 'd'): Product => ({
  id,
  name,
  price_cents,
  updated_at: at(123456),
  seen_at: '2024-05-01T12:15:30.5+02:00',
  description,
});
const create = (t: string, row: Product): Msg => ({ key: key(t, row.id), value: envelope(t, 'c', null, row) });
const update = (t: string, before: Product, after: Product): Msg => ({ key: key(t, after.id), value: envelope(t, 'u', before, after) });
const remove = (t: string, before: Product): Msg[] => [
  { key: key(t, before.id), value: envelope(t, 'd', before, null) },
  { key: key(t, before.id), value: null },
];

async function produce(topic: string, messages: Msg[]): Promise<void> {
  for (const m of messages) await producer.send({ topic, messages: [m] });
}

function configText(topic: string, groupId: string, table: string, url = db.url): string {
  return `source:
  kafka:
    brokers: [${kafka.brokers.join(', ')}]
    topics: [${topic}]
    groupId: ${groupId}
sink:
  mysql:
    url: ${url}
tables:
  - from: public.${table}
    columns:
      price_cents: { to: price, expr: value / 100.0 }
batch:
  maxEvents: 4
  maxWaitMs: 50
`;
}

async function runPipeline(topic: string, groupId: string, table: string): Promise<PipelineSummary> {
  const config = parseCdcConfig(configText(topic, groupId, table), 'test.cdc.yaml');
  const sink = await openSink(config);
  const source = createKafkaSource({
    ...config.source.kafka!,
    positions: () => sink.lastPositions(),
    retry: { retries: 3, initialRetryTime: 100 },
    sessionTimeout: 6000,
    heartbeatInterval: 500,
  });
  const pipeline = createPipeline({ config, sink, source });
  try {
    await pipeline.start();
    await caughtUp(topic);
    return await pipeline.stop();
  } finally {
    await pipeline.stop().catch(() => undefined);
    await sink.close();
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function watermarks(topic: string): Promise<Map<number, string>> {
  const a = client.admin();
  await a.connect();
  try {
    const offsets = await a.fetchTopicOffsets(topic);
    return new Map(offsets.filter((o) => o.high !== '0').map((o) => [o.partition, o.high]));
  } finally {
    await a.disconnect();
  }
}

async function storedOffsets(topic: string): Promise<Map<number, string>> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT position FROM ficus_offsets').catch(() => [[] as mysql.RowDataPacket[]]);
  const positions = rows.map(
    (r) => (typeof r.position === 'string' ? JSON.parse(r.position) : r.position) as { topic: string; partition: number; offset: string },
  );
  return new Map(positions.filter((x) => x.topic === topic).map((x) => [x.partition, x.offset]));
}

async function caughtUp(topic: string): Promise<void> {
  const high = await watermarks(topic);
  await until(`the pipeline to catch up on ${topic}`, async () => {
    const stored = await storedOffsets(topic);
    return [...high].every(([partition, offset]) => stored.get(partition) === offset);
  });
}

async function rows(table: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await admin.query<mysql.RowDataPacket[]>(
    `SELECT id, name, CAST(price AS CHAR) AS price, updated_at, UNIX_TIMESTAMP(seen_at) AS seen_epoch, description FROM ${table} ORDER BY id`,
  );
  return r;
}

const createTable = (table: string) =>
  admin.query(
    `CREATE TABLE ${table} (id int PRIMARY KEY, name varchar(20) NOT NULL, price decimal(12,2) NOT NULL, updated_at datetime(6), seen_at timestamp(6) NULL, description text) ENGINE=InnoDB`,
  );

const SEEN_EPOCH = String(Date.UTC(2024, 4, 1, 10, 15, 30) / 1000) + '.500000';

describe('cdc pipeline: Kafka (mock cluster) → MariaDB', () => {
  it('applies a Debezium stream, dead-letters what does not decode or fit, and resumes from the stored offsets', async () => {
    const table = 'products';
    await createTable(table);
    const topic = uniqueName('shop_public_products');
    const groupId = uniqueName('ficus_cdc_mysql');
    const a1 = p(1, 'Apple', 100, 'a long description '.repeat(50));
    const b1 = p(2, 'Banana', 200, 'yellow');
    const a2 = { ...a1, name: 'Apple II', price_cents: 1999, description: '__debezium_unavailable_value' };
    const b2 = p(2, 'Banana Split', 250, 're-created');
    const tooLong = p(3, 'a name far longer than twenty characters', 1);
    const poison = { key: key(table, 99), value: '{"schema": {"type": "struct", "fields": [' };
    await produce(topic, [
      create(table, a1),
      create(table, b1),
      update(table, a1, a2),
      ...remove(table, b1),
      create(table, b2),
      poison,
      create(table, tooLong),
    ]);

    const first = await runPipeline(topic, groupId, table);
    expect(first.messages).toMatchObject({ change: 6, 'dead-letter': 1, control: 1 });
    const expected = [
      { id: 1, name: 'Apple II', price: '19.99', updated_at: '2024-05-01 10:15:30.123456', seen_epoch: SEEN_EPOCH, description: a1.description },
      { id: 2, name: 'Banana Split', price: '2.50', updated_at: '2024-05-01 10:15:30.123456', seen_epoch: SEEN_EPOCH, description: 're-created' },
    ];
    expect(await rows(table)).toEqual(expected);
    const [dead] = await admin.query<mysql.RowDataPacket[]>('SELECT code, position FROM ficus_dead_letters ORDER BY id');
    expect(dead.map((d) => String(d.code)).sort()).toEqual(['CDC_DECODE_JSON', 'CDC_SINK_DATA:1406']);
    expect(await storedOffsets(topic)).toEqual(await watermarks(topic));

    await produce(topic, [...remove(table, a2), create(table, p(4, 'Date', 400))]);
    const second = await runPipeline(topic, groupId, table);
    // Only the new messages: nothing of the first run was applied again.
    expect(second.messages.change + second.messages.control).toBe(3);
    expect((await rows(table)).map((r) => r.id)).toEqual([2, 4]);
    expect((await admin.query<mysql.RowDataPacket[]>('SELECT 1 FROM ficus_dead_letters'))[0]).toHaveLength(2);
  });

  it('ficus cdc run applies a topic to sink.mysql until SIGTERM', async () => {
    const table = 'cli_products';
    await createTable(table);
    const topic = uniqueName('shop_public_cli_products');
    await produce(topic, [create(table, p(1, 'one', 100)), create(table, p(2, 'two', 200))]);
    writeFileSync(join(dir, 'ficus.cdc.yaml'), configText(topic, uniqueName('cli_mysql'), table, '${TARGET_URL}'));
    let out = '';
    let err = '';
    const io: Partial<CliIO> = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      interactive: false,
      cwd: dir,
      env: { TARGET_URL: db.url },
    };
    const exit = run(['cdc', 'run', '--config', 'ficus.cdc.yaml', '--log-level', 'silent'], { io });
    try {
      await until('the start line', () => out.includes('ficus cdc:') || err !== '');
      expect(out).toContain(`→ ${db.url}`);
      await until('the rows', async () => (await rows(table)).length === 2);
    } finally {
      process.emit('SIGTERM');
      expect(await exit).toBe(0);
    }
    expect(err).toBe('');
    expect(out).toMatch(/stopped; 2 changes in \d+ batches \(2 applied\)/);
  });
});
