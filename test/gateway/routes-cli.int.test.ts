/**
 * `ficus routes list|set|rollback` against a real admin API: buildGateway on a parsed config
 * (data plane on 127.0.0.1:0), buildAdmin listening on 127.0.0.1:0, and the CLI run in-process
 * through cli/run.ts with injected io. Also the failures an operator meets: a wrong or missing
 * token, a gateway that is not there, an unknown route, a bad value.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/index.js';
import { buildAdmin, type AdminApp } from '../../gateway/admin/app.js';
import { buildGateway, type Gateway } from '../../gateway/app.js';
import { parseGatewayConfig } from '../../gateway/config/load.js';
import { run } from '../../cli/run.js';

const TOKEN = 'routes-cli-token-0123456789';

const CONFIG = `
admin: { token: ${TOKEN} }
upstreams:
  monolith: { url: "http://127.0.0.1:9" }
  catalog: { url: "http://127.0.0.1:9" }
routes:
  - id: products
    match: { path: /products }
    service: catalog
    mode: shadow
  - id: product-detail
    match: { path: /products/:id, methods: [GET] }
    service: catalog
    mode: canary
    weight: 5
diffs: { store: none }
`;

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function ficus(argv: string[], env: Record<string, string> = {}): Promise<Ran> {
  let out = '';
  let err = '';
  const code = await run(argv, {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, cwd: process.cwd(), interactive: false },
  });
  return { code, out, err };
}

let gateway: Gateway;
let admin: AdminApp;
let base: string;
const conn = (): string[] => ['--admin', base, '--token', TOKEN];

beforeAll(async () => {
  gateway = await buildGateway({ config: parseGatewayConfig(CONFIG), logger: silentLogger() });
  await gateway.listen(0, '127.0.0.1');
  admin = buildAdmin(gateway, { logger: silentLogger() });
  await admin.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(admin.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await admin?.close();
  await gateway?.close();
});

describe('ficus routes', () => {
  it('lists routes as a table, with the token from --token or FICUS_ADMIN_TOKEN', async () => {
    gateway.runtime.stats.request('products', 'monolith', 200, 12);
    gateway.runtime.stats.request('products', 'monolith', 500, 40);
    const r = await ficus(['routes', 'list', ...conn()]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^ROUTE\s+MODE\s+WEIGHT\s+REQUESTS\s+ERR %\s+P99 MS\s+DIFF %$/);
    expect(lines.find((l) => l.startsWith('products '))).toMatch(/^products\s+shadow\s+0%\s+2\s+50\.0%\s+40\.0\s+-$/);
    expect(lines.find((l) => l.startsWith('product-detail'))).toMatch(/^product-detail\s+canary\s+5%\s+0\s+-\s+-\s+-$/);
    expect(lines.some((l) => l.startsWith('(unmatched)'))).toBe(true);
    expect(r.out).toContain('matched in this order: product-detail > products');
    const env = await ficus(['routes', 'list', '--admin', base], { FICUS_ADMIN_TOKEN: TOKEN });
    expect(env.code).toBe(0);
    expect(env.out).toBe(r.out);
    const json = await ficus(['routes', 'list', '--json', ...conn()]);
    expect(JSON.parse(json.out).routes.map((x: { id: string }) => x.id)).toEqual(['products', 'product-detail']);
  });

  it('sets a route to canary with a weight, through the running gateway', async () => {
    const r = await ficus(['routes', 'set', 'products', '--mode', 'canary', '--weight', '10', '--reason', 'step 1', ...conn()]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^products: shadow 0% → canary 10% \(by admin:127\.0\.0\.1 at .+\)\n$/);
    expect(gateway.runtime.settings(gateway.runtime.route('products')!)).toEqual({ mode: 'canary', weight: 10 });
    expect(gateway.runtime.changes.at(-1)).toMatchObject({ route: 'products', by: 'admin:127.0.0.1', reason: 'step 1' });
    const weight = await ficus(['routes', 'set', 'products', '--weight=25', ...conn()]);
    expect(weight.code).toBe(0);
    expect(weight.out).toContain('canary 10% → canary 25%');
  });

  it('rolls one route, then every route, back to the monolith', async () => {
    const one = await ficus(['routes', 'rollback', 'products', '--reason', 'p99 up', ...conn()]);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^products: canary \d+% → monolith 0%/);
    const all = await ficus(['routes', 'rollback', ...conn()]);
    expect(all.code).toBe(0);
    expect(
      all.out
        .trim()
        .split('\n')
        .map((l) => l.split(':')[0]),
    ).toEqual(['products', 'product-detail']);
    for (const r of gateway.runtime.snapshot.config.routes) expect(gateway.runtime.settings(r)).toEqual({ mode: 'monolith', weight: 0 });
  });

  it('says in one line that a wrong token was refused, and exits 1', async () => {
    const r = await ficus(['routes', 'list', '--admin', base, '--token', 'not-the-right-token-at-all']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toContain('[CLI_ADMIN_TOKEN]');
    expect(r.err).toContain('refused the token');
    const set = await ficus(['routes', 'set', 'products', '--mode', 'service', '--admin', base, '--token', 'x'.repeat(20)]);
    expect(set.code).toBe(1);
    expect(gateway.runtime.settings(gateway.runtime.route('products')!).mode).toBe('monolith');
  });

  it('says in one line that the admin API cannot be reached, and exits 1', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await ficus(['routes', 'list', '--admin', `http://127.0.0.1:${port}`, '--token', TOKEN]);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toContain('[CLI_ADMIN_UNREACHABLE]');
    expect(r.err).toContain('ECONNREFUSED');
  });

  it('refuses bad input with exit code 2 and a code', async () => {
    const cases: [string[], string][] = [
      [['routes', 'set', 'nope', '--mode', 'service', ...conn()], 'GW_ADMIN_NOT_FOUND'],
      [['routes', 'rollback', 'nope', ...conn()], 'GW_ADMIN_NOT_FOUND'],
      [['routes', 'set', 'products', '--mode', 'blue', ...conn()], 'CLI_BAD_VALUE'],
      [['routes', 'set', 'products', '--weight', '120', ...conn()], 'CLI_BAD_VALUE'],
      [['routes', 'set', 'products', ...conn()], 'CLI_USAGE'],
      [['routes', 'list', '--admin', base], 'CLI_USAGE'],
      [['routes', 'list', '--admin', 'not a url', '--token', TOKEN], 'CLI_BAD_VALUE'],
      [['routes', 'lst', ...conn()], 'CLI_UNKNOWN_COMMAND'],
      [['routes'], 'CLI_USAGE'],
    ];
    for (const [argv, code] of cases) {
      const r = await ficus(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toContain(`[${code}]`);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const unknown = await ficus(['routes', 'set', 'nope', '--mode', 'service', ...conn()]);
    expect(unknown.err.trimEnd().split('\n')).toHaveLength(1);
    expect(unknown.err).toContain('products, product-detail');
  });
});
