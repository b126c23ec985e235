// parseCdcConfig on random input, with a fixed seed: valid mappings generated from arbitraries
// load frozen with the documented defaults filled in; the same mappings with one member replaced
// by junk, random documents and random text load or are refused with a FicusError whose code is
// CORE_CONFIG_* (or CDC_*) and whose message starts with the file — never a TypeError, nor a raw
// yaml or ajv error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FicusError } from '../../core/index.js';
import { parseCdcConfig } from './load.js';
import type { CdcConfig } from './schema.js';

const RUN = { seed: 0xcdc0, numRuns: 100 } as const;
const FILE = 'etc/ficus.cdc.yaml';

type Obj = Record<string, unknown>;

function deepFrozen(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Object.isFrozen(v) && Object.values(v).every(deepFrozen);
}

function load(text: string): { ok: true; cfg: CdcConfig } | { ok: false; code: string } {
  try {
    const cfg = parseCdcConfig(text, FILE, { DB: 'postgres://127.0.0.1/service' });
    expect(deepFrozen(cfg)).toBe(true);
    return { ok: true, cfg };
  } catch (err) {
    if (!(err instanceof FicusError)) throw err;
    expect(err.code).toMatch(/^(CORE_CONFIG_[A-Z]+|CDC_[A-Z_]+)$/);
    expect(err.exitCode).toBe(2);
    expect(err.message.startsWith(`${FILE}:`) || err.message.startsWith(`${FILE} `)).toBe(true);
    return { ok: false, code: err.code };
  }
}

const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
const tableName = fc.tuple(fc.option(ident, { nil: undefined }), ident).map(([s, t]) => (s ? `${s}.${t}` : t));

const source = fc.oneof(
  fc.record({
    kafka: fc.oneof(
      fc.record({
        brokers: fc.constant(['127.0.0.1:9092']),
        topics: fc.array(fc.stringMatching(/^[a-z.]{1,12}$/), { minLength: 1, maxLength: 3 }),
        groupId: fc.constant('g'),
      }),
      fc.record(
        {
          brokers: fc.constant(['k1:9092', 'k2:9092']),
          topicPattern: fc.constantFrom('^shop\\.public\\..*', 'orders|items'),
          groupId: fc.constant('g'),
          clientId: fc.constant('c'),
          sessionTimeout: fc.integer({ min: 1000, max: 300_000 }),
        },
        { requiredKeys: ['brokers', 'topicPattern', 'groupId'] },
      ),
    ),
  }),
  fc.record({
    postgres: fc.record(
      {
        url: fc.constant('postgres://127.0.0.1/shop'),
        publication: ident,
        slot: ident,
        snapshot: fc.constantFrom('initial', 'never'),
        snapshotChunkRows: fc.integer({ min: 1, max: 1e6 }),
        statusIntervalMs: fc.integer({ min: 100, max: 600_000 }),
        readCoalesceMs: fc.integer({ min: 0, max: 100 }),
      },
      { requiredKeys: ['url'] },
    ),
  }),
);
const sink = fc.oneof(
  fc.record({ postgres: fc.record({ url: fc.constant('${DB}'), schema: ident }, { requiredKeys: ['url'] }) }),
  fc.record({ mysql: fc.record({ url: fc.constant('mysql://root@127.0.0.1:3306/service') }) }),
  fc.record({
    kafka: fc.record(
      { brokers: fc.constant(['127.0.0.1:9092']), topicPrefix: fc.constant('svc'), schemas: fc.boolean() },
      { requiredKeys: ['brokers', 'topicPrefix'] },
    ),
  }),
);

