/**
 * `ficus analyze` through the CLI entry, on the bundled sample and on small trees made for the
 * case: the outputs and their schema, the quality bar on the sample (ARI against TRUTH.json),
 * determinism per seed, `--impact`, and bad input (exit codes, codes, nothing half-written).
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTruth, scoreAgainstTruth, type Decomposition } from '../../analyzer/index.js';
import { run } from '../run.js';

const REPO = join(import.meta.dirname, '..', '..');
const SAMPLE = join(REPO, 'samples', 'legacy-shop');

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function ficus(...argv: string[]): Promise<Ran> {
  let out = '';
  let err = '';
  const code = await run(argv, {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: REPO, env: {}, interactive: false },
  });
  return { code, out, err };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ficus-analyze-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function tree(name: string, files: Record<string, string>): Promise<string> {
  const root = join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  return root;
}

const contextMap = (d: Decomposition): Map<string, string> => new Map(d.contexts.flatMap((c) => c.members.map((m) => [m, c.id] as const)));

describe('ficus analyze on samples/legacy-shop', () => {
  let d: Decomposition;
  let outDir: string;
  beforeAll(async () => {
    outDir = join(tmp, 'shop-report');
    const r = await ficus('analyze', SAMPLE, '--out', outDir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    d = JSON.parse(await readFile(join(outDir, 'decomposition.json'), 'utf8')) as Decomposition;
  }, 120_000);

  it('writes the reports and the drafts', async () => {
    expect((await readdir(outDir)).sort()).toEqual(
      ['decomposition.html', 'decomposition.json', 'decomposition.md', 'ficus.cdc.draft.yaml', 'ficus.gateway.draft.yaml'],
    );
    const gateway = parse(await readFile(join(outDir, 'ficus.gateway.draft.yaml'), 'utf8')) as { routes: { mode: string; match: { path: string } }[] };
    expect(gateway.routes.length).toBeGreaterThan(3);
    expect(gateway.routes.every((r) => r.mode === 'shadow')).toBe(true);
    expect(gateway.routes.map((r) => r.match.path)).toContain('/products');
  });

  it('matches the published JSON Schema, with member paths relative to the root', async () => {
    const schema = JSON.parse(await readFile(join(REPO, 'schemas', 'decomposition.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(d), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const members = d.contexts.flatMap((c) => c.members);
    expect(members.every((m) => !m.startsWith('/') && !m.includes('\\'))).toBe(true);
    expect(members).toContain('services/OrderService.ts');
  });

  it('recovers the intended contexts (ARI ≥ 0.9 against TRUTH.json)', async () => {
    const truth = await readTruth(join(SAMPLE, 'TRUTH.json'));
    const score = scoreAgainstTruth(truth, contextMap(d));
    expect(score.files).toBe(d.source.files);
    expect(score.ari).toBeGreaterThanOrEqual(0.9);
  });

  it('finds seams, table ownership, endpoints and an extraction order over every domain context', () => {
    const domains = d.contexts.filter((c) => c.kind === 'domain').map((c) => c.id);
    expect(domains.length).toBeGreaterThanOrEqual(6);
    expect(d.seams.length).toBeGreaterThan(0);
    expect(d.seams.every((s) => s.symbols.length > 0 && s.from !== s.to)).toBe(true);
    expect(d.tables.find((t) => t.name === 'products')?.owner).toBe(contextMap(d).get('repositories/ProductRepository.ts'));
    expect(d.contexts.reduce((n, c) => n + c.endpoints.length, 0)).toBeGreaterThanOrEqual(30);
    expect([...d.order].sort()).toEqual([...domains].sort());
    expect(d.metrics.modularity).toBeGreaterThan(0.3);
  });

  it('is deterministic for a seed', async () => {
    const again = join(tmp, 'shop-again');
    expect((await ficus('analyze', SAMPLE, '--out', again, '--format', 'json', '--quiet')).code).toBe(0);
    const d2 = JSON.parse(await readFile(join(again, 'decomposition.json'), 'utf8')) as Decomposition;
    expect(d2.contexts).toEqual(d.contexts);
    expect(d2.seams).toEqual(d.seams);
  }, 120_000);

  it('--impact lists the contexts a change ripples into', async () => {
    const r = await ficus('analyze', SAMPLE, '--impact', 'repositories/ProductRepository.ts', '--signals', 'static,data,folders');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ripples into/);
    expect(r.out.split('\n').filter((l) => /^\s+\S+\s+\d+ files/.test(l)).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

describe('ficus analyze on bad input', () => {
  it('a missing root is a usage error and writes nothing', async () => {
    const out = join(tmp, 'nothing');
    const r = await ficus('analyze', join(tmp, 'no-such-dir'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\[ANL_ROOT_NOT_FOUND\]/);
    expect(r.err).not.toMatch(/\n\s+at /);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('a tree without sources is a usage error', async () => {
    const root = await tree('empty', { 'README.md': '# nothing here\n', 'node_modules/x/index.js': 'module.exports = 1;\n' });
    const r = await ficus('analyze', root, '--out', join(tmp, 'empty-out'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\[ANL_NO_SOURCES\]/);
  });

  it('an invalid config names the file, line and field, and keeps earlier outputs', async () => {
    const out = join(tmp, 'kept');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'decomposition.json'), '{"earlier":true}');
    const config = join(tmp, 'bad.analyze.yaml');
    await writeFile(config, 'seed: 1\nresolution: -3\n');
    const r = await ficus('analyze', SAMPLE, '--out', out, '--config', config);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${config}:2`);
    expect(r.err).toMatch(/resolution/);
    expect(await readFile(join(out, 'decomposition.json'), 'utf8')).toBe('{"earlier":true}');
  });

  it('rejects bad flag values with the valid ones', async () => {
    for (const argv of [['--format', 'pdf'], ['--signals', 'static,astrology'], ['--weights', 'static=-1'], ['--resolution', '1', '--contexts', '3'], ['--seed', 'x']]) {
      const r = await ficus('analyze', SAMPLE, ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/\[CLI_/);
    }
  });

  it('counts files that do not parse and unresolved imports, and still decomposes the rest', async () => {
    const root = await tree('broken', {
      'src/orders/orderService.ts': "import { pay } from '../payments/pay';\nimport { gone } from './missing';\nexport const order = () => pay(gone);\n",
      'src/orders/orderRepo.ts': "import { order } from './orderService';\nexport const q = () => `SELECT * FROM orders ${order()}`;\n",
      'src/payments/pay.ts': "export function pay(x: unknown) { return x; }\n",
      'src/payments/refund.ts': "import { pay } from './pay';\nexport const refund = () => pay(1);\n",
      'src/broken.ts': 'export function ( {{{ oops\n',
      'assets/logo.ts': Buffer.from([0, 1, 2, 3, 0, 0, 255]).toString('latin1'),
    });
    const out = join(tmp, 'broken-out');
    const r = await ficus('analyze', root, '--out', out, '--format', 'json', '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(await readFile(join(out, 'decomposition.json'), 'utf8')) as Decomposition;
    expect(d.source.failed.map((f) => f.path).sort()).toEqual(['assets/logo.ts', 'src/broken.ts']);
    expect(d.source.unresolvedImports).toBe(1);
    expect(d.contexts.flatMap((c) => c.members)).toContain('src/payments/refund.ts');
  });
});
