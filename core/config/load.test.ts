import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { FicusError } from '../errors.js';
import { loadConfigFile, parseConfigText } from './load.js';

const Schema = Type.Object(
  {
    listen: Type.Object(
      { host: Type.String({ default: '127.0.0.1' }), port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }) },
      { additionalProperties: false, default: {} },
    ),
    token: Type.Optional(Type.String()),
    routes: Type.Array(
      Type.Object(
        { id: Type.String(), mode: Type.Union([Type.Literal('monolith'), Type.Literal('shadow')], { default: 'monolith' }) },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
  },
  { additionalProperties: false },
);

function fail(fn: () => unknown): FicusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FicusError) return err;
    throw err;
  }
  throw new Error('expected a FicusError');
}

describe('parseConfigText', () => {
  it('fills defaults from the schema and freezes the result', () => {
    const cfg = parseConfigText('routes:\n  - id: products\n', 'g.yaml', Schema);
    expect(cfg.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(cfg.routes[0]?.mode).toBe('monolith');
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.routes[0])).toBe(true);
  });

  it('reads JSON as well as YAML', () => {
    const cfg = parseConfigText('{"listen": {"port": 9000}, "routes": []}', 'g.json', Schema);
    expect(cfg.listen.port).toBe(9000);
  });

  it('names file, line:column and field path for an invalid enum value', () => {
    const err = fail(() => parseConfigText('routes:\n  - id: a\n  - id: b\n    mode: canery\n', 'g.yaml', Schema));
    expect(err.code).toBe('CORE_CONFIG_INVALID');
    expect(err.message).toContain('g.yaml:4:11');
    expect(err.message).toContain('routes[1].mode');
    expect(err.message).toContain('"shadow"');
  });

  it('points at an unknown key and lists the valid ones', () => {
    const err = fail(() => parseConfigText('listen:\n  host: 0.0.0.0\n  prot: 80\n', 'g.yaml', Schema));
    expect(err.code).toBe('CORE_CONFIG_INVALID');
    expect(err.message).toContain('g.yaml:3:3');
    expect(err.message).toContain('prot');
    expect(err.message).toContain('port');
  });

  it('reports YAML syntax errors with their position', () => {
    const err = fail(() => parseConfigText('listen: {host: a\nroutes: []\n', 'g.yaml', Schema));
    expect(err.code).toBe('CORE_CONFIG_SYNTAX');
    expect(err.message).toMatch(/^g\.yaml:\d+:\d+: /);
  });

  it('rejects duplicate keys', () => {
    const err = fail(() => parseConfigText('token: a\ntoken: b\n', 'g.yaml', Schema));
    expect(err.code).toBe('CORE_CONFIG_SYNTAX');
  });

  it('substitutes ${ENV} in values, with defaults, and coerces to the schema type', () => {
    const text = 'listen: { port: "${PORT}", host: "${HOST:-localhost}" }\ntoken: "Bearer ${TOKEN}"\nroutes: [{ id: "$${literal}" }]\n';
    const cfg = parseConfigText(text, 'g.yaml', Schema, { env: { PORT: '9901', TOKEN: 's3cret' } });
    expect(cfg.listen).toEqual({ port: 9901, host: 'localhost' });
    expect(cfg.token).toBe('Bearer s3cret');
    expect(cfg.routes[0]?.id).toBe('${literal}');
  });

  it('takes unquoted references inside flow mappings and lists, as the README writes them', () => {
    const text = 'listen: { port: ${PORT}, host: ${HOST:-a,b[c]} }\ntoken: ${TOKEN}\nroutes: [{ id: $${literal}, mode: ${MODE} }, { id: "${ID:-x}" }]\n';
    const cfg = parseConfigText(text, 'g.yaml', Schema, { env: { PORT: '9901', TOKEN: 's3cret', MODE: 'shadow' } });
    expect(cfg.listen).toEqual({ port: 9901, host: 'a,b[c]' });
    expect(cfg.token).toBe('s3cret');
    expect(cfg.routes).toEqual([
      { id: '${literal}', mode: 'shadow' },
      { id: 'x', mode: 'monolith' },
    ]);
    // Positions are those of the text as written.
    const err = fail(() => parseConfigText('routes: []\nlisten: { host: x, port: ${NOPE} }\n', 'g.yaml', Schema, { env: {} }));
    expect(err.code).toBe('CORE_CONFIG_ENV');
    expect(err.message).toContain('g.yaml:2:26');
  });

  it('keeps private-use characters a file holds as written', () => {
    const cfg = parseConfigText('token: "\uE000${T}\uE001"\n', 'g.yaml', Schema, { env: { T: 'x' } });
    expect(cfg.token).toBe('\uE000x\uE001');
  });

  it('refuses an unset variable without a default, naming it and where it is used', () => {
    const err = fail(() => parseConfigText('routes: []\ntoken: ${FICUS_ADMIN_TOKEN}\n', 'g.yaml', Schema, { env: {} }));
    expect(err.code).toBe('CORE_CONFIG_ENV');
    expect(err.message).toContain('g.yaml:2:8');
    expect(err.message).toContain('FICUS_ADMIN_TOKEN');
  });

  it('never lets an environment value change the structure', () => {
    const cfg = parseConfigText('token: ${T}\n', 'g.yaml', Schema, { env: { T: 'a\nroutes: [{id: x}]' } });
    expect(cfg.token).toBe('a\nroutes: [{id: x}]');
    expect(cfg.routes).toEqual([]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(fail(() => parseConfigText('- a\n- b\n', 'g.yaml', Schema)).code).toBe('CORE_CONFIG_INVALID');
  });
});

describe('loadConfigFile', () => {
  it('loads a file from disk and reports a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ficus-cfg-'));
    const file = join(dir, 'ok.yaml');
    await writeFile(file, 'listen: { port: 1234 }\n');
    expect((await loadConfigFile(file, Schema)).listen.port).toBe(1234);
    await expect(loadConfigFile(join(dir, 'nope.yaml'), Schema)).rejects.toMatchObject({ code: 'CORE_CONFIG_NOT_FOUND' });
  });
});
