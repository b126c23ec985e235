import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig, parseGatewayConfig } from './load.js';

const base = `
upstreams:
  monolith: { url: http://127.0.0.1:3000 }
  catalog: { url: http://127.0.0.1:3001 }
`;
const refused = (text: string) => {
  try {
    parseGatewayConfig(text, 'gw.yaml');
  } catch (err) {
    return err as { code: string; message: string; exitCode: number };
  }
  throw new Error('accepted');
};

describe('gateway config', () => {
  it('accepts the sample config, filling defaults from the schema', async () => {
    const cfg = await loadGatewayConfig(join(import.meta.dirname, '../../samples/ficus.gateway.yaml'), { FICUS_ADMIN_TOKEN: 'change-me-0123456789' });
    expect(cfg.routes.map((r) => r.id)).toEqual(['products', 'categories']);
    expect(cfg.routes[0]!.shadow!.maxBodyBytes).toBe(1_048_576);
    expect(cfg.routes[1]!.fallback).toBe(true);
    expect(cfg.limits.shadowInFlight).toBe(64);
    expect(Object.isFrozen(cfg.routes[0])).toBe(true);
  });

  it('names the line and field of a route whose service is no upstream, and lists the valid ones', () => {
    const e = refused(`${base}routes:\n  - { id: p, match: { path: /p }, service: nowhere, mode: shadow }\n`);
    expect(e.code).toBe('CORE_CONFIG_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^gw\.yaml:6:\d+: routes\[0\]\.service /);
    expect(e.message).toContain('monolith, catalog');
  });

  it('refuses duplicate route ids, bad header regexes, bad compare paths and a sandbox policy without a sandbox', () => {
    const route = (extra: string, id = 'p') =>
      `  - { id: ${id}, match: { path: /p${extra.startsWith('h') ? `, headers: { x-a: "~(" }` : ''} }, service: catalog, mode: shadow${extra.startsWith('s') ? `, shadow: { unsafeMethods: sandbox }` : ''}${extra.startsWith('c') ? `, shadow: { compare: { ignore: ["$.a[?"] } }` : ''} }\n`;
    expect(refused(`${base}routes:\n${route('')}${route('')}`).message).toMatch(/routes\[1\]\.id/);
    expect(refused(`${base}routes:\n${route('h')}`).message).toMatch(/routes\[0\]\.match\.headers\.x-a/);
    expect(refused(`${base}routes:\n${route('s')}`).message).toMatch(/routes\[0\]\.shadow\.unsafeMethods/);
    expect(refused(`${base}routes:\n${route('c')}`).message).toMatch(/routes\[0\]\.shadow\.compare/);
  });

  it('refuses an admin API beyond loopback without a token, and a token under 16 characters', () => {
    expect(refused(`${base}admin: { host: 0.0.0.0 }\n`).message).toMatch(/admin\.host/);
    expect(refused(`${base}admin: { token: short }\n`).message).toMatch(/admin\.token/);
    expect(() => parseGatewayConfig(`${base}admin: { host: 0.0.0.0, token: a-long-enough-token }\n`)).not.toThrow();
  });

  it('refuses a weight without a mode, and an unknown mode with the valid ones', () => {
    expect(refused(`${base}routes:\n  - { id: p, match: { path: /p }, service: catalog, weight: 10 }\n`).message).toMatch(/routes\[0\]\.weight/);
    expect(refused(`${base}routes:\n  - { id: p, match: { path: /p }, service: catalog, mode: blue }\n`).message).toMatch(/monolith.*shadow.*canary.*service/);
  });
});
