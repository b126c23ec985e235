/**
 * Judging a route's window against its gates (after Flagger's analysis: every metric check
 * must pass with enough traffic before the canary advances; one failing check rolls back).
 *
 * Verdicts:
 *   wait — fewer than `minRequests` requests in the window, or a gate has no samples yet
 *          (no answers from the service, no comparisons): nothing is decided;
 *   fail — enough requests and a gate with samples is over its limit;
 *   hold — enough requests and every gate passes with samples.
 */
import type { RouteWindow } from '../stats/route-stats.js';
import type { RolloutPolicy } from './policy.js';

export type GateName = 'maxErrorRate' | 'maxP99Ms' | 'maxDiffRate';

export interface GateCheck {
  readonly gate: GateName;
  readonly value: number;
  readonly limit: number;
  /** How many observations the value rests on (service answers, or comparisons). */
  readonly samples: number;
  readonly ok: boolean;
}

export type Verdict = 'wait' | 'fail' | 'hold';

export interface GateReport {
  readonly verdict: Verdict;
  readonly requests: number;
  readonly minRequests: number;
  readonly checks: readonly GateCheck[];
}

export function judge(w: RouteWindow, policy: RolloutPolicy): GateReport {
  const g = policy.gates;
  const checks: GateCheck[] = [];
  const add = (gate: GateName, value: number, limit: number | undefined, samples: number): void => {
    if (limit !== undefined) checks.push({ gate, value, limit, samples, ok: samples === 0 || value <= limit });
  };
  add('maxErrorRate', w.serviceErrorRate, g.maxErrorRate, w.serviceRequests);
  add('maxP99Ms', w.serviceP99Ms, g.maxP99Ms, w.serviceRequests);
  add('maxDiffRate', w.diffRate, g.maxDiffRate, w.compared);
  const base = { requests: w.requests, minRequests: policy.minRequests, checks };
  if (w.requests < policy.minRequests) return { verdict: 'wait', ...base };
  if (checks.some((c) => c.samples > 0 && !c.ok)) return { verdict: 'fail', ...base };
  if (checks.some((c) => c.samples === 0)) return { verdict: 'wait', ...base };
  return { verdict: 'hold', ...base };
}

/** `maxDiffRate 4.0% > 0.5% (120 comparisons)` — the failed checks in a sentence. */
export function describeFailures(report: GateReport): string {
  const pct = (v: number): string => `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`;
  return report.checks
    .filter((c) => c.samples > 0 && !c.ok)
    .map((c) =>
      c.gate === 'maxP99Ms'
        ? `p99 ${c.value.toFixed(1)} ms > ${c.limit} ms (${c.samples} service answers)`
        : c.gate === 'maxErrorRate'
          ? `error rate ${pct(c.value)} > ${pct(c.limit)} (${c.samples} service answers)`
          : `diff rate ${pct(c.value)} > ${pct(c.limit)} (${c.samples} comparisons)`,
    )
    .join('; ');
}
