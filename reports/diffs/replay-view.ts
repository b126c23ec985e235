/**
 * The replay report's view of a ReplayResult (gateway/replay/model.ts): the count and share per
 * class, the classes per route, the paths that still (or newly) differ with how many records
 * each, and the outcomes that need a look — still different, newly different, errors,
 * skipped — in that order, oldest record first. Fixed outcomes are counted, not listed.
 */
import { REPLAY_CLASSES, type ReplayClass, type ReplayOutcome, type ReplayResult } from '../../gateway/index.js';
import { generalisePath } from './paths.js';

/** Outcomes listed in full; the rest are counted. */
export const MAX_OUTCOMES = 300;

export const CLASS_LABEL: Readonly<Record<ReplayClass, string>> = {
  fixed: 'fixed',
  'still-different': 'still different',
  'newly-different': 'newly different',
  error: 'error',
  skipped: 'skipped',
};

export interface ReplayRouteView {
  readonly route: string;
  readonly total: number;
  readonly counts: Readonly<Record<ReplayClass, number>>;
}

export interface ReplayPathView {
  readonly route: string;
  readonly path: string;
  /** Records still differing on it (it differed when recorded too). */
  readonly still: number;
  /** Records differing on it that did not when recorded. */
  readonly newly: number;
}

export interface ReplayView {
  readonly result: ReplayResult;
  readonly classes: readonly { readonly cls: ReplayClass; readonly count: number; readonly share: number }[];
  readonly routes: readonly ReplayRouteView[];
  readonly paths: readonly ReplayPathView[];
  /** Still different, newly different, error, skipped — at most MAX_OUTCOMES. */
  readonly listed: readonly ReplayOutcome[];
  readonly leftOut: number;
  /** Nothing still or newly different and nothing unanswered. */
  readonly passed: boolean;
}

const ORDER: readonly ReplayClass[] = ['still-different', 'newly-different', 'error', 'skipped'];
const zero = (): Record<ReplayClass, number> => ({ fixed: 0, 'still-different': 0, 'newly-different': 0, error: 0, skipped: 0 });

export function buildReplayView(result: ReplayResult): ReplayView {
  const total = result.outcomes.length;
  const perClass = zero();
  const routes = new Map<string, Record<ReplayClass, number>>();
  const paths = new Map<string, { route: string; path: string; still: number; newly: number }>();
  for (const o of result.outcomes) {
    perClass[o.class] += 1;
    const r = routes.get(o.route) ?? zero();
    r[o.class] += 1;
    routes.set(o.route, r);
    if (o.class !== 'still-different' && o.class !== 'newly-different') continue;
    const fresh = new Set(o.newPaths);
    const seen = new Set<string>();
    for (const d of o.differences) {
      const path = generalisePath(d.path);
      const key = `${o.route}\u0000${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const p = paths.get(key) ?? { route: o.route, path, still: 0, newly: 0 };
      if (fresh.has(d.path)) p.newly += 1;
      else p.still += 1;
      paths.set(key, p);
    }
  }
  const attention = ORDER.flatMap((cls) =>
    result.outcomes.filter((o) => o.class === cls).sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0)),
  );
  return {
    result,
    classes: REPLAY_CLASSES.map((cls) => ({ cls, count: perClass[cls], share: total > 0 ? perClass[cls] / total : 0 })),
    routes: [...routes]
      .map(([route, counts]) => ({ route, counts, total: REPLAY_CLASSES.reduce((n, c) => n + counts[c], 0) }))
      .sort(
        (a, b) =>
          b.counts['still-different'] + b.counts['newly-different'] - (a.counts['still-different'] + a.counts['newly-different']) ||
          (a.route < b.route ? -1 : 1),
      ),
    paths: [...paths.values()].sort(
      (a, b) => b.still + b.newly - (a.still + a.newly) || (a.route < b.route ? -1 : a.route > b.route ? 1 : a.path < b.path ? -1 : 1),
    ),
    listed: attention.slice(0, MAX_OUTCOMES),
    leftOut: Math.max(0, attention.length - MAX_OUTCOMES),
    passed: perClass['still-different'] + perClass['newly-different'] + perClass.error === 0,
  };
}
