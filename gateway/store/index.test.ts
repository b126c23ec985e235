import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDiffStore } from './index.js';
import { sampleRecords } from './sample-records.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('openDiffStore', () => {
  it('none keeps nothing and lists nothing', async () => {
    const store = await openDiffStore({ store: 'none', path: './ignored', table: 'ficus_diffs' });
    await store.write(sampleRecords(3));
    expect(await store.list({ includeNoise: true })).toEqual([]);
    await store.close();
  });

  it('ndjson resolves a relative path against baseDir and creates it', async () => {
    const base = await mkdtemp(join(tmpdir(), 'ficus-open-'));
    dirs.push(base);
    const store = await openDiffStore({ store: 'ndjson', path: 'out/diffs', table: 'ficus_diffs' }, { baseDir: base });
    await store.write(sampleRecords(2));
    expect(await store.list()).toEqual(sampleRecords(2));
    await store.close();
    expect(await readdir(join(base, 'out', 'diffs'))).toHaveLength(1);
  });

  it('postgres without a url is refused, naming the field', async () => {
    await expect(openDiffStore({ store: 'postgres', path: '', table: 'ficus_diffs' })).rejects.toMatchObject({
      code: 'GW_DIFF_STORE',
      details: { field: 'diffs.url' },
    });
  });
});
