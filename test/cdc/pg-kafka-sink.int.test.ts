/**
 * The built-in Postgres source into the Kafka sink (`sink: kafka`), with real parts: a source
 * database, librdkafka's mock cluster. The topic `<topicPrefix>.public.orders` must hold
 * Debezium-shaped messages (key and `{schema, payload}` envelope, tombstones after deletes)
 * that our own Debezium decoder reads back to the source's rows, that kcat reads off the
 * broker and `ficus cdc decode` decodes; a restart resumes from the positions in the offsets
 * topic without producing anything twice. The slot is dropped after.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, startMockKafka, uniqueName, type MockKafka, type TestDatabase } from '../harness/index.js';
import { parseCdcConfig } from '../../cdc/config/load.js';
import { decodeMessage } from '../../cdc/events/message.js';
import type { ChangeEvent } from '../../cdc/model.js';
import { createPipeline, type Pipeline } from '../../cdc/pipeline.js';
import { openSink } from '../../cdc/sinks/open.js';
import type { Sink } from '../../cdc/sinks/types.js';
import { createSource } from '../../cdc/sources/open.js';
import type { CliIO } from '../../cli/io.js';
import { run as runCli } from '../../cli/run.js';

const exec = promisify(execFile);
let kafka: MockKafka;
let source: TestDatabase;
let src: pg.Pool;
const slot = uniqueName('ficus_ks').slice(0, 63);
const prefix = uniqueName('shop');
const dir = mkdtempSync(join(tmpdir(), 'ficus-kafka-sink-'));

beforeAll(async () => {
  [kafka, source] = await Promise.all([startMockKafka(), createTestDatabase('pgkafka')]);
  src = new pg.Pool({ connectionString: source.url, max: 2 });
});
afterAll(async () => {
  for (let i = 0; i < 50; i++) {
    const ok = await src?.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]).then(
      () => true,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await src?.end();
  await source?.drop();
  await kafka?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const config = () =>
  parseCdcConfig(`source:
  postgres:
    url: ${source.url}
    slot: ${slot}
    publication: ${slot}
    statusIntervalMs: 200
sink:
  kafka:
    brokers: [${kafka.brokers.join(', ')}]
    topicPrefix: ${prefix}
tables:
  - from: public.orders
batch: { maxEvents: 20, maxWaitMs: 20 }
`);

async function start(): Promise<{ pipeline: Pipeline; sink: Sink }> {
  const c = config();
  const sink = await openSink(c);
  const pipeline = createPipeline({ config: c, sink, source: createSource(c, { positions: () => sink.lastPositions() }) });
  await pipeline.start();
  return { pipeline, sink };
}

interface Read {
  events: ChangeEvent[];
  tombstones: number;
  raw: number;
}

/** Every message of the topic so far, decoded by our Debezium decoder. */
async function readTopic(topic: string, atLeast: number): Promise<Read> {
  const client = new Kafka({ brokers: kafka.brokers, clientId: 'reader', logLevel: logLevel.NOTHING });
  const consumer = client.consumer({ groupId: uniqueName('reader') });
  const out: Read = { events: [], tombstones: 0, raw: 0 };
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic: t, partition, message }) => {
      out.raw++;
      const d = decodeMessage({ topic: t, partition, offset: message.offset, key: message.key, value: message.value });
      if (d.kind === 'change') out.events.push(d.event);
      else if (d.kind === 'tombstone') out.tombstones++;
    },
  });
  const end = Date.now() + 20_000;
  while (out.raw < atLeast && Date.now() < end) await sleep(50);
  await sleep(300);
  await consumer.disconnect();
  return out;
}

function fold(events: readonly ChangeEvent[]): Map<number, Record<string, unknown>> {
  const state = new Map<number, Record<string, unknown>>();
  for (const e of events) {
    const id = Number((e.key ?? {}).id);
    if (e.op === 'd') state.delete(id);
    else if (e.after) state.set(id, { ...e.after });
  }
  return state;
}

it('produces Debezium-shaped events that our decoder and kcat read back, and resumes without producing twice', async () => {
  await src.query('CREATE TABLE orders (id integer PRIMARY KEY, note text, price numeric(10,2), at timestamptz, doc jsonb, big bigint)');
  await src.query(`INSERT INTO orders SELECT g, 'seed ' || g, g * 1.5, '2024-05-01 10:00:00+00', '{"n": 1}', 9007199254740993 FROM generate_series(1, 30) g`);
  const topic = `${prefix}.public.orders`;
  let r = await start();
  try {
    await src.query(`UPDATE orders SET note = 'updated', price = 0.10 WHERE id <= 5`);
    await src.query('DELETE FROM orders WHERE id BETWEEN 6 AND 8');
    await src.query(`INSERT INTO orders VALUES (100, 'new', 12.50, '2024-05-01 12:00:00.5+02', '{"a": [1, 2]}', 1)`);
    // 30 snapshot reads + 5 updates + 3 deletes (+3 tombstones) + 1 create
    const read = await readTopic(topic, 42);
    expect(read.events.filter((e) => e.op === 'r')).toHaveLength(30);
    expect(read.events.filter((e) => e.op === 'u')).toHaveLength(5);
    expect(read.events.filter((e) => e.op === 'd')).toHaveLength(3);
    expect(read.tombstones).toBe(3);
    expect(read.events.find((e) => e.op === 'u')).toMatchObject({ db: expect.any(String), schema: 'public', table: 'orders', position: { kind: 'kafka' } });
    const state = fold(read.events);
    expect(state.get(100)).toEqual({ id: 100, note: 'new', price: '12.50', at: '2024-05-01T10:00:00.500000Z', doc: { a: [1, 2] }, big: 1 });
    expect(state.get(1)).toMatchObject({ note: 'updated', price: '0.10', big: '9007199254740993' });
    const rows = (await src.query<{ id: number; note: string; price: string }>('SELECT id, note, price::text AS price FROM orders ORDER BY id')).rows;
    expect([...state.values()].map((v) => ({ id: v.id, note: v.note, price: v.price })).sort((a, b) => Number(a.id) - Number(b.id))).toEqual(rows);

    // kcat reads the same records off the broker; `ficus cdc decode` decodes its -J output.
    const kcat = await exec('kcat', ['-C', '-b', kafka.brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-J', '-q'], { maxBuffer: 64 * 1024 * 1024 });
    const lines = kcat.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(read.raw);
    const file = join(dir, 'kcat.ndjson');
    writeFileSync(file, kcat.stdout);
    let out = '';
    const io: Partial<CliIO> = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, interactive: false, cwd: dir };
    expect(await runCli(['cdc', 'decode', file], { io })).toBe(0);
    expect(out.split('\n').filter(Boolean)).toHaveLength(read.raw);

    // A clean restart resumes from the offsets topic: nothing before is produced again.
    await r.pipeline.stop();
    await r.sink.close();
    await src.query(`INSERT INTO orders VALUES (101, 'after restart', 1, now(), '{}', 2)`);
    r = await start();
    const again = await readTopic(topic, read.raw + 1);
    expect(again.raw).toBe(read.raw + 1);
    // The one new message is the insert; the topic has several partitions, so read order across them is not produce order.
    const created = again.events.filter((e) => e.op === 'c');
    expect(created).toHaveLength(2);
    expect(created.find((e) => Number((e.key ?? {}).id) === 101)).toMatchObject({ after: { id: 101, note: 'after restart' } });
    expect(again.events.filter((e) => e.op !== 'c')).toHaveLength(read.events.filter((e) => e.op !== 'c').length);
  } finally {
    await r.pipeline.stop();
    await r.sink.close();
  }
}, 120_000);
