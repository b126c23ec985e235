/**
 * The contract every DiffStore passes (STYLE.md rule 6), run by each store's own test file:
 *
 *   diffStoreContract('ndjson', async () => ({ store, reopen, cleanup }));
 *
 * It asserts what every store guarantees: id order, exact round-trips, the query filters and
 * defaults, large batches, concurrent writes, that an id written twice is listed once with its
 * first content (unfiltered), durability across close and reopen, and GW_DIFF_STORE errors —
 * and for comparison tallies: additions summed per (route, minute), bucket-then-route order,
 * the route and time filters, durability, tallies and records kept apart, and refusals.
 * How a store keeps a re-written id (Postgres: one row; ndjson: a second line, so a filter on a
 * field that changed could match the later line) is for its own tests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComparisonTally, DiffRecord, DiffStore } from '../model.js';
import { awkwardRecord, sampleRecord, sampleRecords } from './sample-records.js';

export interface OpenedStore {
  readonly store: DiffStore;
  /** A new store instance over the same data (after `store` is closed). */
  readonly reopen: () => Promise<DiffStore>;
  readonly cleanup: () => Promise<void>;
}

const ids = (records: readonly DiffRecord[]): string[] => records.map((r) => r.id);

function shuffled<T>(items: readonly T[]): T[] {
  // Deterministic: a fixed stride permutation.
  const n = items.length;
  return Array.from({ length: n }, (_, i) => items[(i * 7 + 3) % n] as T);
}

async function failure(p: Promise<unknown>): Promise<{ code?: string; retriable?: boolean }> {
  try {
    await p;
  } catch (err) {
    return err as { code?: string; retriable?: boolean };
  }
  throw new Error('expected the call to fail');
}

const code = async (p: Promise<unknown>): Promise<string | undefined> => (await failure(p)).code;

