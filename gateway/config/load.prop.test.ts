// parseGatewayConfig on random input, with a fixed seed: valid configs generated from
// arbitraries load frozen with every documented default filled in; the same configs with one
// member replaced by junk, random documents and random text load or are refused with a FicusError
// whose code is CORE_CONFIG_* (or GW_*) and whose message starts with the file — never a
// TypeError, nor a raw yaml or ajv error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FicusError } from '../../core/index.js';
import { parseGatewayConfig, type GatewayConfig } from './load.js';

const RUN = { seed: 0x6a7e, numRuns: 150 } as const;
const FILE = 'etc/ficus.gateway.yaml';

type Obj = Record<string, unknown>;

function deepFrozen(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Object.isFrozen(v) && Object.values(v).every(deepFrozen);
}

function load(text: string): { ok: true; cfg: GatewayConfig } | { ok: false; code: string } {
  try {
    const cfg = parseGatewayConfig(text, FILE, { T: 'a-token-of-sixteen-chars' });
    expect(deepFrozen(cfg)).toBe(true);
    return { ok: true, cfg };
  } catch (err) {
    if (!(err instanceof FicusError)) throw err;
    expect(err.code).toMatch(/^(CORE_CONFIG_[A-Z]+|GW_[A-Z_]+)$/);
    expect(err.exitCode).toBe(2);
    expect(err.message.startsWith(`${FILE}:`) || err.message.startsWith(`${FILE} `)).toBe(true);
    return { ok: false, code: err.code };
  }
}

