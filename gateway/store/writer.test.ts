import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { DiffQuery, DiffRecord, DiffStore } from '../model.js';
import { createNdjsonStore } from './ndjson.js';
import { compareIds, matchesQuery, normaliseQuery } from './query.js';
import { sampleRecord, sampleRecords } from './sample-records.js';
import { createDiffWriter } from './writer.js';

/** An in-memory DiffStore (our own port) that fails its next `failures` writes, or hangs. */
class FlakyStore implements DiffStore {
  readonly rows = new Map<string, DiffRecord>();
  readonly writes: number[] = [];
  failures = 0;
  refuse = new Set<string>();
  hang = false;
  closed = false;

  async write(records: readonly DiffRecord[]): Promise<void> {
    this.writes.push(records.length);
    if (this.hang) return new Promise(() => undefined);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new FicusError(GatewayErrorCode.DIFF_STORE, 'store down', { retriable: true });
    }
    if (records.some((r) => this.refuse.has(r.id))) throw new FicusError(GatewayErrorCode.DIFF_STORE, 'bad record', { retriable: false });
    for (const r of records) if (!this.rows.has(r.id)) this.rows.set(r.id, r);
  }

  async list(query?: DiffQuery): Promise<DiffRecord[]> {
    const q = normaliseQuery(query);
    return [...this.rows.values()]
      .filter((r) => matchesQuery(r, q))
      .sort((a, b) => compareIds(a.id, b.id))
      .slice(0, q.limit);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const noJitter = { random: () => 0.5, now: () => Date.now() };

describe('diff writer', () => {
  it('writes a partial batch flushMs after the first record, full batches at once', async () => {
    const store = new FlakyStore();
    const writer = createDiffWriter(store, { batch: 10, flushMs: 200, ...noJitter });
    for (const r of sampleRecords(3)) expect(writer.offer(r)).toBe(true);
    await vi.advanceTimersByTimeAsync(199);
    expect(store.writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.writes).toEqual([3]);
    for (const r of sampleRecords(25, { start: 3 })) writer.offer(r);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.writes).toEqual([3, 10, 10]);
    await vi.advanceTimersByTimeAsync(200);
    expect(store.writes).toEqual([3, 10, 10, 5]);
    expect(writer.stats()).toEqual({ queued: 0, written: 28, dropped: 0, failedWrites: 0 });
    expect((await store.list({ limit: 100 })).map((r) => r.id)).toEqual(sampleRecords(28).map((r) => r.id));
  });

  it('drops and counts what does not fit, without throwing', async () => {
    const store = new FlakyStore();
    store.failures = Infinity;
    const writer = createDiffWriter(store, { maxQueue: 5, batch: 2, flushMs: 50, ...noJitter });
    const accepted = sampleRecords(8).map((r) => writer.offer(r));
    expect(accepted).toEqual([true, true, true, true, true, false, false, false]);
    await vi.advanceTimersByTimeAsync(5_000); // the held batch still counts against maxQueue
    expect(writer.offer(sampleRecord(9))).toBe(false);
    expect(writer.stats()).toMatchObject({ queued: 5, written: 0, dropped: 4 });
    expect(writer.stats().failedWrites).toBeGreaterThan(3);
  });

  it('keeps a failed batch and retries it with growing backoff until the store is back', async () => {
    const store = new FlakyStore();
    store.failures = 3;
    const writer = createDiffWriter(store, { batch: 4, flushMs: 10, retryMs: 100, maxRetryMs: 1_000, ...noJitter });
    for (const r of sampleRecords(4)) writer.offer(r);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.writes).toEqual([4]);
    for (const r of sampleRecords(2, { start: 4 })) writer.offer(r); // offered during the outage: waits behind the batch
    await vi.advanceTimersByTimeAsync(99);
    expect(store.writes).toEqual([4]); // first retry after 100 ms
    await vi.advanceTimersByTimeAsync(1);
    expect(store.writes).toEqual([4, 4]);
    await vi.advanceTimersByTimeAsync(200); // then 200 ms
    expect(store.writes).toEqual([4, 4, 4]);
    await vi.advanceTimersByTimeAsync(399);
    expect(store.writes).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1); // then 400 ms: succeeds
    expect(store.writes).toEqual([4, 4, 4, 4]);
    await vi.advanceTimersByTimeAsync(10);
    expect(store.writes).toEqual([4, 4, 4, 4, 2]);
    expect(writer.stats()).toEqual({ queued: 0, written: 6, dropped: 0, failedWrites: 3 });
    expect([...store.rows.keys()]).toEqual(sampleRecords(6).map((r) => r.id));
  });

  it('drops only the records a store refuses, writing the rest of their batch', async () => {
    const store = new FlakyStore();
    const records = sampleRecords(5);
    store.refuse.add(records[1]?.id ?? '');
    store.refuse.add(records[3]?.id ?? '');
    const writer = createDiffWriter(store, { batch: 5, ...noJitter });
    for (const r of records) writer.offer(r);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.writes).toEqual([5, 1, 1, 1, 1, 1]);
    expect(writer.stats()).toEqual({ queued: 0, written: 3, dropped: 2, failedWrites: 3 });
    expect([...store.rows.keys()]).toEqual([0, 2, 4].map((i) => records[i]?.id));
  });

  it('flush writes everything now, and rejects (keeping the records) while the store is down', async () => {
    const store = new FlakyStore();
    const writer = createDiffWriter(store, { batch: 3, flushMs: 10_000, ...noJitter });
    for (const r of sampleRecords(7)) writer.offer(r);
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 0, written: 7 });
    store.failures = 1;
    writer.offer(sampleRecord(7));
    await expect(writer.flush()).rejects.toMatchObject({ code: 'GW_DIFF_STORE', retriable: true });
    expect(writer.stats()).toMatchObject({ queued: 1, written: 7, failedWrites: 1 });
    await vi.advanceTimersByTimeAsync(200); // the retry the failure scheduled
    expect(writer.stats()).toMatchObject({ queued: 0, written: 8 });
  });

  it('close flushes what is queued, closes the store, and drops later offers', async () => {
    const store = new FlakyStore();
    store.failures = 2;
    const writer = createDiffWriter(store, { batch: 10, flushMs: 10_000, retryMs: 50, ...noJitter });
    for (const r of sampleRecords(25)) writer.offer(r);
    const closed = writer.close();
    await vi.advanceTimersByTimeAsync(1_000);
    await closed;
    expect(store.closed).toBe(true);
    expect(writer.stats()).toEqual({ queued: 0, written: 25, dropped: 0, failedWrites: 2 });
    expect(writer.offer(sampleRecord(99))).toBe(false);
    expect(writer.stats().dropped).toBe(1);
    await writer.close();
  });

  it('close gives up at its deadline and counts what is left as dropped', async () => {
    const store = new FlakyStore();
    store.hang = true;
    const writer = createDiffWriter(store, { batch: 10, closeTimeoutMs: 1_000, ...noJitter });
    for (const r of sampleRecords(15)) writer.offer(r);
    const closed = writer.close();
    await vi.advanceTimersByTimeAsync(1_000);
    await closed;
    expect(store.closed).toBe(true);
    expect(writer.stats()).toEqual({ queued: 0, written: 0, dropped: 15, failedWrites: 0 });
  });

  it('refuses bad options at once', () => {
    const store = new FlakyStore();
    for (const bad of [{ maxQueue: 0 }, { batch: 1.5 }, { flushMs: -1 }, { batch: 20, maxQueue: 10 }]) {
      expect(() => createDiffWriter(store, bad)).toThrow(expect.objectContaining({ code: 'GW_DIFF_STORE' }));
    }
  });

  it('logs through a pino child and keeps offering while the store fails', async () => {
    const lines: Record<string, unknown>[] = [];
    const { pino } = await import('pino');
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    const store = new FlakyStore();
    store.failures = 1;
    const writer = createDiffWriter(store, { batch: 1, maxQueue: 1, logger, ...noJitter });
    writer.offer(sampleRecord(0));
    await vi.advanceTimersByTimeAsync(0);
    writer.offer(sampleRecord(1));
    writer.offer(sampleRecord(2));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writer.stats()).toEqual({ queued: 0, written: 1, dropped: 2, failedWrites: 1 });
    expect(lines.map((l) => [l.part, l.mod, l.msg])).toEqual([
      ['gateway', 'diff-writer', 'diff store write failed; will retry'],
      ['gateway', 'diff-writer', 'dropping diff records'],
      ['gateway', 'diff-writer', 'diff records are being written again'],
    ]);
  });
});

