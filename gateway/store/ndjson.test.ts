import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FicusError } from '../../core/index.js';
import type { DiffRecord } from '../model.js';
import { readDiffFile } from './ndjson-files.js';
import { createNdjsonStore } from './ndjson.js';
import { sampleRecord, sampleRecords } from './sample-records.js';
import { diffStoreContract, tallyStoreContract } from './store.case.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ficus-ndjson-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

diffStoreContract('ndjson', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ficus-ndjson-contract-'));
  return { store: await createNdjsonStore({ dir }), reopen: () => createNdjsonStore({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

diffStoreContract('ndjson (fsync, 4 KiB files)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ficus-ndjson-contract-'));
  const open = () => createNdjsonStore({ dir, fsync: true, maxFileBytes: 4096 });
  return { store: await open(), reopen: open, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

tallyStoreContract('ndjson', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ficus-ndjson-tallies-'));
  return { store: await createNdjsonStore({ dir }), reopen: () => createNdjsonStore({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

tallyStoreContract('ndjson (fsync)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ficus-ndjson-tallies-'));
  const open = () => createNdjsonStore({ dir, fsync: true });
  return { store: await open(), reopen: open, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

const line = (r: DiffRecord): string => JSON.stringify(r) + '\n';

async function collect(path: string): Promise<DiffRecord[]> {
  const out: DiffRecord[] = [];
  for await (const r of readDiffFile(path)) out.push(r);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<FicusError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FicusError) return err;
    throw err;
  }
  throw new Error('expected a FicusError');
}

describe('ndjson store files', () => {
  it('creates the folder and writes one line per record to diffs-<day>-0001.ndjson', async () => {
    const dir = join(await tempDir(), 'nested', 'diffs');
    const store = await createNdjsonStore({ dir, now: () => new Date('2025-03-04T23:59:59Z') });
    await store.write(sampleRecords(3));
    await store.close();
    expect(await readdir(dir)).toEqual(['diffs-20250304-0001.ndjson']);
    const text = await readFile(join(dir, 'diffs-20250304-0001.ndjson'), 'utf8');
    expect(text).toBe(sampleRecords(3).map(line).join(''));
  });

  it('appends a re-written id as another line, and lists it once', async () => {
    const dir = await tempDir();
    const store = await createNdjsonStore({ dir });
    await store.write([sampleRecord(1)]);
    await store.write([sampleRecord(1), sampleRecord(1)]);
    expect(await store.list()).toHaveLength(1);
    await store.close();
    expect(await collect(dir)).toHaveLength(3);
  });

  it('starts a new file before a batch would pass maxFileBytes, never splitting a batch', async () => {
    const dir = await tempDir();
    const size = Buffer.byteLength(line(sampleRecord(0)));
    const store = await createNdjsonStore({ dir, maxFileBytes: size * 3 + 10, now: () => new Date('2025-03-04T10:00:00Z') });
    await store.write(sampleRecords(2)); // file 1: 2 records
    await store.write(sampleRecords(1, { start: 2 })); // still fits: 3
    await store.write(sampleRecords(1, { start: 3 })); // would pass: file 2
    await store.write(sampleRecords(5, { start: 4 })); // larger than the cap: a file of its own
    await store.write(sampleRecords(1, { start: 9 }));
    const files = await readdir(dir);
    expect(files.sort()).toEqual([1, 2, 3, 4].map((s) => `diffs-20250304-000${s}.ndjson`));
    const counts = await Promise.all(files.map(async (f) => (await collect(join(dir, f))).length));
    expect(counts).toEqual([3, 1, 5, 1]);
    expect((await store.list()).map((r) => r.id)).toEqual(sampleRecords(10).map((r) => r.id));
    await store.close();
  });

  it('starts a new file when the UTC day changes, and lists across days in order', async () => {
    const dir = await tempDir();
    let now = new Date('2025-03-04T23:59:59.900Z');
    const store = await createNdjsonStore({ dir, now: () => now });
    await store.write(sampleRecords(2));
    now = new Date('2025-03-05T00:00:00.100Z');
    await store.write(sampleRecords(2, { start: 2 }));
    expect((await readdir(dir)).sort()).toEqual(['diffs-20250304-0001.ndjson', 'diffs-20250305-0001.ndjson']);
    expect(await store.list()).toEqual(sampleRecords(4));
    await store.close();
  });

  it('keeps appending to the last file of the day after a reopen', async () => {
    const dir = await tempDir();
    const now = (): Date => new Date('2025-03-04T10:00:00Z');
    const first = await createNdjsonStore({ dir, now });
    await first.write(sampleRecords(2));
    await first.close();
    const second = await createNdjsonStore({ dir, now });
    await second.write(sampleRecords(2, { start: 2 }));
    await second.close();
    expect(await readdir(dir)).toEqual(['diffs-20250304-0001.ndjson']);
    expect(await collect(dir)).toEqual(sampleRecords(4));
  });

  it('skips a torn last line, and writes after it to a new file', async () => {
    const dir = await tempDir();
    const now = (): Date => new Date('2025-03-04T10:00:00Z');
    const file = join(dir, 'diffs-20250304-0001.ndjson');
    const torn = line(sampleRecord(2)).slice(0, 40);
    await writeFile(file, line(sampleRecord(0)) + line(sampleRecord(1)) + torn);
    const torns: number[] = [];
    const read: DiffRecord[] = [];
    for await (const r of readDiffFile(file, { onTorn: (_f, n) => torns.push(n) })) read.push(r);
    expect(read).toEqual(sampleRecords(2));
    expect(torns).toEqual([3]);

    const store = await createNdjsonStore({ dir, now });
    expect(await store.list()).toEqual(sampleRecords(2));
    await store.write([sampleRecord(2)]);
    expect((await readdir(dir)).sort()).toEqual(['diffs-20250304-0001.ndjson', 'diffs-20250304-0002.ndjson']);
    expect(await store.list()).toEqual(sampleRecords(3));
    await store.close();
  });

  /** A store on 2025-03-04 that has written one record, with its first file removed behind its back. */
  async function storeWithFirstFileRemoved() {
    const dir = await tempDir();
    const store = await createNdjsonStore({ dir, now: () => new Date('2025-03-04T10:00:00Z') });
    await store.write([sampleRecord(0)]);
    const first = join(dir, 'diffs-20250304-0001.ndjson');
    await rm(first);
    return { dir, store, first };
  }

  it('after a failed append, writes the retry to a new file (retriable error)', async () => {
    const { dir, store, first } = await storeWithFirstFileRemoved();
    await mkdir(first); // the next append to it fails
    expect(await rejection(store.write([sampleRecord(1)]))).toMatchObject({ code: 'GW_DIFF_STORE', retriable: true });
    await rm(first, { recursive: true });
    await store.write([sampleRecord(1)]);
    expect((await readdir(dir)).sort()).toEqual(['diffs-20250304-0002.ndjson']);
    expect(await store.list()).toEqual([sampleRecord(1)]);
    await store.close();
  });

  it('writes to the path again when the open file was removed behind its back (nothing goes to an unlinked file)', async () => {
    const { store, first } = await storeWithFirstFileRemoved();
    await store.write([sampleRecord(1)]);
    expect(await readFile(first, 'utf8')).toBe(line(sampleRecord(1)));
    expect(await store.list()).toEqual([sampleRecord(1)]);
    await store.close();
  });

  it('accepts a last line that lacks only its newline', async () => {
    const dir = await tempDir();
    const file = join(dir, 'diffs-20250304-0001.ndjson');
    await writeFile(file, line(sampleRecord(0)) + JSON.stringify(sampleRecord(1)));
    expect(await collect(file)).toEqual(sampleRecords(2));
  });

  it('reports a malformed middle line with file:line, from readDiffFile and list', async () => {
    const dir = await tempDir();
    const file = join(dir, 'diffs-20250304-0001.ndjson');
    await writeFile(file, line(sampleRecord(0)) + '{"id": "x", "oops"\n' + line(sampleRecord(2)));
    const err = await rejection(collect(dir));
    expect(err.code).toBe('GW_DIFF_STORE');
    expect(err.details).toEqual({ file, line: 2 });
    expect(err.message).toContain(`${file}:2`);

    const store = await createNdjsonStore({ dir });
    expect((await rejection(store.list())).details).toEqual({ file, line: 2 });
    await store.close();
  });

  it('reports valid JSON that is not a DiffRecord, and a malformed last line that has its newline', async () => {
    const dir = await tempDir();
    const a = join(dir, 'a.ndjson');
    await writeFile(a, line(sampleRecord(0)) + '{"id":"x"}\n' + line(sampleRecord(1)));
    expect((await rejection(collect(a))).details).toEqual({ file: a, line: 2 });
    const b = join(dir, 'b.ndjson');
    await writeFile(b, line(sampleRecord(0)) + '{"id": "x", "oo\n');
    expect((await rejection(collect(b))).details).toEqual({ file: b, line: 2 });
  });

  it('reads every .ndjson file of a folder in write order, skipping blank lines', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'diffs-20250305-0001.ndjson'), line(sampleRecord(3)));
    await writeFile(join(dir, 'diffs-20250304-0010.ndjson'), line(sampleRecord(2)));
    await writeFile(join(dir, 'diffs-20250304-0002.ndjson'), line(sampleRecord(0)) + '\n' + line(sampleRecord(1)));
    await writeFile(join(dir, 'notes.txt'), 'not a diff file');
    expect((await collect(dir)).map((r) => r.id)).toEqual(sampleRecords(4).map((r) => r.id));
  });

  it('refuses a path that does not exist, and an unusable folder or bad options at open', async () => {
    const dir = await tempDir();
    expect((await rejection(collect(join(dir, 'missing.ndjson')))).code).toBe('GW_DIFF_STORE');
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    expect((await rejection(createNdjsonStore({ dir: join(file, 'sub') }))).code).toBe('GW_DIFF_STORE');
    expect((await rejection(createNdjsonStore({ dir, maxFileBytes: 0 }))).code).toBe('GW_DIFF_STORE');
  });

  it('lists an empty folder as nothing and reads records written by another process', async () => {
    const dir = await tempDir();
    const store = await createNdjsonStore({ dir });
    expect(await store.list()).toEqual([]);
    await appendFile(join(dir, 'diffs-20250101-0001.ndjson'), line(sampleRecord(0)));
    expect(await store.list()).toEqual([sampleRecord(0)]);
    await store.close();
  });
});