export function diffStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`DiffStore contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: DiffStore;
    const extra: DiffStore[] = [];

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await store.close();
      await opened.cleanup();
    });

    it('lists what was written in id order, whatever the write order', async () => {
      const records = sampleRecords(20);
      const mixed = shuffled(records);
      await store.write(mixed.slice(0, 7));
      await store.write(mixed.slice(7));
      expect(ids(await store.list())).toEqual(ids(records));
    });

    it('round-trips every field exactly, awkward strings included', async () => {
      const records = [sampleRecord(0), sampleRecord(4), awkwardRecord(5), sampleRecord(6, { noise: true })];
      await store.write(records);
      expect(await store.list({ includeNoise: true })).toStrictEqual(records);
    });

    it('filters by route, after and noise, and honours limit', async () => {
      const records = sampleRecords(30, { route: (i) => (i % 3 === 0 ? 'orders' : 'products'), noise: (i) => i % 5 === 0 });
      await store.write(records);
      const want = (pred: (r: DiffRecord) => boolean): string[] => ids(records.filter(pred));
      const orders = (r: DiffRecord): boolean => r.route === 'orders';
      const after = records[9]?.id ?? '';

      expect(ids(await store.list())).toEqual(want((r) => !r.noise));
      expect(ids(await store.list({ includeNoise: true }))).toEqual(ids(records));
      expect(ids(await store.list({ route: 'orders' }))).toEqual(want((r) => orders(r) && !r.noise));
      expect(ids(await store.list({ route: 'orders', includeNoise: true }))).toEqual(want(orders));
      expect(ids(await store.list({ after, includeNoise: true }))).toEqual(want((r) => r.id > after));
      expect(ids(await store.list({ route: 'products', after, limit: 4 }))).toEqual(
        want((r) => r.route === 'products' && r.id > after && !r.noise).slice(0, 4),
      );
      expect(ids(await store.list({ limit: 3, includeNoise: true }))).toEqual(ids(records.slice(0, 3)));
      expect(await store.list({ route: 'nowhere' })).toEqual([]);
      expect(await store.list({ after: records[29]?.id ?? '', includeNoise: true })).toEqual([]);
    });

    it('lists 100 records unless a limit is given, and refuses a limit out of range', async () => {
      await store.write(sampleRecords(150));
      expect(await store.list()).toHaveLength(100);
      expect(await store.list({ limit: 150 })).toHaveLength(150);
      for (const limit of [0, -1, 1.5, 10_001]) expect(await code(store.list({ limit }))).toBe('GW_DIFF_STORE');
    });

    it('writes a batch of 500 and pages through it with after', async () => {
      const records = sampleRecords(500, { route: (i) => `r${i % 4}` });
      await store.write(shuffled(records));
      expect(ids(await store.list({ limit: 1000 }))).toEqual(ids(records));
      const seen: string[] = [];
      for (let after: string | undefined; ;) {
        const page = await store.list({ after, limit: 64 });
        if (page.length === 0) break;
        seen.push(...ids(page));
        after = page.at(-1)?.id;
      }
      expect(seen).toEqual(ids(records));
    });

    it('lists a re-written record once (a retried batch never duplicates)', async () => {
      const records = sampleRecords(6, { route: (i) => (i % 2 === 0 ? 'orders' : 'products') });
      await store.write(records);
      await store.write(records.slice(2));
      await store.write([records[0] as DiffRecord, records[0] as DiffRecord]);
      expect(await store.list()).toStrictEqual(records);
      expect(ids(await store.list({ route: 'orders' }))).toEqual(ids(records.filter((r) => r.route === 'orders')));
      expect(ids(await store.list({ after: records[1]?.id ?? '', limit: 2 }))).toEqual(ids(records.slice(2, 4)));
    });

    it('keeps the first content of an id written twice', async () => {
      const records = sampleRecords(3);
      await store.write(records);
      await store.write(records.map((r) => ({ ...r, noise: true, shadow: { ...r.shadow, status: 418 } })));
      expect(await store.list({ includeNoise: true })).toStrictEqual(records);
    });

    it('takes concurrent writes', async () => {
      const records = sampleRecords(60);
      await Promise.all(Array.from({ length: 6 }, (_, k) => store.write(records.slice(k * 10, k * 10 + 10))));
      expect(ids(await store.list())).toEqual(ids(records));
    });

    it('keeps records across close and reopen', async () => {
      const records = [...sampleRecords(10), awkwardRecord(10)];
      await store.write(records);
      await store.close();
      const reopened = await opened.reopen();
      extra.push(reopened);
      expect(await reopened.list()).toStrictEqual(records);
      await reopened.write(sampleRecords(2, { start: 11 }));
      expect(await reopened.list()).toHaveLength(13);
    });

    it('accepts an empty write, and refuses a bad record and use after close with GW_DIFF_STORE', async () => {
      await store.write([]);
      expect(await store.list()).toEqual([]);
      const bad = { ...sampleRecord(1), id: '' };
      expect(await failure(store.write([sampleRecord(0), bad]))).toMatchObject({ code: 'GW_DIFF_STORE', retriable: false });
      expect(await store.list()).toEqual([]);
      await store.close();
      await store.close();
      expect(await code(store.write([sampleRecord(2)]))).toBe('GW_DIFF_STORE');
      expect(await code(store.list())).toBe('GW_DIFF_STORE');
    });
  });
}

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 15, 23, 58, 0);

/** A tally of `route` in the `m`th minute after T0 (minutes 2 and later fall on the next UTC day). */
function tally(route: string, m: number, compared: number, different = 0, noise = 0): ComparisonTally {
  return { route, bucket: new Date(T0 + m * MINUTE).toISOString(), compared, different, noise };
}

/** The tally half of the contract, for stores that keep tallies (ndjson, Postgres). */
export function tallyStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`DiffStore tallies contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: DiffStore;
    const extra: DiffStore[] = [];
    const write = (s: DiffStore, tallies: readonly ComparisonTally[]): Promise<void> => {
      if (s.writeTallies === undefined) throw new Error(`${name} has no writeTallies`);
      return s.writeTallies(tallies);
    };
    const list = (s: DiffStore, q?: Parameters<NonNullable<DiffStore['listTallies']>>[0]): Promise<ComparisonTally[]> => {
      if (s.listTallies === undefined) throw new Error(`${name} has no listTallies`);
      return s.listTallies(q);
    };

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await store.close();
      await opened.cleanup();
    });

    it('adds tallies per route and minute and lists the sums in bucket, then route order', async () => {
      expect(await list(store)).toEqual([]);
      await write(store, [tally('products', 1, 10, 2, 1), tally('orders', 0, 4, 1), tally('products', 0, 3)]);
      await write(store, [tally('products', 1, 5, 1, 0), tally('products', 1, 1, 0, 1), tally('orders', 3, 7, 7)]);
      expect(await list(store)).toStrictEqual([tally('orders', 0, 4, 1), tally('products', 0, 3), tally('products', 1, 16, 3, 2), tally('orders', 3, 7, 7)]);
    });

    it('filters tallies by route and by time', async () => {
      await write(store, [tally('orders', 0, 1), tally('products', 0, 2), tally('products', 2, 3, 1), tally('orders', 4, 4)]);
      expect(await list(store, { route: 'products' })).toStrictEqual([tally('products', 0, 2), tally('products', 2, 3, 1)]);
      const at = (m: number): string => new Date(T0 + m * MINUTE).toISOString();
      expect(await list(store, { from: at(2) })).toStrictEqual([tally('products', 2, 3, 1), tally('orders', 4, 4)]);
      expect(await list(store, { from: at(1), to: at(4) })).toStrictEqual([tally('products', 2, 3, 1)]);
      expect(await list(store, { route: 'nowhere' })).toEqual([]);
      expect(await code(list(store, { from: 'yesterday' }))).toBe('GW_DIFF_STORE');
    });

    it('keeps tallies across close and reopen, and a reopened store adds to them', async () => {
      await write(store, [tally('products', 0, 5, 1)]);
      await store.close();
      const reopened = await opened.reopen();
      extra.push(reopened);
      await write(reopened, [tally('products', 0, 5, 2, 1), tally('products', 3, 1)]);
      expect(await list(reopened)).toStrictEqual([tally('products', 0, 10, 3, 1), tally('products', 3, 1)]);
    });

    it('keeps tallies and records apart', async () => {
      const records = sampleRecords(3);
      await store.write(records);
      await write(store, [tally('products', 0, 9, 3)]);
      expect(await store.list({ includeNoise: true })).toStrictEqual(records);
      expect(await list(store)).toStrictEqual([tally('products', 0, 9, 3)]);
    });

    it('accepts an empty write, and refuses bad tallies (not retriable) and use after close with GW_DIFF_STORE', async () => {
      await write(store, []);
      const bad: ComparisonTally[] = [
        { ...tally('products', 0, 2), bucket: '2025-01-15T10:00:30.000Z' },
        { ...tally('products', 0, 2), compared: -1 },
        { ...tally('products', 0, 2), different: 1.5 },
        tally('products', 0, 2, 2, 1),
        { ...tally('products', 0, 2), route: 7 as unknown as string },
      ];
      for (const t of bad) expect(await failure(write(store, [tally('orders', 0, 1), t]))).toMatchObject({ code: 'GW_DIFF_STORE', retriable: false });
      expect(await list(store)).toEqual([]);
      await store.close();
      expect(await code(write(store, [tally('orders', 0, 1)]))).toBe('GW_DIFF_STORE');
      expect(await code(list(store))).toBe('GW_DIFF_STORE');
    });
  });
}
