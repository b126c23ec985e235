/**
 * One record's outcome from the answers its replay got: the baseline (the recorded monolith
 * response, or a live baseline's answer) and the target's answer are put in the form a
 * DiffRecord keeps (headers and bodies redacted by the route's rules), compared with the route's
 * comparer — redacted against redacted, so a secret the recording hid is no difference — and
 * classified (classify.ts).
 *
 * A body that is not known on either side is left out of the comparison, status and headers
 * still compared: a live body over the cap, or a recorded null body that was not provably empty
 * (null is also what the gateway records for a body over its cap; it is provably empty only for
 * HEAD, 204, 304 or a recorded content-length of 0).
 */
import type { DiffRecord, Difference, RecordedResponse, Target } from '../model.js';
import type { ComparedResponse } from '../shadow/compare.js';
import { classify } from './classify.js';
import type { ReplayOutcome } from './model.js';
import { decodeBody } from './request.js';
import type { RouteRules } from './rules.js';
import type { Answer } from './send.js';

const EMPTY = Buffer.alloc(0);

/** What is compared of one side, and what is kept of it in replay.json. */
interface Side {
  readonly kept: RecordedResponse;
  readonly compared: ComparedResponse;
  readonly bodyKnown: boolean;
}

/** An answer got now, redacted like a DiffRecord's responses. */
export function liveSide(target: Target, answer: Answer, rules: RouteRules): Side {
  const headers = rules.redactor.headers(answer.headers);
  const type = headers['content-type'];
  const body = answer.body === null ? null : rules.redactor.body(answer.body, type, rules.cap);
  const kept: RecordedResponse = {
    target,
    status: answer.status,
    headers,
    body,
    ms: Math.round(answer.ms * 10) / 10,
    ...(answer.error !== undefined && { error: answer.error }),
  };
  return { kept, compared: { status: answer.status, headers, body: decodeBody(body) ?? EMPTY }, bodyKnown: answer.body !== null };
}

/**
 * The recorded monolith response as a baseline: the primary's in shadow mode, the shadow's when
 * the service answered the client (canary, service mode) and the monolith got the copy.
 */
export function recordedSide(record: DiffRecord): Side {
  const p = record.primary.target !== 'monolith' && record.shadow.target === 'monolith' ? record.shadow : record.primary;
  const length = Object.entries(p.headers).find(([k]) => k.toLowerCase() === 'content-length')?.[1];
  const empty = record.request.method.toUpperCase() === 'HEAD' || p.status === 204 || p.status === 304 || length === '0';
  return { kept: p, compared: { status: p.status, headers: p.headers, body: decodeBody(p.body) ?? EMPTY }, bodyKnown: p.body !== null || empty };
}

function base(record: DiffRecord): Pick<ReplayOutcome, 'id' | 'route' | 'recordedAt' | 'request' | 'recorded'> {
  return {
    id: record.id,
    route: record.route,
    recordedAt: record.at,
    request: { method: record.request.method, url: record.request.url },
    recorded: record.differences,
  };
}

/** The placeholder `target` of a record that was not sent. */
export const NOT_SENT: RecordedResponse = Object.freeze({ target: 'service', status: 0, headers: {}, body: null, ms: 0 });

export function skippedOutcome(record: DiffRecord, reason: string): ReplayOutcome {
  return { ...base(record), class: 'skipped', reason, differences: [], newPaths: [], noise: [], baseline: recordedSide(record).kept, target: NOT_SENT };
}

/** A side without an HTTP answer: the outcome is `error`. */
function errorOutcome(record: DiffRecord, baseline: RecordedResponse, target: RecordedResponse, reason: string): ReplayOutcome {
  const error: Difference = { path: 'status', kind: 'error', primary: baseline.error ?? baseline.status, shadow: target.error ?? target.status };
  return { ...base(record), class: 'error', reason, differences: [error], newPaths: [], noise: [], baseline, target };
}

/** Compares and classifies; `baselineLive` tells the reason of an error which side failed. */
export function outcomeOf(
  record: DiffRecord,
  baseline: Side,
  target: Side,
  rules: RouteRules,
  noisePaths: ReadonlySet<string>,
  baselineLive: boolean,
): ReplayOutcome {
  if (baseline.kept.error !== undefined) {
    const reason = baselineLive
      ? `the baseline gave no answer (${baseline.kept.error})`
      : `the recorded monolith response is not an answer (${baseline.kept.error}); replay against a live --baseline to compare this request`;
    return errorOutcome(record, baseline.kept, target.kept, reason);
  }
  if (target.kept.error !== undefined) return errorOutcome(record, baseline.kept, target.kept, `the target gave no answer (${target.kept.error})`);
  const bodies = baseline.bodyKnown && target.bodyKnown;
  const found = rules.comparer.compare(
    bodies ? baseline.compared : { ...baseline.compared, body: null },
    bodies ? target.compared : { ...target.compared, body: null },
  );
  const c = classify(record.differences, rules.redactor.differences(found), noisePaths);
  return { ...base(record), class: c.class, differences: c.differences, newPaths: c.newPaths, noise: c.noise, baseline: baseline.kept, target: target.kept };
}
