/**
 * Exactly once in effect, under the crash that matters: `ficus cdc run` as a real child process,
 * SIGKILLed again and again while a stream of changes (creates, updates, deletes and re-creates
 * over a set of keys) is produced to the mock Kafka cluster, then started once more and let to
 * catch up. The target must equal the state the stream describes — nothing lost, nothing applied
 * twice out of order — and nothing may be dead-lettered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, REPO_ROOT, startMockKafka, uniqueName, type MockKafka, type TestDatabase } from '../harness/index.js';

const BIN = join(REPO_ROOT, 'bin', 'ficus.js');
const KEYS = 40;
const ROUNDS = 6;
const PER_ROUND = 150;

let kafka: MockKafka;
let db: TestDatabase;
let producer: Producer;
const dir = mkdtempSync(join(tmpdir(), 'ficus-cdc-kill-'));

beforeAll(async () => {
  [kafka, db] = await Promise.all([startMockKafka(), createTestDatabase('cdc_kill')]);
  producer = new Kafka({ clientId: 'kill-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await db?.drop();
  await kafka?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Row = { id: number; n: number; label: string };

function message(op: 'c' | 'u' | 'd', id: number, before: Row | null, after: Row | null) {
  return {
    key: JSON.stringify({ id }),
    value: JSON.stringify({ op, before, after, source: { schema: 'public', table: 'counters', ts_ms: Date.now() } }),
  };
}

function runChild(config: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'cdc', 'run', '--config', config, '--log-level', 'silent'], { env: { ...process.env, TARGET_URL: db.url }, stdio: ['ignore', 'pipe', 'pipe'] });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('SIGKILLed repeatedly mid-stream and restarted, the target ends exactly as the stream says', async () => {
  expect(existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js')) || existsSync(join(REPO_ROOT, 'dist', 'cli', 'index.js')), 'run `npm run build` first (npm ci does)').toBe(true);
  const admin = new pg.Pool({ connectionString: db.url, max: 2 });
  await admin.query('CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL, label text NOT NULL)');
  const topic = uniqueName('shop_public_counters');
  const config = join(dir, 'ficus.cdc.yaml');
  writeFileSync(
    config,
    `source:\n  kafka:\n    brokers: [${kafka.brokers.join(', ')}]\n    topics: [${topic}]\n    groupId: ${uniqueName('kill')}\n    sessionTimeout: 6000\n    heartbeatInterval: 500\nsink:\n  postgres:\n    url: \${TARGET_URL}\ntables:\n  - from: public.counters\nbatch: { maxEvents: 25, maxWaitMs: 20 }\n`,
  );

  // The stream, and the state it describes.
  const state = new Map<number, Row>();
  let seq = 0;
  const nextMessages = (count: number) => {
    const out: { key: string; value: string }[] = [];
    for (let i = 0; i < count; i++) {
      const id = (seq * 7) % KEYS;
      seq++;
      const before = state.get(id) ?? null;
      if (before && seq % 11 === 0) {
        out.push(message('d', id, before, null));
        state.delete(id);
      } else {
        const after = { id, n: seq, label: `v${seq}` };
        out.push(message(before ? 'u' : 'c', id, before, after));
        state.set(id, after);
      }
    }
    return out;
  };
  const produce = async (count: number) => {
    // One message per send keeps the list's order in every partition.
    for (const m of nextMessages(count)) await producer.send({ topic, messages: [m] });
  };

  await produce(PER_ROUND);
  // Messages committed so far: the sum of the stored next offsets over the partitions.
  const committed = async () =>
    (await admin.query<{ n: string | null }>("SELECT sum((position->>'offset')::bigint)::text AS n FROM ficus_offsets").catch(() => ({ rows: [{ n: '0' }] }))).rows[0]?.n ?? '0';
  const progress: number[] = [];
  let kills = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const child = runChild(config);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // Produce more while it starts; once it has committed something new, let it run a moment and
    // kill it without warning — mid-stream, likely mid-batch.
    const before = Number(await committed());
    await produce(PER_ROUND);
    const end = Date.now() + 30_000;
    while (Number(await committed()) <= before && Date.now() < end) await sleep(50);
    await sleep(50 + ((round * 97) % 300));
    child.kill('SIGKILL');
    await exited;
    kills++;
    progress.push(Number(await committed()));
  }
  await produce(PER_ROUND);

  const final = runChild(config);
  let stderr = '';
  final.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const expected = [...state.values()].sort((a, b) => a.id - b.id);
  const read = async () => (await admin.query<Row>('SELECT id, n, label FROM counters ORDER BY id')).rows;
  try {
    const end = Date.now() + 60_000;
    let rows = await read();
    while (JSON.stringify(rows) !== JSON.stringify(expected) && Date.now() < end) {
      await sleep(250);
      rows = await read();
    }
    expect(kills).toBe(ROUNDS);
    // The kills landed mid-stream: work was committed before the last one, and not all of it.
    const total = PER_ROUND * (ROUNDS + 2);
    expect(progress.some((c) => c > 0 && c < total)).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(rows).toEqual(expected);
    const dead = await admin.query('SELECT count(*)::int AS n FROM ficus_dead_letters').catch(() => ({ rows: [{ n: 0 }] }));
    expect(dead.rows[0]).toEqual({ n: 0 });
  } finally {
    final.kill('SIGTERM');
    await new Promise((r) => final.once('exit', r));
    await admin.end();
  }
  expect(stderr).toBe('');
}, 180_000);
