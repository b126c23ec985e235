// Across parts: the drafts `ficus analyze` writes for the sample monolith are configs the gateway
// and CDC accept as they are (secrets supplied by the environment); the gateway draft routes every
// endpoint the analyzer found to the context that owns it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { parse, stringify } from 'yaml';
import { parseCdcConfig } from '../../cdc/index.js';
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

  it('each context’s CDC draft is a valid ficus.cdc.yaml for the tables the context owns', async () => {
    const drafts = parse(await readFile(join(out, 'ficus.cdc.draft.yaml'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(drafts).length).toBeGreaterThan(0);
    for (const [id, draft] of Object.entries(drafts)) {
      const env = { [`${id.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`]: `postgres://postgres@127.0.0.1:5432/${id.replace(/-/g, '_')}` };
      const cfg = parseCdcConfig(stringify(draft), `ficus.cdc.draft.yaml#${id}`, env);
      const owned = d.tables.filter((t) => t.owner === id).map((t) => `public.${t.name}`);
      expect(cfg.tables.map((t) => t.from).sort()).toEqual(owned.sort());
    }
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
