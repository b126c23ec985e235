/** Picking the source a config names, and the Postgres source's refusals of bad options (no server contacted). */
import { describe, expect, it } from 'vitest';
import { parseCdcConfig } from '../config/load.js';
import { createSource, describeSource, postgresSourceTables } from './open.js';
import { createPostgresSource, type PostgresSourceOptions } from './postgres/source.js';

const positions = async () => new Map();
const config = (source: string) =>
  parseCdcConfig(`source:\n${source}sink:\n  postgres:\n    url: postgres://t@127.0.0.1/target\ntables:\n  - from: public.orders\n  - from: customers\n`);

describe('createSource', () => {
  it('creates the Postgres source for source.postgres, with the mapped tables by default', () => {
    const c = config('  postgres:\n    url: postgres://app:secret@db.internal/shop\n');
    expect(postgresSourceTables(c)).toEqual(['public.orders', 'customers']);
    expect(() => createSource(c, { positions })).not.toThrow();
    expect(describeSource(c)).toBe('postgres://app:***@db.internal/shop (slot ficus, publication ficus, 2 tables)');
    expect(c.source.postgres?.skipOrigins).toEqual(['ficus']);
  });

  it('takes source.postgres.tables when given', () => {
    expect(postgresSourceTables(config('  postgres:\n    url: postgres://db/shop\n    tables: [shop.orders]\n'))).toEqual(['shop.orders']);
  });

  it('creates the Kafka source for source.kafka', () => {
    const c = config('  kafka:\n    brokers: [127.0.0.1:9092]\n    topics: [shop.public.orders]\n    groupId: g\n');
    expect(() => createSource(c, { positions })).not.toThrow();
    expect(describeSource(c)).toBe('topics shop.public.orders (group g)');
  });
});

describe('createPostgresSource options', () => {
  const base: PostgresSourceOptions = { url: 'postgres://127.0.0.1/shop', slot: 'ficus', publication: 'ficus', tables: ['public.orders'], positions };
  it.each([
    ['a non-postgres url', { url: 'mysql://127.0.0.1/shop' }],
    ['a bad slot name', { slot: 'Bad-Slot' }],
    ['a bad publication name', { publication: 'x y' }],
    ['no tables', { tables: [] }],
  ])('refuses %s with CDC_PG_OPTIONS', (_name, patch) => {
    expect(() => createPostgresSource({ ...base, ...patch })).toThrow(expect.objectContaining({ code: 'CDC_PG_OPTIONS' }));
  });
});