const name = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/);
const upstream = fc.record(
  {
    url: fc.integer({ min: 1, max: 65535 }).map((p) => `http://127.0.0.1:${p}`),
    timeoutMs: fc.integer({ min: 1, max: 3_600_000 }),
    connections: fc.integer({ min: 1, max: 4096 }),
    hostRewrite: fc.boolean(),
  },
  { requiredKeys: ['url'] },
);
const jsonPathArb = fc.constantFrom('$.generatedAt', '$.items[*].updatedAt', "$['x y']", '$..id', '$[0]', 'headers.date');
const shadow = fc.record(
  {
    sample: fc.integer({ min: 0, max: 100 }),
    unsafeMethods: fc.constantFrom('never', 'always'),
    maxBodyBytes: fc.integer({ min: 0, max: 1e7 }),
    timeoutMs: fc.integer({ min: 1, max: 60_000 }),
    compare: fc.record(
      {
        ignore: fc.array(jsonPathArb, { maxLength: 3 }),
        unorderedArrays: fc.array(fc.constantFrom('$.items', '$..tags'), { maxLength: 2 }),
        numericTolerance: fc.double({ min: 0, max: 1, noNaN: true }),
        headers: fc.array(fc.constantFrom('content-type', 'etag'), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
    secondarySample: fc.integer({ min: 0, max: 100 }),
    redact: fc.array(fc.constantFrom('$.customer.email', 'x-api-key', '$..iban'), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const rollout = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }).chain((steps) =>
  fc.record(
    {
      steps: fc.constant([...steps].sort((a, b) => a - b)),
      interval: fc.constantFrom('30s', '5m', 1000),
      minRequests: fc.integer({ min: 1, max: 1000 }),
      gates: fc.record({ maxErrorRate: fc.constantFrom('1%', 0.5), maxP99Ms: fc.integer({ min: 0, max: 5000 }) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['steps'] },
  ),
);

/** A valid gateway config: its upstream names, routes naming them, everything optional sometimes left out. */
const validConfig = fc
  .record({
    names: fc.uniqueArray(
      name.filter((n) => n !== 'monolith'),
      { minLength: 1, maxLength: 3 },
    ),
    monolithUp: upstream,
    ups: fc.array(upstream, { minLength: 3, maxLength: 3 }),
    routes: fc.uniqueArray(
      fc.record({
        id: name,
        path: fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 3 }).map((s) => `/${s.join('/')}`),
        exact: fc.option(fc.boolean(), { nil: undefined }),
        methods: fc.option(fc.subarray(['GET', 'POST', 'DELETE'], { minLength: 1 }), { nil: undefined }),
        service: fc.nat(),
        mode: fc.option(fc.constantFrom('monolith', 'shadow', 'canary', 'service'), { nil: undefined }),
        weight: fc.integer({ min: 0, max: 100 }),
        cohort: fc.option(fc.constantFrom({ header: 'x-user' }, { cookie: 'sid' }, { ip: true }), { nil: undefined }),
        shadow: fc.option(shadow, { nil: undefined }),
        fallback: fc.option(fc.boolean(), { nil: undefined }),
        rollout: fc.option(rollout, { nil: undefined }),
      }),
      { maxLength: 4, selector: (r) => r.id },
    ),
    listen: fc.option(fc.record({ host: fc.constantFrom('127.0.0.1', '0.0.0.0'), port: fc.integer({ min: 0, max: 65535 }) }, { requiredKeys: [] }), {
      nil: undefined,
    }),
    admin: fc.option(fc.record({ port: fc.integer({ min: 0, max: 65535 }), token: fc.constant('${T}') }, { requiredKeys: [] }), { nil: undefined }),
    diffs: fc.option(fc.record({ store: fc.constantFrom('ndjson', 'none'), path: fc.constantFrom('./d', '/var/ficus') }, { requiredKeys: [] }), {
      nil: undefined,
    }),
    limits: fc.option(
      fc.record(
        {
          maxHeaderBytes: fc.integer({ min: 1024, max: 65536 }),
          maxBodyBytes: fc.integer({ min: 0, max: 1e9 }),
          shadowInFlight: fc.integer({ min: 1, max: 1024 }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
    accessLog: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((g) => {
    const upstreams: Obj = { monolith: g.monolithUp };
    g.names.forEach((n, i) => (upstreams[n] = g.ups[i]));
    const routes = g.routes.map((r) => {
      const mode = r.rollout ? (r.mode === 'shadow' ? 'shadow' : 'canary') : r.mode;
      const out: Obj = {
        id: r.id,
        match: { path: r.path, ...(r.exact !== undefined && { exact: r.exact }), ...(r.methods && { methods: r.methods }) },
        service: g.names[r.service % g.names.length],
      };
      if (mode !== undefined) out.mode = mode;
      if (mode === 'canary') out.weight = r.weight;
      if (r.cohort) out.cohort = r.cohort;
      if (r.shadow) out.shadow = r.shadow;
      if (r.fallback !== undefined) out.fallback = r.fallback;
      if (r.rollout) out.rollout = r.rollout;
      return out;
    });
    const cfg: Obj = { upstreams, routes };
    for (const k of ['listen', 'admin', 'diffs', 'limits', 'accessLog'] as const) if (g[k] !== undefined) cfg[k] = g[k];
    return cfg;
  });

/** The documented defaults (schema.ts), applied by hand to a valid input. */
function withDefaults(cfg: Obj): Obj {
  const o = <T extends Obj>(v: unknown): T => (v ?? {}) as T;
  const upstreams = Object.fromEntries(
    Object.entries(o(cfg.upstreams)).map(([k, u]) => [k, { timeoutMs: 30_000, connections: 256, hostRewrite: false, ...o(u) }]),
  );
  const routes = (cfg.routes as Obj[]).map((r) => {
    const out: Obj = { fallback: true, ...r };
    if (r.shadow) {
      const s = o(r.shadow);
      out.shadow = {
        sample: 100,
        unsafeMethods: 'never',
        maxBodyBytes: 1_048_576,
        timeoutMs: 2000,
        secondarySample: 0,
        redact: [],
        ...s,
        compare: { ignore: [], unorderedArrays: [], numericTolerance: 0, headers: ['content-type'], ...o(s.compare) },
      };
    }
    if (r.rollout) {
      const ro = o(r.rollout);
      out.rollout = { interval: '5m', minRequests: 100, ...ro, gates: { ...o(ro.gates) } };
    }
    return out;
  });
  const admin: Obj = { host: '127.0.0.1', port: 9901, ...o(cfg.admin) };
  if (admin.token === '${T}') admin.token = 'a-token-of-sixteen-chars';
  return {
    listen: { host: '127.0.0.1', port: 8080, ...o(cfg.listen) },
    admin,
    monolith: 'monolith',
    upstreams,
    routes,
    diffs: { store: 'ndjson', path: './ficus-diffs', table: 'ficus_diffs', ...o(cfg.diffs) },
    rollouts: { state: './ficus-rollouts.json' },
    accessLog: cfg.accessLog ?? true,
    limits: { maxHeaderBytes: 16_384, maxBodyBytes: 10_485_760, shadowInFlight: 64, shadowTurnMs: 1, ...o(cfg.limits) },
  };
}

/** Every member path of a JSON value. */
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
  fc.constantFrom('', 'nowhere', '/', '$.a[?', '~(', 'http://x', 'ftp://x', -1, 0, 1e12, 101, 3.5, '5x', '1%%', true, null, [], {}, '${UNSET}'),
);

describe('parseGatewayConfig', () => {
  it('valid configs from arbitraries load, frozen, with every documented default filled in (YAML and JSON)', () => {
    fc.assert(
      fc.property(validConfig, fc.boolean(), (cfg, asYaml) => {
        const o = load(asYaml ? stringify(cfg) : JSON.stringify(cfg));
        if (!o.ok) throw new Error(`refused a valid config: ${o.code}\n${stringify(cfg)}`);
        // A subset match, so a default added to the schema later does not break it; the top-level fields are exact.
        const got = JSON.parse(JSON.stringify(o.cfg)) as Obj;
        expect(Object.keys(got).sort()).toEqual(Object.keys(withDefaults(cfg)).sort());
        expect(got).toMatchObject(withDefaults(cfg));
      }),
      RUN,
    );
  });

  it('a valid config with one member replaced by junk loads or is refused with a code naming the file', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(validConfig, fc.nat(), junk, fc.boolean(), (cfg, which, bad, asYaml) => {
        const all = paths(cfg);
        const broken = replaced(cfg, all[which % all.length]!, bad);
        const o = load(asYaml ? stringify(broken) : (JSON.stringify(broken) ?? ''));
        const k = o.ok ? 'ok' : o.code;
        outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
      }),
      RUN,
    );
    expect(outcomes.get('CORE_CONFIG_INVALID') ?? 0).toBeGreaterThan(RUN.numRuns / 4);
  });

  it('random documents and random text are refused with a code (or load), never a crash', () => {
    const piece = fc.constantFrom(
      'upstreams:',
      '  monolith: { url: http://127.0.0.1:1 }',
      'routes:',
      '  - id: a',
      '    match: { path: /a }',
      '    service: monolith',
      'limits: { maxBodyBytes: .inf }',
      '&a ',
      '*a',
      '!!binary x',
      ': ',
      '- ',
      '{',
      ']',
      '\n',
      '  ',
      '"',
      '${T}',
      '${NOPE}',
      '%YAML 1.1\n',
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
