// Bad config input, tried systematically with a fixed seed: random JSON/YAML values and text,
// YAML's own hazards (aliases, tags, non-finite numbers, directives), random environment values
// and random valid configs. Every outcome is a frozen, plain-JSON config that satisfies the schema,
// or a FicusError with a CORE_CONFIG_* code and exit code 2 whose message starts with the file.
import { isDeepStrictEqual } from 'node:util';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FicusError } from '../errors.js';
import { parseConfigText } from './load.js';

const RUN = { seed: 0xc0f16, numRuns: 200 } as const;
const FILE = 'conf/g.yaml';

const Schema = Type.Object(
  {
    listen: Type.Object(
      { host: Type.String({ default: '127.0.0.1' }), port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }) },
      { additionalProperties: false, default: {} },
    ),
    token: Type.Optional(Type.String()),
    ratio: Type.Optional(Type.Number({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 0 })),
    tags: Type.Optional(Type.Record(Type.String(), Type.String())),
    routes: Type.Array(
      Type.Object(
        { id: Type.String({ minLength: 1 }), mode: Type.Union([Type.Literal('monolith'), Type.Literal('shadow')], { default: 'monolith' }) },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
  },
  { additionalProperties: false },
);

type Outcome = { ok: true; value: unknown } | { ok: false; code: string };

function deepFrozen(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Object.isFrozen(v) && Object.values(v).every(deepFrozen);
}

/** Parses; asserts the shape of either outcome. */
function load(text: string, env?: Record<string, string | undefined>): Outcome {
  let value: unknown;
  try {
    value = parseConfigText(text, FILE, Schema, env ? { env } : {});
  } catch (err) {
    if (!(err instanceof FicusError)) throw err;
    expect(err.code).toMatch(/^CORE_CONFIG_(SYNTAX|INVALID|ENV)$/);
    expect(err.exitCode).toBe(2);
    expect(err.message.startsWith(`${FILE}:`) || err.message.startsWith(`${FILE} `)).toBe(true);
    expect(err.details.file).toBe(FILE);
    return { ok: false, code: err.code };
  }
  expect(deepFrozen(value)).toBe(true);
  expect(Value.Check(Schema, value)).toBe(true);
  // Plain JSON: no NaN/Infinity, typed arrays, Sets, Maps, Dates or cycles got through.
  expect(isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)).toBe(true);
  return { ok: true, value };
}

const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', '0', '-1', 'true', 'null', '${X}', '\u0000', 'a: b', '- x', '{', '#'));
const routeLike = fc.oneof(
  fc.record({ id: fc.string({ maxLength: 6 }), mode: fc.constantFrom('monolith', 'shadow', 'canary') }, { requiredKeys: ['id'] }),
  junk,
);
const nearValid = fc.record(
  {
    listen: fc.oneof(
      fc.record({ host: fc.oneof(fc.constant('0.0.0.0'), junk), port: fc.oneof(fc.integer({ min: -1, max: 70000 }), junk) }, { requiredKeys: [] }),
      junk,
    ),
    token: fc.oneof(fc.string(), junk),
    ratio: fc.oneof(fc.double(), junk),
    limit: fc.oneof(fc.integer(), junk),
    tags: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }), junk),
    routes: fc.oneof(fc.array(routeLike, { maxLength: 3 }), junk),
    extra: junk,
  },
  { requiredKeys: [] },
);

describe('parseConfigText: random input', () => {
  it('any JSON value, written as JSON or as YAML, loads or is refused with a CORE_CONFIG code naming the file', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(fc.oneof(nearValid, fc.jsonValue({ maxDepth: 3 })), fc.boolean(), (v, asYaml) => {
        const text = asYaml ? stringify(v) : (JSON.stringify(v) ?? '');
        const o = load(text);
        outcomes.add(o.ok ? 'ok' : o.code);
      }),
      RUN,
    );
    expect(outcomes).toContain('ok');
    expect(outcomes).toContain('CORE_CONFIG_INVALID');
  });

  it('random YAML-ish text loads or is refused, never a raw yaml or ajv error', () => {
    const piece = fc.constantFrom(
      'listen:',
      'routes:',
      '  - id: a',
      'token: x',
      'port: 1',
      ': ',
      '- ',
      '{',
      '}',
      '[',
      ']',
      ',',
      '&a ',
      '*a',
      '!!str ',
      '!!binary ',
      '? ',
      '|',
      '>',
      '#',
      '"',
      "'",
      '\t',
      ' ',
      '\n',
      '%YAML 1.1\n',
      '---\n',
      '...\n',
      '<<: ',
      '${A}',
      '$${',
      '\\',
      'ÿ',
      '\u2028',
      '.nan',
      '.inf',
      '0x10',
      '1e999',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 24 }), (parts) => {
        load(parts.join(''), { A: 'v' });
      }),
      RUN,
    );
  });
});

