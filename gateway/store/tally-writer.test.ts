import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { ComparisonTally, DiffRecord, DiffStore } from '../model.js';
import { readTallies } from './ndjson-tallies.js';
import { createNdjsonStore } from './ndjson.js';
import { sumTallies } from './tallies.js';
import { createDiffWriter } from './writer.js';

/** An in-memory DiffStore (our own port) keeping tallies, failing its next `failures` tally writes. */
class TallyStore implements DiffStore {
  readonly tallies: ComparisonTally[] = [];
  readonly writes: number[] = [];
  failures = 0;
  refuse = false;
  async write(_records: readonly DiffRecord[]): Promise<void> {}
  async list(): Promise<DiffRecord[]> {
    return [];
  }
  async writeTallies(tallies: readonly ComparisonTally[]): Promise<void> {
    this.writes.push(tallies.length);
    if (this.refuse) throw new FicusError(GatewayErrorCode.DIFF_STORE, 'bad tally', { retriable: false });
    if (this.failures > 0) {
      this.failures -= 1;
      throw new FicusError(GatewayErrorCode.DIFF_STORE, 'store down', { retriable: true });
    }
    this.tallies.push(...tallies);
  }
  async listTallies(): Promise<ComparisonTally[]> {
    return sumTallies(this.tallies);
  }
  async close(): Promise<void> {}
}

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);
const tally = (route: string, minute: number, compared: number, different = 0, noise = 0): ComparisonTally => ({
  route,
  bucket: new Date(T0 + minute * 60_000).toISOString(),
  compared,
  different,
  noise,
});

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('diff writer: comparison tallies', () => {
  it('writes the minutes that ended every tallyMs, and open minutes on flush', async () => {
    const store = new TallyStore();
    const writer = createDiffWriter(store, { tallyMs: 10_000, random: () => 0.5 });
    writer.tally('products', 'same', new Date(T0 + 1_000));
    writer.tally('products', 'different', T0 + 2_000);
    writer.tally('orders', 'noise', T0 + 3_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.writes).toEqual([]); // minute 0 is still open at 10:00:10
    await vi.advanceTimersByTimeAsync(50_000);
    expect(await store.listTallies()).toEqual([tally('orders', 0, 1, 0, 1), tally('products', 0, 2, 1)]);
    writer.tally('products', 'same', Date.now());
    await writer.flush();
    expect(await store.listTallies()).toEqual([tally('orders', 0, 1, 0, 1), tally('products', 0, 2, 1), tally('products', 1, 1)]);
    expect(writer.tallyStats()).toEqual({ pending: 0, written: 4, dropped: 0, failedWrites: 0 });
    await writer.close();
  });

  it('keeps the counts of a failed write for the next one, and drops what the store refuses', async () => {
    const store = new TallyStore();
    store.failures = 1;
    const writer = createDiffWriter(store, { tallyMs: 1_000 });
    writer.tally('products', 'different', T0);
    await expect(writer.flush()).rejects.toMatchObject({ code: 'GW_DIFF_STORE', retriable: true });
    writer.tally('products', 'same', T0 + 5);
    await writer.flush();
    expect(await store.listTallies()).toEqual([tally('products', 0, 2, 1)]);
    store.refuse = true;
    writer.tally('products', 'same', T0 + 10);
    await writer.flush();
    expect(writer.tallyStats()).toEqual({ pending: 0, written: 2, dropped: 1, failedWrites: 2 });
    await writer.close();
  });

  it('close writes the open minute, and later comparisons are not counted', async () => {
    const store = new TallyStore();
    const writer = createDiffWriter(store);
    for (let i = 0; i < 5; i += 1) writer.tally('products', i % 2 === 0 ? 'same' : 'different', T0 + i);
    await writer.close();
    writer.tally('products', 'same', T0);
    expect(await store.listTallies()).toEqual([tally('products', 0, 5, 2)]);
    expect(writer.tallyStats().pending).toBe(0);
  });

  it('counts nothing and arms no timer for a store without tallies', async () => {
    const store: DiffStore = { write: async () => undefined, list: async () => [], close: async () => undefined };
    const writer = createDiffWriter(store);
    writer.tally('products', 'same', T0);
    expect(vi.getTimerCount()).toBe(0);
    expect(writer.tallyStats()).toEqual({ pending: 0, written: 0, dropped: 0, failedWrites: 0 });
    await writer.close();
  });

  it('lands in the ndjson store’s tally files', async () => {
    vi.useRealTimers();
    const dir = await mkdtemp(join(tmpdir(), 'ficus-tally-writer-'));
    try {
      const writer = createDiffWriter(await createNdjsonStore({ dir }));
      for (let i = 0; i < 100; i += 1) writer.tally(i % 2 ? 'a' : 'b', i % 10 === 0 ? 'different' : 'same', T0 + i * 1_000);
      await writer.close();
      expect(await readTallies(dir)).toEqual([tally('a', 0, 30), tally('b', 0, 30, 6), tally('a', 1, 20), tally('b', 1, 20, 4)]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
