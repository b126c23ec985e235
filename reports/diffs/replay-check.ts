/**
 * Checking a parsed replay.json against the ReplayResult contract (gateway/replay/model.ts)
 * before rendering it, so a hand-edited or truncated file gets an RPT_REPLAY_INVALID error that
 * names the file and the field (`outcomes[3].class`) and says what would be valid.
 */
import { FicusError } from '../../core/index.js';
import { REPLAY_CLASSES, REPLAY_SCHEMA_VERSION, type ReplayResult } from '../../gateway/index.js';
import { ReportErrorCode } from '../errors.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Problem extends Error {
  constructor(
    readonly field: string,
    readonly want: string,
  ) {
    super(`${field} ${want}`);
  }
}

function need(ok: boolean, field: string, want: string): void {
  if (!ok) throw new Problem(field, want);
}

function str(o: Obj, key: string, at: string, optional = false): void {
  const v = o[key];
  need(typeof v === 'string' || (optional && v === undefined), `${at}${key}`, 'must be a string');
}

function response(v: unknown, at: string): void {
  need(isObj(v), at, 'must be an object (a recorded response)');
  const r = v as Obj;
  need(typeof r.status === 'number', `${at}.status`, 'must be a number');
  need(isObj(r.headers), `${at}.headers`, 'must be an object');
  need(typeof r.body === 'string' || r.body === null, `${at}.body`, 'must be a string or null');
  need(typeof r.ms === 'number', `${at}.ms`, 'must be a number');
  str(r, 'target', `${at}.`);
  str(r, 'error', `${at}.`, true);
}

function differences(v: unknown, at: string): void {
  need(Array.isArray(v), at, 'must be an array of differences');
  (v as unknown[]).forEach((d, i) => {
    need(isObj(d) && typeof d.path === 'string' && typeof d.kind === 'string', `${at}[${i}]`, 'must be a difference ({ path, kind, primary?, shadow? })');
  });
}

function outcome(v: unknown, at: string): void {
  need(isObj(v), at, 'must be an object (a replay outcome)');
  const o = v as Obj;
  for (const key of ['id', 'route', 'recordedAt']) str(o, key, `${at}.`);
  str(o, 'reason', `${at}.`, true);
  need(REPLAY_CLASSES.includes(o.class as (typeof REPLAY_CLASSES)[number]), `${at}.class`, `must be one of ${REPLAY_CLASSES.join(', ')}`);
  need(isObj(o.request) && typeof o.request.method === 'string' && typeof o.request.url === 'string', `${at}.request`, 'must be { method, url }');
  for (const key of ['recorded', 'differences', 'noise']) differences(o[key], `${at}.${key}`);
  need(Array.isArray(o.newPaths) && o.newPaths.every((p) => typeof p === 'string'), `${at}.newPaths`, 'must be an array of paths');
  response(o.baseline, `${at}.baseline`);
  response(o.target, `${at}.target`);
}

/** The value as a ReplayResult; throws RPT_REPLAY_INVALID naming `file` and the first bad field. */
export function checkReplayResult(value: unknown, file: string): ReplayResult {
  try {
    need(isObj(value), '(top level)', 'must be a JSON object');
    const r = value as Obj;
    need(r.kind === 'ficus-replay', 'kind', 'must be "ficus-replay"');
    need(
      r.schemaVersion === REPLAY_SCHEMA_VERSION,
      'schemaVersion',
      `must be ${REPLAY_SCHEMA_VERSION} (this ficus reads replay results of schema version ${REPLAY_SCHEMA_VERSION})`,
    );
    for (const key of ['at', 'source', 'target']) str(r, key, '');
    str(r, 'baseline', '', true);
    str(r, 'route', '', true);
    need(isObj(r.summary), 'summary', 'must be an object');
    for (const key of ['total', 'fixed', 'stillDifferent', 'newlyDifferent', 'error', 'skipped']) {
      need(typeof (r.summary as Obj)[key] === 'number', `summary.${key}`, 'must be a number');
    }
    need(Array.isArray(r.outcomes), 'outcomes', 'must be an array');
    (r.outcomes as unknown[]).forEach((o, i) => outcome(o, `outcomes[${i}]`));
    return value as ReplayResult;
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    throw new FicusError(ReportErrorCode.REPLAY_INVALID, `${file}: ${err.field} ${err.want}; a replay.json is written by ficus replay`, {
      details: { file, field: err.field },
      exitCode: 2,
    });
  }
}
