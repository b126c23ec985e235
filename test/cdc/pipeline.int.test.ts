/**
 * The CDC pipeline end to end with real parts: Debezium JSON messages produced with kafkajs to
 * librdkafka's mock cluster, consumed by the Kafka source, applied by the Postgres sink to a
 * test database. Checks the final target state (create, update, delete, delete + re-create of a
 * key, a TOAST placeholder, tombstones), the dead letter of a poison message with its position,
 * the stored offsets, that a second instance over the same group changes nothing, that a
 * stop and restart neither loses nor re-applies anything, and that partitions handed between two
 * members mid-batch are applied exactly once (the sink's fencing).
 */
import { Writable } from 'node:stream';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startMockKafka, uniqueName, type MockKafka, type TestDatabase } from '../harness/index.js';
import { parseCdcConfig } from '../../cdc/config/load.js';
import { createPipeline, type Pipeline, type PipelineSummary } from '../../cdc/pipeline.js';
import { openPostgresSink, type PostgresSink } from '../../cdc/sinks/postgres.js';
import type { Sink } from '../../cdc/sinks/types.js';
import { createKafkaSource } from '../../cdc/sources/kafka.js';

let kafka: MockKafka;
let db: TestDatabase;
let admin: pg.Pool;
let producer: Producer;
let client: Kafka;

beforeAll(async () => {
  [kafka, db] = await Promise.all([startMockKafka(), createTestDatabase('cdc_pipeline')]);
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  client = new Kafka({ clientId: 'pipeline-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  producer = client.producer();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.end();
  await db?.drop();
  await kafka?.stop();
});

// ---- Debezium JSON (JsonConverter with schemas) for public.<table> (id int32, name string, price_cents int64, description string)
const COLUMNS = [
  { type: 'int32', optional: false, field: 'id' },
  { type: 'string', optional: true, field: 'name' },
  { type: 'int64', optional: true, field: 'price_cents' },
  { type: 'string', optional: true, field: 'description' },
];
interface Product {
  id: number;
  name: string;
  price_cents: number;
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
const p = (id: number, name: string, price_cents: number, description: string): Product => ({ id, name, price_cents, description });
const create = (t: string, row: Product): Msg => ({ key: key(t, row.id), value: envelope(t, 'c', null, row) });
const update = (t: string, before: Product, after: Product): Msg => ({ key: key(t, after.id), value: envelope(t, 'u', before, after) });
const remove = (t: string, before: Product): Msg[] => [
  { key: key(t, before.id), value: envelope(t, 'd', before, null) },
  { key: key(t, before.id), value: null }, // the tombstone Debezium sends after a delete
];

async function produce(topic: string, messages: Msg[]): Promise<void> {
  // One message per send keeps the order of the list in every partition.
  for (const m of messages) await producer.send({ topic, messages: [m] });
}

// ---- running pipelines
interface Running {
  pipeline: Pipeline;
  sink: PostgresSink;
  logs: string[];
}

function configFor(topic: string, groupId: string, table: string) {
  return parseCdcConfig(
    `source:
  kafka:
    brokers: [${kafka.brokers.join(', ')}]
    topics: [${topic}]
    groupId: ${groupId}
sink:
  postgres:
    url: ${db.url}
tables:
  - from: public.${table}
batch:
  maxEvents: 4
  maxWaitMs: 50
`,
    'test.cdc.yaml',
  );
}

/** `applyDelayMs`: the sink takes this long per batch, so batches fetched ahead are still on their way when the group changes. */
async function startPipeline(topic: string, groupId: string, table: string, applyDelayMs = 0): Promise<Running> {
  const config = configFor(topic, groupId, table);
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, cb) => (logs.push(chunk.toString('utf8')), cb()) }));
  const sink = await openPostgresSink({ url: config.sink.postgres!.url, schema: config.sink.postgres!.schema, logger });
  const source = createKafkaSource({
    ...config.source.kafka!,
    positions: () => sink.lastPositions(),
    logger,
    retry: { retries: 3, initialRetryTime: 100 },
    // The mock cluster keeps a stopped member until its session times out: keep that short.
    sessionTimeout: 6000,
    heartbeatInterval: 500,
  });
  const slow: Sink = {
    apply: async (b) => {
      await new Promise((r) => setTimeout(r, applyDelayMs));
      return sink.apply(b);
    },
    lastPositions: () => sink.lastPositions(),
    close: () => sink.close(),
  };
  const pipeline = createPipeline({ config, sink: applyDelayMs > 0 ? slow : sink, source, logger });
  await pipeline.start();
  return { pipeline, sink, logs };
}

