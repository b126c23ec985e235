// Records made as UTF-8 JSON in another thread (the shadow judge's): stored byte for byte, read lazily.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNdjsonStore } from './ndjson.js';
import { recordFromText, serialisedBytes, serialiseRecord } from './record.js';
import { sampleRecord } from './sample-records.js';

describe('recordFromText', () => {
  const full = sampleRecord(7, { route: 'orders', noise: true });
  const bytes = new TextEncoder().encode(JSON.stringify(full));
  const head = { id: full.id, at: full.at, route: full.route, noise: full.noise };

  it('reads as the record it was made from, and serialises to its own bytes', () => {
    const r = recordFromText(head, bytes);
    expect(r).toEqual(full);
    expect(JSON.parse(JSON.stringify(r))).toEqual(full);
    expect(serialisedBytes(r).equals(Buffer.from(bytes))).toBe(true);
    expect(serialiseRecord(r)).toBe(JSON.stringify(full));
    // A record made here is encoded from its text.
    expect(serialisedBytes(full).toString()).toBe(JSON.stringify(full));
  });

  it('is written by the ndjson store byte for byte and listed back whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ficus-record-'));
    try {
      const store = await createNdjsonStore({ dir });
      await store.write([recordFromText(head, bytes), sampleRecord(8)]);
      expect(await store.list({ includeNoise: true })).toEqual([full, sampleRecord(8)]);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
