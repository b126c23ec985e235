// `ficus.analyze.yaml` as `ficus analyze --config` loads it (core's loadConfigFile with
// AnalyzeConfigSchema), on random input with a fixed seed: valid configs round-trip exactly
// (the schema has no defaults), near-valid and random ones load or are refused with a
// CORE_CONFIG_* FicusError naming the file; a missing or unreadable file has its own code.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FicusError, loadConfigFile, parseConfigText } from '../core/index.js';
import { AnalyzeConfigSchema } from './config.js';
import { SIGNALS } from './model.js';

const RUN = { seed: 0xa7a1, numRuns: 200 } as const;
const FILE = 'repo/ficus.analyze.yaml';

function load(text: string): { ok: true; value: unknown } | { ok: false; code: string } {
  try {
    const value = parseConfigText(text, FILE, AnalyzeConfigSchema, { env: { SEED: '7' }, kind: 'analyze config' });
    expect(Value.Check(AnalyzeConfigSchema, value)).toBe(true);
    expect(Object.isFrozen(value)).toBe(true);
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof FicusError)) throw err;
    expect(err.code).toMatch(/^CORE_CONFIG_(SYNTAX|INVALID|ENV)$/);
    expect(err.exitCode).toBe(2);
    expect(err.message.startsWith(`${FILE}:`) || err.message.startsWith(`${FILE} `)).toBe(true);
    return { ok: false, code: err.code };
  }
}

const glob = fc.constantFrom('src/**/*.ts', 'lib/orders/**', '!**/*.test.ts', 'app/*.js');
const valid = fc.record(
  {
    tsconfig: fc.constantFrom('tsconfig.json', 'app/tsconfig.build.json'),
    include: fc.array(glob, { maxLength: 3 }),
    exclude: fc.array(glob, { maxLength: 3 }),
    signals: fc.subarray([...SIGNALS], { minLength: 1 }),
    weights: fc.record(Object.fromEntries(SIGNALS.map((s) => [s, fc.double({ min: 0, max: 10, noNaN: true })])), { requiredKeys: [] }),
    resolution: fc.double({ min: 0.01, max: 5, noNaN: true }),
    contexts: fc.integer({ min: 1, max: 50 }),
    seed: fc.integer(),
    runs: fc.integer({ min: 1, max: 100 }),
    pin: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,10}$/), fc.array(glob, { minLength: 1, maxLength: 2 }), { maxKeys: 3 }),
    keepTogether: fc.array(fc.array(glob, { minLength: 2, maxLength: 3 }), { maxLength: 2 }),
    keepApart: fc.array(fc.tuple(glob, glob), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('', 'louvain', 'static', 0, -1, 0.5, 101, true, null, [], {}, [['a']], ['a', 'b', 'c'], '.nan', '${SEED}'),
);

describe('analyze config', () => {
  it('valid configs load unchanged, from YAML and from JSON', () => {
    fc.assert(
      fc.property(valid, fc.boolean(), (cfg, asYaml) => {
        const input = JSON.parse(JSON.stringify(cfg)) as unknown;
        expect(load(asYaml ? stringify(input) : JSON.stringify(input))).toEqual({ ok: true, value: input });
      }),
      RUN,
    );
  });

  it('a valid config with one field replaced by junk, or random JSON, loads or is refused naming the file', () => {
    const keys = Object.keys(AnalyzeConfigSchema.properties);
    let refused = 0;
    fc.assert(
      fc.property(valid, fc.constantFrom(...keys, 'unknownField'), junk, fc.boolean(), fc.jsonValue({ maxDepth: 3 }), (cfg, key, bad, asYaml, random) => {
        const broken = { ...cfg, [key]: bad };
        if (!load(asYaml ? stringify(broken) : JSON.stringify(broken)).ok) refused++;
        load(JSON.stringify(random) ?? '');
      }),
      RUN,
    );
    expect(refused).toBeGreaterThan(RUN.numRuns / 2);
  });

  it('the seed may come from the environment; the file itself is reported missing or unreadable by code', async () => {
    expect(load('seed: ${SEED}\n')).toEqual({ ok: true, value: { seed: 7 } });
    const dir = await mkdtemp(join(tmpdir(), 'ficus-analyze-cfg-'));
    await writeFile(join(dir, 'ok.yaml'), 'runs: 3\n');
    await expect(loadConfigFile(join(dir, 'ok.yaml'), AnalyzeConfigSchema)).resolves.toEqual({ runs: 3 });
    await expect(loadConfigFile(join(dir, 'missing.yaml'), AnalyzeConfigSchema)).rejects.toMatchObject({ code: 'CORE_CONFIG_NOT_FOUND', exitCode: 2 });
    await expect(loadConfigFile(dir, AnalyzeConfigSchema)).rejects.toMatchObject({ code: 'CORE_CONFIG_UNREADABLE', exitCode: 2 });
  });
});