/** One table mapping whose rules hold: distinct targets, a key that is a plain mapped column. */
const table = fc
  .record({
    from: tableName,
    to: fc.option(tableName, { nil: undefined }),
    cols: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), { minLength: 1, maxLength: 5 }), // no _, so no target (t_x, c_x, e_x) is also a source name
    kinds: fc.array(fc.constantFrom('rename', 'drop', 'coerce', 'expr', 'same'), { minLength: 5, maxLength: 5 }),
    unmapped: fc.option(fc.constantFrom('keep', 'drop'), { nil: undefined }),
    computed: fc.boolean(),
    where: fc.option(fc.constantFrom('after.active = true', "op != 'r'", 'after.n > 3 and after.n < 10'), { nil: undefined }),
    truncate: fc.option(fc.boolean(), { nil: undefined }),
    conflict: fc.option(fc.constantFrom('source-wins', 'dead-letter', { newerWins: 'updated_at' }), { nil: undefined }),
  })
  .map((t) => {
    const columns: Obj = {};
    let key: string | undefined;
    t.cols.forEach((c, i) => {
      const kind = t.kinds[i]!;
      if (kind === 'rename') columns[c] = `t_${c}`;
      else if (kind === 'drop') columns[c] = null;
      else if (kind === 'coerce') columns[c] = { to: `c_${c}`, type: 'text' };
      else if (kind === 'expr') columns[c] = { to: `e_${c}`, expr: 'value / 100.0' };
      else columns[c] = c;
      if (key === undefined && (kind === 'rename' || kind === 'same' || kind === 'coerce'))
        key = kind === 'rename' ? `t_${c}` : kind === 'coerce' ? `c_${c}` : c;
    });
    const out: Obj = { from: t.from, columns };
    if (t.to !== undefined) out.to = t.to;
    if (key !== undefined) out.key = [key];
    if (t.unmapped !== undefined) out.unmapped = t.unmapped;
    if (t.computed) out.computed = { synced_at: 'now()' };
    if (t.where !== undefined) out.where = t.where;
    if (t.truncate !== undefined) out.truncate = t.truncate;
    if (t.conflict !== undefined) out.conflict = t.conflict;
    return out;
  });

const validConfig = fc
  .record({
    source,
    sink,
    tables: fc.uniqueArray(table, { minLength: 1, maxLength: 3, selector: (t) => t.from }),
    batch: fc.option(fc.record({ maxEvents: fc.integer({ min: 1, max: 100_000 }), maxWaitMs: fc.integer({ min: 0, max: 60_000 }) }, { requiredKeys: [] }), {
      nil: undefined,
    }),
    verify: fc.option(fc.record({ chunkRows: fc.integer({ min: 10, max: 1e7 }), recheckAfterMs: fc.integer({ min: 0, max: 600_000 }) }, { requiredKeys: [] }), {
      nil: undefined,
    }),
    offsets: fc.option(fc.record({ table: tableName }), { nil: undefined }),
  })
  .map((c) => {
    const out: Obj = { source: c.source, sink: c.sink, tables: c.tables };
    if (c.batch) out.batch = c.batch;
    if (c.verify) out.verify = c.verify;
    if (c.offsets) out.offsets = c.offsets;
    return out;
  });

/** The documented defaults (schema.ts) applied by hand; compared as a subset so new defaulted fields do not break it. */
function withDefaults(cfg: Obj): Obj {
  const o = (v: unknown): Obj => (v ?? {}) as Obj;
  const src = o(cfg.source);
  const source = src.kafka
    ? { kafka: { clientId: 'ficus-cdc', ...o(src.kafka) } }
    : { postgres: { publication: 'ficus', slot: 'ficus', snapshot: 'initial', snapshotChunkRows: 10_000, statusIntervalMs: 10_000, readCoalesceMs: 1, ...o(src.postgres) } };
  const snk = o(cfg.sink);
  const sink = snk.postgres
    ? { postgres: { schema: 'public', ...o(snk.postgres), url: 'postgres://127.0.0.1/service' } }
    : snk.kafka
      ? { kafka: { clientId: 'ficus-cdc', schemas: true, ...o(snk.kafka) } }
      : snk;
  return {
    source,
    sink,
    tables: (cfg.tables as Obj[]).map((t) => ({ columns: {}, unmapped: 'keep', computed: {}, truncate: false, ...t })),
    deadLetter: { table: 'ficus_dead_letters' },
    offsets: { table: 'ficus_offsets', ...o(cfg.offsets) },
    batch: { maxEvents: 1000, maxWaitMs: 200, ...o(cfg.batch) },
    verify: { chunkRows: 10_000, recheckAfterMs: 2000, ...o(cfg.verify) },
  };
}