describe('diff writer under load', () => {
  it('keeps one write in flight and accounts for every offered record', async () => {
    vi.useRealTimers();
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const inner = new FlakyStore();
    const store: DiffStore = {
      async write(records) {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 1 + (calls % 3)));
          calls += 1;
          if (calls % 4 === 0) throw new FicusError(GatewayErrorCode.DIFF_STORE, 'flaky', { retriable: true });
          await inner.write(records);
        } finally {
          inFlight -= 1;
        }
      },
      list: (q) => inner.list(q),
      close: () => inner.close(),
    };
    const writer = createDiffWriter(store, { maxQueue: 300, batch: 25, flushMs: 2, retryMs: 1, maxRetryMs: 5 });
    const records = sampleRecords(3000);
    let accepted = 0;
    for (let i = 0; i < records.length; i += 100) {
      for (const r of records.slice(i, i + 100)) if (writer.offer(r)) accepted += 1;
      if (i % 500 === 0) void writer.flush().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await writer.close();
    const stats = writer.stats();
    expect(maxInFlight).toBe(1);
    expect(stats.queued).toBe(0);
    expect(stats.written + stats.dropped).toBe(records.length);
    expect(stats.written).toBe(inner.rows.size);
    expect(accepted).toBe(stats.written);
    expect(stats.failedWrites).toBeGreaterThan(0);
  });
});

describe('diff writer over the ndjson store', () => {
  it('close writes everything to disk', async () => {
    vi.useRealTimers();
    const dir = await mkdtemp(join(tmpdir(), 'ficus-writer-'));
    try {
      const store = await createNdjsonStore({ dir });
      const writer = createDiffWriter(store, { batch: 64, flushMs: 5 });
      for (const r of sampleRecords(1000)) writer.offer(r);
      await writer.close();
      expect(writer.stats()).toEqual({ queued: 0, written: 1000, dropped: 0, failedWrites: 0 });
      const reopened = await createNdjsonStore({ dir });
      expect(await reopened.list({ limit: 2000 })).toHaveLength(1000);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