describe("parseConfigText: YAML's hazards", () => {
  const hazards: readonly [string, string][] = [
    [
      'alias bomb',
      'tags: &a {a: x, b: x, c: x, d: x}\nroutes: [&b [*a, *a, *a, *a, *a, *a, *a, *a], &c [*b, *b, *b, *b, *b, *b, *b, *b], [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]]\n',
    ],
    ['unresolved alias', 'token: *nowhere\n'],
    ['alias to its own anchor', 'tags: &x\n  a: *x\n'],
    ['binary tag', 'token: !!binary aGVsbG8=\n'],
    ['set tag', 'tags: !!set {a, b}\n'],
    ['omap tag', 'tags: !!omap [a: x]\n'],
    ['timestamp tag', 'token: !!timestamp 2001-12-14\n'],
    ['not-a-number', 'ratio: .nan\n'],
    ['infinity', 'ratio: .inf\n'],
    ['overflowing integer', 'limit: 1e400\n'],
    ['negative infinity', 'limit: -.inf\n'],
    ['YAML 1.1 merge key', '%YAML 1.1\n---\nlisten: &l {host: a}\nroutes: []\ntags: {<<: {a: b}}\n'],
    ['two documents', 'token: a\n---\ntoken: b\n'],
    ['tab indentation', 'listen:\n\thost: a\n'],
    ['duplicate keys', 'token: a\ntoken: b\n'],
    ['__proto__ key', 'tags: {__proto__: x}\n'],
    ['complex key', 'tags: {? [a, b] : c}\n'],
    ['NUL in a key', 'tags: {"a\\u0000": b}\n'],
  ];
  for (const [name, text] of hazards) {
    it(`${name}: refused with a code, or loaded as plain JSON`, () => {
      load(text);
    });
  }

  it('never accepts a non-finite number, however it is written (YAML, overflow, or ${ENV} coerced)', () => {
    for (const text of ['ratio: .nan\n', 'ratio: .Inf\n', 'limit: 1e400\n', 'limit: -1e999\n', 'ratio: "${R}"\n', 'limit: ${R}\n']) {
      for (const R of ['Infinity', '-Infinity', 'NaN', '1e400']) {
        const o = load(text, { R });
        if (o.ok) expect(Object.values(o.value as object).every((v) => typeof v !== 'number' || Number.isFinite(v))).toBe(true);
        if (text.includes('.nan') || text.includes('Inf') || text.includes('1e')) expect(o.ok, `${text} R=${R}`).toBe(false);
      }
    }
  });
});

describe('parseConfigText: ${ENV} substitution', () => {
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);
  it('an environment value becomes the string exactly, whatever it holds, and never changes the structure', () => {
    fc.assert(
      fc.property(name, fc.string({ minLength: 1, maxLength: 40 }), (n, v) => {
        const o = load(`token: "pre-\${${n}}-post"\nroutes: []\n`, { [n]: v });
        expect(o).toEqual({ ok: true, value: { token: `pre-${v}-post`, routes: [], listen: { host: '127.0.0.1', port: 8080 } } });
      }),
      RUN,
    );
  });

  it('an unset variable without a default is CORE_CONFIG_ENV naming it and its line; with a default the default is used', () => {
    fc.assert(
      fc.property(name, fc.stringMatching(/^[^}\n"\\]{0,12}$/), fc.nat({ max: 5 }), (n, fallback, blank) => {
        const pad = '\n'.repeat(blank);
        let err: unknown;
        try {
          parseConfigText(`${pad}token: \${${n}}\n`, FILE, Schema, { env: {} });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(FicusError);
        expect((err as FicusError).code).toBe('CORE_CONFIG_ENV');
        expect((err as FicusError).message).toContain(`${FILE}:${blank + 1}:`);
        expect((err as FicusError).message).toContain(n);
        expect(load(`token: "\${${n}:-${fallback}}"\n`, {})).toMatchObject({ ok: true, value: { token: fallback } });
        expect(load(`token: "$\${${n}}"\n`, { [n]: 'x' })).toMatchObject({ ok: true, value: { token: `\${${n}}` } });
      }),
      RUN,
    );
  });

  it('a numeric field takes a numeric environment value, and refuses another', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.string({ maxLength: 8 })), (p) => {
        const o = load('listen: { port: "${P}" }\n', { P: p });
        if (/^\d+$/.test(p) && Number(p) >= 1 && Number(p) <= 65535) expect(o).toMatchObject({ ok: true, value: { listen: { port: Number(p) } } });
        else if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(p)) expect(o.ok).toBe(false);
      }),
      RUN,
    );
  });
});

describe('parseConfigText: valid configs round-trip', () => {
  const route = fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), mode: fc.constantFrom('monolith', 'shadow') }, { requiredKeys: ['id'] });
  const valid = fc.record(
    {
      listen: fc.record({ host: fc.string({ maxLength: 10 }), port: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: [] }),
      token: fc.string({ maxLength: 20 }),
      ratio: fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true }),
      limit: fc.integer({ min: 0, max: 2 ** 40 }),
      tags: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 4 }),
      routes: fc.array(route, { maxLength: 4 }),
    },
    { requiredKeys: [] },
  );

  it('loads with the schema defaults filled in, from YAML and from JSON', () => {
    fc.assert(
      fc.property(valid, fc.boolean(), (cfg, asYaml) => {
        const input = JSON.parse(JSON.stringify(cfg)) as typeof cfg;
        const expected = {
          ...input,
          listen: { host: '127.0.0.1', port: 8080, ...input.listen },
          routes: (input.routes ?? []).map((r) => ({ mode: 'monolith', ...r })),
        };
        const o = load(asYaml ? stringify(input) : JSON.stringify(input));
        expect(o).toEqual({ ok: true, value: expected });
      }),
      RUN,
    );
  });

  it('an invalid value in route k is reported at its own line and field', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('monolith', 'shadow'), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom('canary', 'MONOLITH', '', '1'),
        (modes, k, bad) => {
          const at = k % modes.length;
          const lines = modes.map((m, i) => `  - { id: r${i}, mode: "${i === at ? bad : m}" }`);
          let err: FicusError | undefined;
          try {
            parseConfigText(`routes:\n${lines.join('\n')}\n`, FILE, Schema);
          } catch (e) {
            err = e as FicusError;
          }
          expect(err?.code).toBe('CORE_CONFIG_INVALID');
          expect(err?.message).toMatch(new RegExp(`^conf/g\\.yaml:${at + 2}:\\d+: routes\\[${at}\\]\\.mode `));
        },
      ),
      RUN,
    );
  });
});
