/**
 * `ficus routes rollout <route> [status|pause|resume|promote|abort] [--reason …]`: a route's
 * rollout through the admin API. `status` (the default) prints the phase, the step, the last
 * judgement of the gates and recent events; the actions print the rollout after the change.
 *
 *   ficus routes rollout products              phase, step 2/5 (5 %), gates, history
 *   ficus routes rollout products pause --reason "release freeze"
 *   ficus routes rollout products promote      jump to the last step; migrated once gates hold
 */
import { defineCommand } from 'citty';
import { connectionArgs, str, withClient, type Args } from '../admin-client.js';
import { CliError, CliErrorCode } from '../errors.js';
import type { CliIO } from '../io.js';

const VERBS = ['status', 'pause', 'resume', 'promote', 'abort'] as const;
type Verb = (typeof VERBS)[number];

interface GateCheck {
  readonly gate: string;
  readonly value: number;
  readonly limit: number;
  readonly samples: number;
  readonly ok: boolean;
}
export interface RolloutBody {
  readonly route: string;
  readonly phase: string;
  readonly step: number;
  readonly steps: readonly number[];
  readonly weight: number;
  readonly since: string;
  readonly nextStepAt?: string;
  readonly reason?: string;
  readonly last?: { readonly verdict: string; readonly requests: number; readonly minRequests: number; readonly checks: readonly GateCheck[] };
  readonly history: readonly { readonly at: string; readonly kind: string; readonly weight: number; readonly by: string; readonly reason?: string }[];
}

const gateValue = (c: GateCheck): string => (c.gate === 'maxP99Ms' ? `${c.value.toFixed(1)} ms ≤ ${c.limit} ms` : `${(c.value * 100).toFixed(2)}% ≤ ${(c.limit * 100).toFixed(2)}%`);

/** The rollout in a few lines. */
export function describeRollout(r: RolloutBody): string {
  const out = [`${r.route}: ${r.phase}, step ${r.step + 1}/${r.steps.length} at ${r.weight}% (steps ${r.steps.join(' → ')})`];
  if (r.reason) out.push(`  ${r.reason}`);
  if (r.nextStepAt) out.push(`  next step no earlier than ${r.nextStepAt}`);
  if (r.last) {
    out.push(`  gates (${r.last.verdict}; ${r.last.requests}/${r.last.minRequests} requests in the window):`);
    for (const c of r.last.checks) out.push(`    ${c.ok ? 'ok  ' : 'FAIL'} ${c.gate} ${gateValue(c)} (${c.samples} samples)`);
  }
  const recent = r.history.slice(-5);
  if (recent.length) out.push('  recent:', ...recent.map((e) => `    ${e.at} ${e.kind} ${e.weight}% by ${e.by}${e.reason ? `: ${e.reason}` : ''}`));
  return `${out.join('\n')}\n`;
}

export default defineCommand({
  meta: { name: 'rollout', description: 'Show, pause, resume, promote or abort a route’s rollout' },
  args: {
    route: { type: 'positional', description: 'Route id', required: true },
    verb: { type: 'positional', description: `One of ${VERBS.join(', ')} (default status)`, required: false },
    reason: { type: 'string', description: 'Why, for the rollout history' },
    json: { type: 'boolean', description: 'Print the admin API’s JSON' },
    ...connectionArgs,
  },
  run({ args, data }) {
    const { io } = data as { io: CliIO };
    const a = args as Args;
    const verb = (str(a.verb) ?? 'status') as Verb;
    if (!VERBS.includes(verb)) throw new CliError(CliErrorCode.BAD_VALUE, `"${verb}" is not a rollout action; valid: ${VERBS.join(', ')}`);
    const path = `/routes/${encodeURIComponent(String(a.route))}/rollout`;
    const reason = str(a.reason);
    return withClient(a, io, async (client) => {
      const body = verb === 'status' ? await client.call<RolloutBody>('GET', path) : await client.call<RolloutBody>('POST', `${path}/${verb}`, reason === undefined ? {} : { reason });
      io.stdout.write(a.json ? `${JSON.stringify(body, null, 2)}\n` : describeRollout(body));
    });
  },
});
