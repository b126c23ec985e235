import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComparisonTally, DiffRecord } from '../model.js';
import { readDiffFile } from './ndjson-files.js';
import { readTallies, tallyFileFor } from './ndjson-tallies.js';
import { createNdjsonStore } from './ndjson.js';
import { sampleRecords } from './sample-records.js';
import { TallyCounter } from './tallies.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ficus-tallies-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const tally = (route: string, bucket: string, compared: number, different = 0, noise = 0): ComparisonTally => ({ route, bucket, compared, different, noise });

async function failure(p: Promise<unknown>): Promise<{ code?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    return err as { code?: string };
  }
  throw new Error('expected a failure');
}

describe('ndjson tally files', () => {
  it('writes tallies-<day>.ndjson by the bucket’s UTC day, beside the record files, which readers of records skip', async () => {
    const dir = await tempDir();
    const store = await createNdjsonStore({ dir, now: () => new Date('2025-01-15T23:59:00Z') });
    await store.write(sampleRecords(2));
    await store.writeTallies?.([tally('products', '2025-01-15T23:59:00.000Z', 3, 1), tally('products', '2025-01-16T00:00:00.000Z', 2)]);
    await store.close();
    expect((await readdir(dir)).sort()).toEqual(['diffs-20250115-0001.ndjson', 'tallies-20250115.ndjson', 'tallies-20250116.ndjson']);
    const records: DiffRecord[] = [];
    for await (const r of readDiffFile(dir)) records.push(r);
    expect(records.map((r) => r.id)).toEqual(sampleRecords(2).map((r) => r.id));
    expect(await readTallies(join(dir, 'tallies-20250116.ndjson'))).toEqual([tally('products', '2025-01-16T00:00:00.000Z', 2)]);
    expect(tallyFileFor(join(dir, 'diffs-20250115-0001.ndjson'))).toBe(join(dir, 'tallies-20250115.ndjson'));
    expect(tallyFileFor(join(dir, 'export.ndjson'))).toBeNull();
  });

  it('cuts a torn last line before appending again, so a retried write is not counted twice', async () => {
    const dir = await tempDir();
    const file = join(dir, 'tallies-20250115.ndjson');
    await writeFile(file, JSON.stringify(tally('orders', '2025-01-15T10:00:00.000Z', 4, 1)) + '\n{"route":"orders","bucket":"2025-01-15T10:01');
    expect(await readTallies(dir)).toEqual([tally('orders', '2025-01-15T10:00:00.000Z', 4, 1)]); // the torn line is skipped
    const store = await createNdjsonStore({ dir });
    await store.writeTallies?.([tally('orders', '2025-01-15T10:01:00.000Z', 2, 2)]);
    expect(await store.listTallies?.()).toEqual([tally('orders', '2025-01-15T10:00:00.000Z', 4, 1), tally('orders', '2025-01-15T10:01:00.000Z', 2, 2)]);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(3);
    await store.close();
  });

  it('names file and line for a line that is not a tally, and reads a folder without tallies as none', async () => {
    const dir = await tempDir();
    expect(await readTallies(dir)).toEqual([]);
    const file = join(dir, 'tallies-20250115.ndjson');
    await appendFile(file, JSON.stringify(tally('orders', '2025-01-15T10:00:00.000Z', 4)) + '\n{"route":"orders","bucket":"soon"}\n');
    expect(await failure(readTallies(dir))).toMatchObject({ code: 'GW_DIFF_STORE', details: { file, line: 2 } });
    expect((await failure(readTallies(join(dir, 'missing')))).code).toBe('GW_DIFF_STORE');
  });
});

describe('tally counter', () => {
  it('counts per route and minute, hands over only the minutes that ended, and takes failed counts back', () => {
    const counter = new TallyCounter();
    const t0 = Date.UTC(2025, 0, 15, 10, 0, 0);
    for (const [route, outcome, ms] of [
      ['a', 'same', t0],
      ['a', 'different', t0 + 59_999],
      ['a', 'noise', t0 + 60_000],
      ['b', 'same', t0 + 1],
    ] as const)
      counter.add(route, outcome, ms);
    expect(counter.take(t0 + 60_000)).toEqual([tally('a', '2025-01-15T10:00:00.000Z', 2, 1), tally('b', '2025-01-15T10:00:00.000Z', 1)]);
    counter.restore([tally('a', '2025-01-15T10:01:00.000Z', 5, 2, 1)]);
    expect(counter.take()).toEqual([tally('a', '2025-01-15T10:01:00.000Z', 6, 2, 2)]);
    expect(counter.size).toBe(0);
  });

  it('a run of one route and minute counts into one entry, and counting goes on right after that minute was taken', () => {
    const counter = new TallyCounter();
    const t0 = Date.UTC(2025, 0, 15, 10, 0, 0);
    for (let i = 0; i < 3; i += 1) counter.add('a', 'same', t0 + i);
    counter.add('b', 'different', t0);
    counter.add('a', 'noise', t0 + 3);
    expect(counter.peek()).toEqual([tally('a', '2025-01-15T10:00:00.000Z', 4, 0, 1), tally('b', '2025-01-15T10:00:00.000Z', 1, 1)]);
    expect(counter.take()).toHaveLength(2);
    counter.add('a', 'same', t0 + 4); // the minute taken is counted afresh, not into the handed-over entry
    expect(counter.take()).toEqual([tally('a', '2025-01-15T10:00:00.000Z', 1)]);
    counter.add('a', 'same', t0 + 5);
    counter.restore([tally('a', '2025-01-15T10:00:00.000Z', 2)]);
    counter.add('a', 'same', t0 + 6);
    expect(counter.take()).toEqual([tally('a', '2025-01-15T10:00:00.000Z', 4)]);
  });

  it('drops and counts comparisons for new minutes beyond its bound', () => {
    const counter = new TallyCounter(2);
    for (let i = 0; i < 5; i += 1) counter.add(`r${i}`, 'same', 0);
    counter.add('r0', 'same', 0);
    expect(counter.size).toBe(2);
    expect(counter.dropped).toBe(3);
  });
});
