// Every documented Debezium example in test/data/debezium (a copy of the shared fixtures) decodes, and what it decodes to
// matches the fixture's own payload.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeKey, decodeMessage } from './message.js';
import { toJsonLine } from './normalize.js';

const dir = fileURLToPath(new URL('../../test/data/debezium/', import.meta.url));
interface Entry {
  file: string;
  kind: string;
  op: string | null;
  status?: string;
  withSchema: boolean;
}
const index = JSON.parse(readFileSync(`${dir}INDEX.json`, 'utf8')) as Entry[];
const read = (file: string): string => readFileSync(`${dir}${file}`, 'utf8');
const payloadOf = (doc: Record<string, unknown>): Record<string, unknown> =>
  ('schema' in doc && 'payload' in doc ? doc.payload : doc) as Record<string, unknown>;
const topic = 'dbserver1.inventory.customers';

describe('Debezium documentation fixtures', () => {
  it('lists every fixture file with a .meta.json', () => {
    expect(index.length).toBeGreaterThanOrEqual(19);
    for (const e of index) {
      const meta = JSON.parse(read(e.file.replace(/\.json$/, '.meta.json'))) as { kind: string };
      expect(meta.kind).toBe(e.kind);
    }
  });

  for (const e of index) {
    it(`${e.file} (${e.kind})`, () => {
      const text = read(e.file);
      const doc = JSON.parse(text) as Record<string, unknown>;
      const m = { topic, partition: 0, offset: '1' };
      if (e.kind.startsWith('key') || e.kind === 'schema-change key') {
        expect(decodeKey(text)).toEqual(payloadOf(doc));
        return;
      }
      if (e.kind === 'tombstone') {
        const d = decodeMessage({ ...m, key: JSON.stringify(doc.key), value: doc.value as null });
        expect(d).toEqual({ kind: 'tombstone', key: payloadOf(doc.key as Record<string, unknown>), position: { kind: 'kafka', ...m } });
        expect(toJsonLine(d)).toMatchObject({ kind: 'tombstone', key: { id: 1004 } });
        return;
      }
      const d = decodeMessage({ ...m, key: null, value: text });
      const p = payloadOf(doc);
      if (e.kind === 'transaction-metadata') {
        expect(d).toMatchObject({ kind: 'transaction', status: e.status, id: p.id });
        if (d.kind === 'transaction' && e.status === 'END') {
          expect(d.eventCount).toBe(p.event_count);
          expect(d.dataCollections).toEqual(
            (p.data_collections as { data_collection: string; event_count: number }[]).map((c) => ({
              dataCollection: c.data_collection,
              eventCount: c.event_count,
            })),
          );
        }
        return;
      }
      if (e.kind.startsWith('schema-change')) {
        expect(d).toMatchObject({ kind: 'schema-change', ddl: p.ddl, db: p.databaseName });
        return;
      }
      expect(d.kind).toBe('change');
      if (d.kind !== 'change') return;
      const source = p.source as Record<string, unknown>;
      expect(d.event.op).toBe(e.op);
      expect(d.event.op).toBe(p.op);
      expect(d.event.table).toBe(source.table);
      expect(d.event.db).toBe(source.db);
      expect(d.event.schema).toBe(source.schema ?? null);
      expect(d.event.before).toEqual(p.before ?? null);
      expect(d.event.after).toEqual(p.after ?? null);
      expect(d.event.key).toBeNull();
      if (e.op === 'm') expect(d.event.message).toEqual(p.message);
      const line = toJsonLine(d);
      expect(line).toMatchObject({ op: e.op, table: source.table, before: p.before ?? null, after: p.after ?? null });
    });
  }

  it('pairs the delete event with its key fixture (the key of the following tombstone)', () => {
    const d = decodeMessage({
      topic,
      partition: 0,
      offset: 9,
      key: read('015-mysql-tutorial-delete-key.json'),
      value: read('016-mysql-tutorial-delete-payload.json'),
    });
    expect(d).toMatchObject({ kind: 'change', event: { op: 'd', key: { id: 1004 }, after: null, before: { id: 1004, first_name: 'Anne Marie' } } });
  });

  it('decodes the tutorial snapshot read with its key', () => {
    const d = decodeMessage({
      topic,
      partition: 0,
      offset: 1,
      key: read('010-mysql-tutorial-key-with-schema.json'),
      value: read('011-mysql-tutorial-snapshot-read-with-schema.json'),
    });
    expect(d).toMatchObject({ kind: 'change', event: { op: 'r', key: { id: 1004 }, snapshot: 'true', table: 'customers', db: 'inventory', schema: null } });
  });
});