function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [at];
  const kids = Array.isArray(v) ? v.map((x, i) => paths(x, [...at, i])) : Object.entries(v).map(([k, x]) => paths(x, [...at, k]));
  return [at, ...kids.flat()];
}
function replaced(v: unknown, path: readonly (string | number)[], junk: unknown): unknown {
  if (path.length === 0) return junk;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as Obj) }) as Obj;
  const [head, ...rest] = path;
  copy[head as string] = replaced(copy[head as string], rest, junk);
  return copy;
}

const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '',
    'a.b.c',
    '1bad',
    'x; drop table y',
    '(select 1)',
    'after.x = = 1',
    '([',
    'now(',
    'value +',
    'mysql://',
    'http://x',
    -1,
    0,
    1e9,
    true,
    null,
    [],
    {},
    '${UNSET}',
    '__proto__',
  ),
);

describe('parseCdcConfig', () => {
  it('valid mappings from arbitraries load, frozen, with the documented defaults filled in (YAML and JSON)', () => {
    fc.assert(
      fc.property(validConfig, fc.boolean(), (cfg, asYaml) => {
        const o = load(asYaml ? stringify(cfg) : JSON.stringify(cfg));
        if (!o.ok) throw new Error(`refused a valid config: ${o.code}\n${stringify(cfg)}`);
        const got = JSON.parse(JSON.stringify(o.cfg)) as Obj;
        expect(Object.keys(got).sort()).toEqual(Object.keys(withDefaults(cfg)).sort());
        expect(got).toMatchObject(withDefaults(cfg));
      }),
      RUN,
    );
  });

  it('a valid mapping with one member replaced by junk loads or is refused with a code naming the file', () => {
    let refused = 0;
    fc.assert(
      fc.property(validConfig, fc.nat(), junk, fc.boolean(), (cfg, which, bad, asYaml) => {
        const all = paths(cfg);
        const broken = replaced(cfg, all[which % all.length]!, bad);
        if (!load(asYaml ? stringify(broken) : (JSON.stringify(broken) ?? '')).ok) refused++;
      }),
      RUN,
    );
    expect(refused).toBeGreaterThan(RUN.numRuns / 4);
  });

  it('a column, key or computed name of __proto__ is refused or kept as a member, never lost', () => {
    const base = 'source: { kafka: { brokers: [b:1], topics: [t], groupId: g } }\nsink: { postgres: { url: "${DB}" } }\n';
    for (const t of ['columns: { __proto__: x }', 'columns: { a: __proto__ }', 'computed: { __proto__: "now()" }', 'key: [__proto__]']) {
      const o = load(`${base}tables:\n  - { from: a, ${t} }\n`);
      if (o.ok) {
        const mapping = o.cfg.tables[0]!;
        const named = [...Object.keys(mapping.columns), ...Object.values(mapping.columns), ...Object.keys(mapping.computed), ...(mapping.key ?? [])];
        expect(named, t).toContain('__proto__');
      }
    }
  });

  it('random documents and random text are refused with a code (or load), never a crash', () => {
    const piece = fc.constantFrom(
      'source:',
      '  kafka: { brokers: [b:1], topics: [t], groupId: g }',
      'sink: { postgres: { url: "${DB}" } }',
      'tables:',
      '  - from: a',
      '    columns: { x: y }',
      '    where: "after.x ="',
      '    computed: { c: "now()" }',
      '&a ',
      '*a',
      '!!set {a}',
      ': ',
      '- ',
      '{',
      ']',
      '\n',
      '"',
      '${NOPE}',
      'batch: { maxEvents: .inf }',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
          fc.array(piece, { maxLength: 20 }).map((p) => p.join('\n')),
        ),
        (text) => {
          load(text);
        },
      ),
      RUN,
    );
  });
});
