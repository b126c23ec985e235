/**
 * A route's rollout policy, compiled from `routes[].rollout` in ficus.gateway.yaml: steps in %,
 * the interval in milliseconds, the gate limits as fractions (`1%` → 0.01). The schema has
 * already checked the shapes (durations and percentages by pattern), so compiling cannot fail;
 * the rules a schema cannot say (ascending steps, a diff gate needs a shadow block) are in
 * `rolloutRules`, run by the config loader.
 *
 * @example
 *   compilePolicy({ steps: [1, 5, 25, 50, 100], interval: '5m', minRequests: 200, gates: { maxDiffRate: '0.5%' } })
 *   // → { steps: [1, 5, 25, 50, 100], intervalMs: 300000, minRequests: 200, gates: { maxDiffRate: 0.005 } }
 */
import type { ConfigViolation } from '../../core/index.js';
import type { RolloutConfig, RouteConfig } from '../config/schema.js';

export interface Gates {
  /** Fraction of the service's answers that may be errors. */
  readonly maxErrorRate?: number;
  readonly maxP99Ms?: number;
  /** Fraction of comparisons that may differ (noise excluded). */
  readonly maxDiffRate?: number;
}

export interface RolloutPolicy {
  readonly steps: readonly number[];
  readonly intervalMs: number;
  readonly minRequests: number;
  readonly gates: Gates;
  readonly webhook?: string;
  /** Identifies the policy's steps, so a persisted state is resumed only under the same steps. */
  readonly key: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `5m`, `1h` or a number of milliseconds → milliseconds. */
export function parseDuration(v: number | string): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v);
  if (!m) throw new RangeError(`"${v}" is not a duration such as 500ms, 30s, 5m or 1h`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

/** `1%`, `0.5%` or a number of percent → a fraction (0.01, 0.005). */
export function parsePercent(v: number | string): number {
  const n = typeof v === 'number' ? v : Number(v.slice(0, -1));
  return n / 100;
}

export function compilePolicy(cfg: RolloutConfig): RolloutPolicy {
  const g = cfg.gates;
  const gates: Gates = {
    ...(g.maxErrorRate !== undefined && { maxErrorRate: parsePercent(g.maxErrorRate) }),
    ...(g.maxP99Ms !== undefined && { maxP99Ms: g.maxP99Ms }),
    ...(g.maxDiffRate !== undefined && { maxDiffRate: parsePercent(g.maxDiffRate) }),
  };
  return {
    steps: [...cfg.steps],
    intervalMs: parseDuration(cfg.interval),
    minRequests: cfg.minRequests,
    gates,
    ...(cfg.webhook !== undefined && { webhook: cfg.webhook }),
    key: cfg.steps.join(','),
  };
}

/** Rules on `routes[i].rollout` the schema cannot say. */
export function rolloutRules(route: RouteConfig, i: number): ConfigViolation[] {
  const r = route.rollout;
  if (!r) return [];
  const out: ConfigViolation[] = [];
  const at = (...rest: (string | number)[]) => ['routes', i, 'rollout', ...rest];
  for (let k = 1; k < r.steps.length; k++) {
    if (r.steps[k]! <= r.steps[k - 1]!) {
      out.push({ path: at('steps', k), message: `is ${r.steps[k]} after ${r.steps[k - 1]}; steps must go up, e.g. [1, 5, 25, 50, 100]` });
      break;
    }
  }
  if (r.steps[0] === 0) out.push({ path: at('steps', 0), message: 'is 0; the first step must send some traffic to the service (use shadow mode for 0 %)' });
  if (r.gates.maxDiffRate !== undefined && !route.shadow) {
    out.push({ path: at('gates', 'maxDiffRate'), message: 'needs a shadow block on the route: in canary mode the other side gets a copy only when the route says shadow: {…}' });
  }
  if (route.mode === 'service' || route.mode === 'monolith') {
    out.push({ path: ['routes', i, 'mode'], message: `is ${route.mode} but the route has a rollout; use mode: canary (starts the rollout) or shadow (waits for \`ficus routes rollout ${route.id} resume\`)` });
  }
  return out;
}
