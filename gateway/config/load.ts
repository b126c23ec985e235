/**
 * Loading a gateway config: YAML/JSON with `${ENV}` substitution and schema defaults (core),
 * then the rules a schema cannot say — every route's service and sandbox name an upstream,
 * the monolith upstream exists, route ids are unique, header regexes compile, a sandbox is
 * named when unsafe methods go to one, the admin API has a token when it listens beyond
 * loopback — each reported with file:line:col. The result is frozen.
 */
import { isIP } from 'node:net';
import { loadConfigFile, parseConfigText, type ConfigViolation, type Env } from '../../core/index.js';
import { isFicusError } from '../../core/index.js';
import { createComparer } from '../shadow/compare.js';
import { rolloutRules } from '../rollout/policy.js';
import { createRedactor } from '../shadow/redact.js';
import { GatewayConfigSchema, type GatewayConfigInput } from './schema.js';

export type GatewayConfig = Readonly<GatewayConfigInput>;

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export function gatewayRules(value: unknown): ConfigViolation[] {
  const cfg = value as GatewayConfigInput;
  const out: ConfigViolation[] = [];
  const upstreams = Object.keys(cfg.upstreams);
  const known = (name: string): boolean => Object.hasOwn(cfg.upstreams, name);
  const valid = `valid upstreams: ${upstreams.join(', ')}`;
  if (!known(cfg.monolith))
    out.push({ path: ['monolith'], message: `names no upstream ("${cfg.monolith}"); define upstreams.${cfg.monolith} or set monolith to one of the ${valid}` });
  const seen = new Map<string, number>();
  cfg.routes.forEach((r, i) => {
    if (seen.has(r.id)) out.push({ path: ['routes', i, 'id'], message: `"${r.id}" is used by routes[${seen.get(r.id)}] too; route ids must be unique` });
    seen.set(r.id, i);
    if (!known(r.service)) out.push({ path: ['routes', i, 'service'], message: `names no upstream ("${r.service}"); ${valid}` });
    if (r.service === cfg.monolith) out.push({ path: ['routes', i, 'service'], message: `is the monolith itself; name the new service's upstream` });
    const sh = r.shadow;
    if (sh?.unsafeMethods === 'sandbox' && sh.sandbox === undefined)
      out.push({ path: ['routes', i, 'shadow', 'unsafeMethods'], message: 'is sandbox but shadow.sandbox names no upstream to send unsafe methods to' });
    if (sh?.sandbox !== undefined && !known(sh.sandbox))
      out.push({ path: ['routes', i, 'shadow', 'sandbox'], message: `names no upstream ("${sh.sandbox}"); ${valid}` });
    // Compile the compare and redact paths now, so a bad one refuses the config instead of failing later.
    if (sh) {
      for (const [field, compile] of [
        ['compare', () => createComparer(sh.compare, { where: `routes[${i}].shadow.compare` })],
        ['redact', () => createRedactor(sh.redact, `routes[${i}].shadow.redact`)],
      ] as const) {
        try {
          compile();
        } catch (err) {
          if (!isFicusError(err)) throw err;
          out.push({ path: ['routes', i, 'shadow', field], message: err.message });
        }
      }
    }
    for (const [name, v] of Object.entries(r.match.headers ?? {})) {
      if (!v.startsWith('~')) continue;
      try {
        new RegExp(v.slice(1));
      } catch (err) {
        out.push({
          path: ['routes', i, 'match', 'headers', name],
          message: `is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`,
        });
      }
    }
    out.push(...rolloutRules(r, i));
    if ((r.mode === 'canary' || r.mode === undefined) && r.weight !== undefined && r.mode === undefined) {
      out.push({ path: ['routes', i, 'weight'], message: 'is set but mode is not; set mode: canary for a weighted split' });
    }
  });
  if (!isLoopback(cfg.admin.host) && cfg.admin.token === undefined) {
    out.push({
      path: ['admin', 'host'],
      message: `is ${cfg.admin.host}, beyond loopback, and admin.token is not set; set a token (at least 16 characters) or bind 127.0.0.1`,
    });
  }
  return out;
}

export async function loadGatewayConfig(file: string, env: Env = {}): Promise<GatewayConfig> {
  return loadConfigFile(file, GatewayConfigSchema, { env, kind: 'gateway config', check: gatewayRules });
}

export function parseGatewayConfig(text: string, file = 'ficus.gateway.yaml', env: Env = {}): GatewayConfig {
  return parseConfigText(text, file, GatewayConfigSchema, { env, kind: 'gateway config', check: gatewayRules });
}