async function stopPipeline(r: Running): Promise<PipelineSummary> {
  const summary = await r.pipeline.stop();
  await r.sink.close();
  return summary;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** High watermark per partition (only partitions with messages). */
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
  const r = await admin.query<{ stream: string; position: { partition: number; offset: string } }>(
    "SELECT stream, position FROM ficus_offsets WHERE position->>'topic' = $1",
    [topic],
  );
  return new Map(r.rows.map((row) => [row.position.partition, row.position.offset]));
}

async function caughtUp(topic: string): Promise<void> {
  const high = await watermarks(topic);
  await until(`the pipeline to catch up on ${topic}`, async () => {
    const stored = await storedOffsets(topic);
    return [...high].every(([partition, offset]) => stored.get(partition) === offset);
  });
}

async function rows(table: string): Promise<Product[]> {
  const r = await admin.query<Product>(`SELECT id, name, price_cents::int AS price_cents, description FROM ${table} ORDER BY id`);
  return r.rows;
}

const createTable = (table: string) =>
  admin.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, name text NOT NULL, price_cents bigint NOT NULL, description text)`);

describe('cdc pipeline: Kafka (mock cluster) → Postgres', () => {
  it('applies a Debezium stream exactly once in effect, dead-letters a poison message, and a second instance changes nothing', async () => {
    const table = 'products';
    await createTable(table);
    const topic = uniqueName('shop_public_products');
    const groupId = uniqueName('ficus_cdc');
    const a1 = p(1, 'Apple', 100, 'a long description '.repeat(50));
    const b1 = p(2, 'Banana', 200, 'yellow');
    const c1 = p(3, 'Cherry', 300, 'red');
    const a2 = { ...a1, name: 'Apple II', price_cents: 150, description: '__debezium_unavailable_value' }; // unchanged TOAST column
    const b2 = p(2, 'Banana Split', 250, 're-created');
    const poison = { key: key(table, 99), value: '{"schema": {"type": "struct", "fields": [' }; // truncated JSON
    const stream: Msg[] = [
      create(table, a1),
      create(table, b1),
      create(table, c1),
      update(table, a1, a2),
      ...remove(table, b1),
      create(table, b2), // delete + re-create of key 2
      poison,
      ...remove(table, c1),
      { key: key('audit_log', 1), value: envelope('audit_log', 'c', null, p(1, 'unmapped', 0, '')) },
    ];
    await produce(topic, stream);

    const first = await startPipeline(topic, groupId, table);
    await caughtUp(topic);
    const summary = await stopPipeline(first);

    const expected = [
      { ...a1, name: 'Apple II', price_cents: 150 }, // description kept: the placeholder left it unchanged
      b2,
    ];
    expect(await rows(table)).toEqual(expected);
    expect(summary.messages).toEqual({ change: 7, 'dead-letter': 1, control: 2, unmapped: 1, skipped: 0 });

    const dead = await admin.query<{ code: string; reason: string; position: { topic: string; partition: number; offset: string }; event: { value: string } }>(
      'SELECT code, reason, position, event FROM ficus_dead_letters',
    );
    expect(dead.rows).toHaveLength(1);
    const letter = dead.rows[0];
    expect(letter?.code).toBe('CDC_DECODE_JSON');
    expect(letter?.position.topic).toBe(topic);
    expect(letter?.event.value).toBe(poison.value);
    // The poison message's partition and offset are real: key 99's partition, and an offset below its watermark.
    const high = await watermarks(topic);
    expect(BigInt(letter?.position.offset ?? '-1')).toBeLessThan(BigInt(high.get(letter?.position.partition ?? -1) ?? '0'));

    expect(await storedOffsets(topic)).toEqual(high);

    // A second instance, from scratch, same group and database: reads the stored offsets back and applies nothing.
    const second = await startPipeline(topic, groupId, table);
    await until('the second instance to be assigned partitions', async () => second.logs.some((l) => l.includes('partitions assigned')));
    await new Promise((r) => setTimeout(r, 1500));
    const again = await stopPipeline(second);
    expect(Object.values(again.messages).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await rows(table)).toEqual(expected);
    expect((await admin.query('SELECT 1 FROM ficus_dead_letters')).rowCount).toBe(1);
    expect(await storedOffsets(topic)).toEqual(high);
  });

  it('stops after the first part of a stream and resumes from the stored offsets without loss or duplicates', async () => {
    const table = 'items';
    await createTable(table);
    const topic = uniqueName('shop_public_items');
    const groupId = uniqueName('ficus_cdc');
    const part1: Msg[] = [];
    for (let id = 1; id <= 20; id++) part1.push(create(table, p(id, `item ${id}`, id * 10, 'v1')));
    for (let id = 1; id <= 20; id += 2) part1.push(update(table, p(id, `item ${id}`, id * 10, 'v1'), p(id, `item ${id}`, id * 11, 'v2')));
    await produce(topic, part1);

    const first = await startPipeline(topic, groupId, table);
    await caughtUp(topic);
    const s1 = await stopPipeline(first);
    expect(s1.messages.change).toBe(part1.length);

    const part2: Msg[] = [];
    for (let id = 1; id <= 20; id += 4) part2.push(...remove(table, p(id, `item ${id}`, id * 11, 'v2')));
    for (let id = 21; id <= 25; id++) part2.push(create(table, p(id, `item ${id}`, id * 10, 'v1')));
    part2.push(create(table, p(1, 'item 1 again', 1, 'v3')));
    await produce(topic, part2);

    const second = await startPipeline(topic, groupId, table);
    await caughtUp(topic);
    const s2 = await stopPipeline(second);
    // Only the new messages were consumed: nothing of part 1 was applied again.
    expect(s2.messages.change + s2.messages.control).toBe(part2.length);

    const expected: Product[] = [];
    for (let id = 1; id <= 25; id++) {
      if (id === 1) expected.push(p(1, 'item 1 again', 1, 'v3'));
      else if (id <= 20 && (id - 1) % 4 === 0) continue;
      else if (id <= 20 && id % 2 === 1) expected.push(p(id, `item ${id}`, id * 11, 'v2'));
      else expected.push(p(id, `item ${id}`, id * 10, 'v1'));
    }
    expect(await rows(table)).toEqual(expected);
    expect((await admin.query("SELECT 1 FROM ficus_dead_letters WHERE position->>'topic' = $1", [topic])).rowCount).toBe(0);
  });

  it('hands partitions between two members mid-stream (one joins, then the first leaves) with every change applied exactly once', async () => {
    const table = 'stock';
    await createTable(table);
    const topic = uniqueName('shop_public_stock');
    const groupId = uniqueName('ficus_cdc');
    const keys = 40;
    const total = 900; // ~1.5 MB: well inside what the mock cluster keeps per partition
    const last = new Map<number, Product>();
    let sent = 0;
    // Updates round-robin over the keys, paced to span the group changes; each key's last one is what must remain.
    const producer = (async () => {
      for (; sent < total; sent++) {
        const id = (sent % keys) + 1;
        const row = p(id, `stock ${id}`, sent, `v${sent}`);
        await produce(topic, [last.has(id) ? update(table, last.get(id)!, row) : create(table, row)]);
        last.set(id, row);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    // The first member's sink is slow, so it still holds batches fetched ahead for the partitions
    // the rebalance gives to the second, which starts from the stored offsets behind them: without
    // the sink's fencing both would apply them (and the late, older ones last).
    const a = await startPipeline(topic, groupId, table, 1500);
    await until('the first member to apply', async () => (await rows(table)).length > 0);
    const b = await startPipeline(topic, groupId, table);
    await until('the second member to be assigned partitions', async () => b.logs.some((l) => l.includes('partitions assigned')));
    await until('more of the stream', async () => sent >= 600, 60_000);
    const sa = await stopPipeline(a); // its partitions go to b
    await producer;
    await caughtUp(topic);
    const sb = await stopPipeline(b);
    expect(await rows(table)).toEqual([...last.values()].sort((x, y) => x.id - y.id));
    // Repeats after the hand-overs were fenced by the stored offsets: applied once in all, not once per member that saw them.
    expect(sa.applied + sb.applied).toBe(sent);
    expect(await storedOffsets(topic)).toEqual(await watermarks(topic));
  });
});
