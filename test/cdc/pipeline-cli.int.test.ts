/**
 * `ficus cdc run` in process against the mock Kafka cluster and a test Postgres: prints one
 * line at start, applies the topic, stops cleanly on SIGTERM with a summary, serves /metrics.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, startMockKafka, uniqueName, type MockKafka, type TestDatabase } from '../harness/index.js';
import type { CliIO } from '../../cli/io.js';
import { run } from '../../cli/run.js';

let kafka: MockKafka;
let db: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'ficus-cdc-run-'));

beforeAll(async () => {
  [kafka, db] = await Promise.all([startMockKafka(), createTestDatabase('cdc_run')]);
});
afterAll(async () => {
  await db?.drop();
  await kafka?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('ficus cdc run applies the topic until SIGTERM and serves metrics', async () => {
  const admin = new pg.Pool({ connectionString: db.url, max: 1 });
  await admin.query('CREATE TABLE customers (id integer PRIMARY KEY, email text)');
  const topic = uniqueName('inventory_public_customers');
  const client = new Kafka({ clientId: 'cli-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const producer = client.producer();
  await producer.connect();
  const event = (id: number, email: string) => ({
    key: JSON.stringify({ id }),
    value: JSON.stringify({ op: 'c', before: null, after: { id, email }, source: { schema: 'public', table: 'customers', ts_ms: Date.now() } }),
  });
  await producer.send({ topic, messages: [event(1, 'a@example.com'), event(2, 'b@example.com')] });
  const config = join(dir, 'ficus.cdc.yaml');
  writeFileSync(
    config,
    `source:\n  kafka:\n    brokers: [${kafka.brokers.join(', ')}]\n    topics: [${topic}]\n    groupId: ${uniqueName('cli')}\nsink:\n  postgres:\n    url: \${TARGET_URL}\ntables:\n  - from: public.customers\n`,
  );
  let out = '';
  let err = '';
  const io: Partial<CliIO> = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    interactive: false,
    cwd: dir,
    env: { TARGET_URL: db.url },
  };
  const exit = run(['cdc', 'run', '--config', 'ficus.cdc.yaml', '--metrics-port', '0', '--log-level', 'silent'], { io });
  try {
    await until('the start line', () => out.includes('ficus cdc:'));
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(out).toContain(topic);
    await until('the rows', async () => (await admin.query('SELECT 1 FROM customers')).rowCount === 2);
    const port = /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(out)?.[1];
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('ficus_cdc_messages_total{outcome="change"} 2');
    expect(metrics).toContain('ficus_cdc_lag_seconds_count');
  } finally {
    process.emit('SIGTERM');
    expect(await exit).toBe(0);
    await producer.disconnect();
    await admin.end();
  }
  expect(err).toBe('');
  expect(out).toMatch(/stopped; 2 changes in \d+ batches/);
});
