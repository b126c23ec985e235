/**
 * The shadow judge: everything that happens to a shadowed exchange after both answers are in and
 * they are not plainly the same — the structural comparison, the noise model, redaction and the
 * DiffRecord. It is synchronous, holds no I/O, and takes plain data (`JudgeJob`), so the same
 * code runs in the proxy's thread (`inlineJudge`) or in a worker thread of its own
 * (`threadJudge`, judges.ts), where a burst of differing answers costs the proxy's thread only
 * the hand-over.
 *
 * The dispatcher (dispatch.ts) keeps the cheap part: it calls the side, drops what the breaker
 * refused, and settles `Comparer.same` answers itself (equal bytes, or differing only in ignored
 * values), telling the judge how many with `same(route, n)` so the noise model's counts stay whole.
 *
 * @example
 *   const judge = new Judge();
 *   const verdict = judge.judge(job); // { outcome: 'different', record: { id, at, route, … } }
 */
import type { CompareConfig } from '../config/schema.js';
import type { ComparisonOutcome, DiffRecord, Difference, RecordedResponse, Target } from '../model.js';
import { flatBody, type Body } from './bytes.js';
import type { AnswerHeaders } from './call.js';
import { createComparer, type Comparer, type SeenBodies } from './compare.js';
import { NoiseModel, type NoisePath } from './noise.js';
import { createRedactor, type Redactor } from './redact.js';
import { redactQuery } from './redact-url.js';

/** A route's comparison and redaction rules; `key` names them (the same key, the same rules). */
export interface JudgeRules {
  readonly key: string;
  readonly compare: CompareConfig;
  readonly redact: readonly string[];
}

/** One side's answer as the judge sees it. */
export interface JudgedAnswer {
  readonly status: number;
  readonly headers: AnswerHeaders;
  readonly body: Body | null;
  readonly ms: number;
  readonly error?: string;
}

/** One exchange to judge: plain data (with bodies as Buffers), so it can be posted to a thread. */
export interface JudgeJob {
  readonly route: string;
  readonly rules: JudgeRules;
  /** The record's id and time (epoch ms), made by the dispatcher: its clock and random source. */
  readonly id: string;
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  readonly primaryTarget: Target;
  readonly shadowTarget: Target;
  readonly primary: JudgedAnswer;
  readonly shadow: JudgedAnswer;
  /** The second call to the primary's side (noise learning), when one was made and answered. */
  readonly second: JudgedAnswer | null;
  /** The route's shadow.maxBodyBytes: recorded bodies over it are left out. */
  readonly cap: number;
}

export interface Verdict {
  readonly outcome: ComparisonOutcome;
  /** The record of a difference (noise included); null when the two were the same. */
  readonly record: DiffRecord | null;
}

export class Judge {
  private readonly rules = new Map<string, { key: string; comparer: Comparer; redactor: Redactor }>();
  private readonly models = new Map<string, NoiseModel>();

  /** The route's noise model (made on first use). */
  noiseFor(route: string): NoiseModel {
    let m = this.models.get(route);
    if (!m) this.models.set(route, (m = new NoiseModel()));
    return m;
  }

  /** Every route's learnt noise paths, routes in name order. */
  noise(): Record<string, NoisePath[]> {
    return Object.fromEntries([...this.models].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, m]) => [id, m.snapshot()]));
  }

  /** `n` comparisons on `route` that the dispatcher found the same. */
  same(route: string, n: number): void {
    this.noiseFor(route).observeSame(n);
  }

  judge(job: JudgeJob): Verdict {
    const { comparer, redactor } = this.rulesFor(job.route, job.rules);
    const noise = this.noiseFor(job.route);
    const { primary, shadow, second } = job;
    if (second !== null && second.error === undefined && !comparer.same(primary, second)) noise.observeSecondary(comparer.compare(primary, second));
    let differences: readonly Difference[];
    // The bodies the comparison joined and parsed, reused by the record.
    const seen: SeenBodies = {};
    if (shadow.error !== undefined) {
      differences = [{ path: 'status', kind: 'error', primary: primary.status, shadow: shadow.error }];
      noise.observe(differences, false);
    } else {
      differences = comparer.compare(primary, shadow, seen);
      noise.observe(differences, true);
    }
    if (differences.length === 0) return { outcome: 'same', record: null };
    const isNoise = noise.isNoise(differences);
    return { outcome: isNoise ? 'noise' : 'different', record: this.record(job, redactor, differences, isNoise, seen) };
  }

  private record(job: JudgeJob, redactor: Redactor, differences: readonly Difference[], noise: boolean, seen: SeenBodies): DiffRecord {
    const cap = job.cap;
    const response = (target: Target, a: JudgedAnswer, body: Buffer | undefined, json: unknown): RecordedResponse => ({
      target,
      status: a.status,
      headers: redactor.headers(a.headers),
      body: redactor.body(body ?? flatBody(a.body), headerString(a.headers['content-type']), cap, json),
      ms: Math.round(a.ms * 10) / 10,
      ...(a.error !== undefined && { error: a.error }),
    });
    return {
      id: job.id,
      at: new Date(job.at).toISOString(),
      route: job.route,
      request: {
        method: job.method,
        url: redactQuery(job.url),
        headers: redactor.headers(job.headers),
        body: redactor.body(job.body.length > 0 ? job.body : null, headerString(job.headers['content-type']), cap),
      },
      primary: response(job.primaryTarget, job.primary, seen.primaryBody, seen.primaryJson),
      shadow: response(job.shadowTarget, job.shadow, seen.shadowBody, seen.shadowJson),
      differences: redactor.differences(differences),
      noise,
    };
  }

  private rulesFor(route: string, rules: JudgeRules): { comparer: Comparer; redactor: Redactor } {
    const hit = this.rules.get(route);
    if (hit && hit.key === rules.key) return hit;
    const built = { key: rules.key, comparer: createComparer(rules.compare), redactor: createRedactor(rules.redact) };
    this.rules.set(route, built);
    return built;
  }
}

function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
