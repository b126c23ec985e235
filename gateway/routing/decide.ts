/**
 * Where one request goes: the primary side that answers the client and, if any, the side it
 * is shadowed to. Per mode:
 *   monolith — monolith answers, nothing shadowed;
 *   shadow   — monolith answers, the service gets a copy (sampled);
 *   canary   — the cohort's bucket picks the service for `weight` % of users, the monolith for
 *              the rest; with a `shadow` block the other side gets a copy;
 *   service  — the service answers; with a `shadow` block the monolith gets a copy.
 * Unsafe methods (not GET/HEAD/OPTIONS) are never copied to a live side unless the route says
 * `unsafeMethods: always`; with `sandbox` they go to the sandbox upstream instead.
 */
import type { Mode, ShadowConfig } from '../config/schema.js';
import type { Target } from '../model.js';
import { inCanary } from './cohort.js';

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Decision {
  readonly primary: 'monolith' | 'service';
  readonly shadow: Target | null;
  /** Why nothing was shadowed although the mode would (for counters). */
  readonly skipped?: 'unsafe-method' | 'not-sampled';
}

export interface DecideInput {
  readonly routeId: string;
  readonly mode: Mode;
  readonly weight: number;
  readonly shadow: ShadowConfig | undefined;
  readonly method: string;
  readonly cohortKey: string | undefined;
  readonly random: () => number;
}

export function decide(i: DecideInput): Decision {
  let primary: Decision['primary'] = 'monolith';
  let other: Decision['shadow'] = null;
  switch (i.mode) {
    case 'monolith':
      return { primary: 'monolith', shadow: null };
    case 'shadow':
      other = 'service';
      break;
    case 'canary':
      primary = inCanary(i.routeId, i.weight, i.cohortKey, i.random) ? 'service' : 'monolith';
      other = i.shadow ? (primary === 'service' ? 'monolith' : 'service') : null;
      break;
    case 'service':
      primary = 'service';
      other = i.shadow ? 'monolith' : null;
      break;
  }
  if (other === null) return { primary, shadow: null };
  const sample = i.shadow?.sample ?? 100;
  if (sample < 100 && i.random() * 100 >= sample) return { primary, shadow: null, skipped: 'not-sampled' };
  if (!SAFE_METHODS.has(i.method)) {
    const policy = i.shadow?.unsafeMethods ?? 'never';
    if (policy === 'never') return { primary, shadow: null, skipped: 'unsafe-method' };
    if (policy === 'sandbox') return { primary, shadow: 'sandbox' };
  }
  return { primary, shadow: other };
}
