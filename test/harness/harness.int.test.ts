import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, launchChromium, startMockKafka, testOutputDir, uniqueName } from './index.js';

describe('test harness: real services', () => {
  it('gives each caller its own Postgres database and drops it after', async () => {
    const db = await createTestDatabase('harness');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('CREATE TABLE t (id int primary key, v text)');
    await client.query("INSERT INTO t VALUES (1, 'a')");
    const { rows } = await client.query<{ current_database: string }>('SELECT current_database()');
    expect(rows[0]?.current_database).toBe(db.name);
    await client.end();
    await db.drop();
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });

  it('drop() lets a pool that was just ended close its connections instead of terminating them under it', async () => {
    const db = await createTestDatabase('harness_drop');
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const errors: string[] = [];
    pool.on('error', (err) => errors.push(err.message));
    const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    // A backend the machine has not scheduled yet: it cannot read the Terminate that end() sends.
    process.kill(pid, 'SIGSTOP');
    await pool.end();
    const dropped = db.drop();
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, 'SIGCONT');
    await dropped;
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual([]);
  });

  it('starts a Kafka mock cluster that kafkajs produces to and consumes from', async () => {
    const kafka = await startMockKafka();
    try {
      const client = new Kafka({ clientId: 'harness', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
      const topic = uniqueName('harness');
      const producer = client.producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k1', value: 'hello' }, { key: 'k2', value: 'world' }] });
      await producer.disconnect();
      const consumer = client.consumer({ groupId: uniqueName('g') });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`consumed only ${seen.length} messages`)), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(String(message.value));
            if (seen.length === 2) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await consumer.disconnect();
      expect(seen.sort()).toEqual(['hello', 'world']);
    } finally {
      await kafka.stop();
    }
  });

  it('drives headless Chromium over a page from disk and writes a screenshot', async () => {
    const dir = testOutputDir('harness');
    const page = join(dir, 'page.html');
    await writeFile(page, '<!doctype html><title>t</title><button id="b" onclick="this.textContent=\'clicked\'">click</button>');
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(`file://${page}`);
      await tab.click('#b');
      expect(await tab.textContent('#b')).toBe('clicked');
      await tab.screenshot({ path: join(dir, 'page.png') });
    } finally {
      await browser.close();
    }
  });
});
