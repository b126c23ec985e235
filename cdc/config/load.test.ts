import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCdcConfig } from './load.js';

const base = `
source: { kafka: { brokers: [localhost:9092], topics: [t], groupId: g } }
sink: { postgres: { url: postgres://localhost/db } }
`;

function errorOf(fn: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('expected an error');
}

describe('parseCdcConfig', () => {
  it('fills defaults and freezes', () => {
    const cfg = parseCdcConfig(`${base}tables:\n  - from: public.products\n`);
    expect(cfg.sink.postgres?.schema).toBe('public');
    expect(cfg.batch).toEqual({ maxEvents: 1000, maxWaitMs: 200 });
    expect(cfg.offsets.table).toBe('ficus_offsets');
    expect(cfg.deadLetter.table).toBe('ficus_dead_letters');
    expect(cfg.tables[0]).toMatchObject({ columns: {}, computed: {}, unmapped: 'keep', truncate: false });
    expect(Object.isFrozen(cfg.tables)).toBe(true);
  });

  it('loads the sample mapping with the environment substituted', () => {
    const text = readFileSync(new URL('../../samples/ficus.cdc.yaml', import.meta.url), 'utf8');
    const cfg = parseCdcConfig(text, 'samples/ficus.cdc.yaml', { SERVICE_DATABASE_URL: 'postgres://x/catalog' });
    expect(cfg.sink.postgres?.url).toBe('postgres://x/catalog');
    expect(cfg.tables.map((t) => t.to)).toEqual(['catalog_categories', 'catalog_items']);
  });

  it.each([
    ['a duplicate from', `tables:\n  - from: a\n  - from: b\n  - from: a\n`, 'tables[2].from', 7],
    ['a target column written twice', `tables:\n  - from: a\n    columns: { x: y, z: y }\n`, 'tables[0].columns.z', 6],
    ['a computed column that is also mapped', `tables:\n  - from: a\n    columns: { x: y }\n    computed: { y: now() }\n`, 'tables[0].computed.y', 7],
    ['a key column renamed away', `tables:\n  - from: a\n    key: [id]\n    columns: { id: item_id }\n`, 'tables[0].key[0]', 6],
    ['a computed key column', `tables:\n  - from: a\n    key: [at]\n    computed: { at: now() }\n`, 'tables[0].key[0]', 6],
    ['an expression outside the subset', `tables:\n  - from: a\n    columns: { p: { expr: "(select 1)" } }\n`, 'tables[0].columns.p.expr', 6],
    ['a statement separator in an expression', `tables:\n  - from: a\n    computed: { c: "1; drop table x" }\n`, 'tables[0].computed.c', 6],
    ['a bad filter', `tables:\n  - from: a\n    where: "after.x = = 1"\n`, 'tables[0].where', 6],
    ['an unknown coercion type', `tables:\n  - from: a\n    columns: { p: { type: money } }\n`, 'tables[0].columns.p', 6],
  ])('refuses %s with file:line', (_what, tables, field, line) => {
    const err = errorOf(() => parseCdcConfig(base + tables, 'f.yaml'));
    expect(err.code).toBe('CORE_CONFIG_INVALID');
    const errors = err.details.errors as { field: string; line: number }[];
    expect(errors.some((e) => e.field.startsWith(field) && e.line === line)).toBe(true);
  });

  it('needs exactly one of topics and topicPattern', () => {
    const text = `source: { kafka: { brokers: [b], groupId: g } }\nsink: { postgres: { url: postgres://h/d } }\ntables: [{ from: a }]\n`;
    const err = errorOf(() => parseCdcConfig(text));
    expect(err.code).toBe('CORE_CONFIG_INVALID');
    expect((err.details.errors as { field: string }[])[0]?.field).toBe('source.kafka');
  });
});
