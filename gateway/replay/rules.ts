/**
 * The comparison rules a replay applies per route: the route's `shadow.compare` (ignore,
 * unorderedArrays, numericTolerance, headers), `shadow.redact` and `shadow.maxBodyBytes` from
 * the gateway config the records were captured under — so a replay judges exactly as the
 * gateway did. A route the config does not name (or no config at all) gets the gateway's
 * defaults: status, content-type and body compared; authorization and cookies redacted; 1 MiB.
 * Compiled once per route and cached.
 */
import type { GatewayConfig } from '../config/load.js';
import type { CompareConfig, RouteConfig } from '../config/schema.js';
import { createComparer, type Comparer } from '../shadow/compare.js';
import { createRedactor, type Redactor } from '../shadow/redact.js';

export const DEFAULT_COMPARE: CompareConfig = Object.freeze({ ignore: [], unorderedArrays: [], numericTolerance: 0, headers: ['content-type'] });
export const DEFAULT_BODY_CAP = 1_048_576;

export interface RouteRules {
  readonly comparer: Comparer;
  readonly redactor: Redactor;
  /** Largest body kept and compared, in bytes. */
  readonly cap: number;
}

export type RulesFor = (route: string) => RouteRules;

/** Rules per route id from a gateway config (or defaults for every route when there is none). */
export function routeRules(config?: GatewayConfig): RulesFor {
  const routes = new Map<string, RouteConfig>((config?.routes ?? []).map((r) => [r.id, r]));
  const cache = new Map<string, RouteRules>();
  return (id) => {
    let rules = cache.get(id);
    if (rules === undefined) {
      const shadow = routes.get(id)?.shadow;
      rules = {
        comparer: createComparer(shadow?.compare ?? DEFAULT_COMPARE),
        redactor: createRedactor(shadow?.redact ?? []),
        cap: shadow?.maxBodyBytes ?? DEFAULT_BODY_CAP,
      };
      cache.set(id, rules);
    }
    return rules;
  };
}
