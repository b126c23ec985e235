// Across parts: the gateway draft `ficus analyze` writes for the sample monolith is a config the
// gateway accepts as it is (with the admin token supplied by the environment), and every
// endpoint the analyzer found is routed to the context that owns it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { createLogger } from '../../core/index.js';
import { GatewayRuntime, loadGatewayConfig, routeOrder, type GatewayConfig } from '../../gateway/index.js';
import type { Decomposition } from '../../analyzer/index.js';
import { REPO_ROOT } from '../harness/index.js';

describe('the analyzer’s gateway draft', () => {
  let out: string;
  let config: GatewayConfig;
  let d: Decomposition;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'ficus-drafts-'));
    const sink = { write: () => true };
    const code = await run(['analyze', join(REPO_ROOT, 'samples/legacy-shop'), '--out', out, '--runs', '4', '--quiet'], { io: { stdout: sink, stderr: sink, cwd: REPO_ROOT, env: {}, interactive: false } });
    expect(code).toBe(0);
    d = JSON.parse(await readFile(join(out, 'decomposition.json'), 'utf8')) as Decomposition;
    config = await loadGatewayConfig(join(out, 'ficus.gateway.draft.yaml'), { FICUS_ADMIN_TOKEN: 'a-token-of-sixteen-chars' });
  });

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('validates against the gateway schema and rules, in shadow mode throughout', () => {
    expect(config.routes.length).toBeGreaterThan(0);
    for (const r of config.routes) expect(r.mode).toBe('shadow');
    expect(Object.keys(config.upstreams)).toContain(config.monolith);
  });

  it('routes every discovered endpoint of a domain context to that context’s service', () => {
    // The gateway's own router decides, as it would for live traffic.
    const runtime = new GatewayRuntime(config, { logger: createLogger({ level: 'silent' }) });
    for (const c of d.contexts.filter((x) => x.kind === 'domain')) {
      for (const e of c.endpoints) {
        const concrete = e.path.replace(/:[^/]+/g, '1');
        expect(runtime.snapshot.router.match(e.method, concrete, {})?.route.service, `${e.method} ${e.path}`).toBe(c.id);
      }
    }
    expect(routeOrder(config).map((r) => r.id).sort()).toEqual(config.routes.map((r) => r.id).sort());
    void runtime.close();
  });
});
