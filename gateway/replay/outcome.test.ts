import { describe, expect, it } from 'vitest';
import type { DiffRecord } from '../model.js';
import { sampleRecord } from '../store/sample-records.js';
import { liveSide, outcomeOf, recordedSide } from './outcome.js';
import { routeRules } from './rules.js';
import type { Answer } from './send.js';

const rules = routeRules()('products');
const none = new Set<string>();
const answer = (body: string, headers: Answer['headers'] = { 'content-type': 'application/json; charset=utf-8' }, status = 200): Answer => ({
  status,
  headers,
  body: Buffer.from(body),
  ms: 3.14159,
});

function withPrimary(primary: Partial<DiffRecord['primary']>): DiffRecord {
  const r = sampleRecord(1);
  return { ...r, primary: { ...r.primary, ...primary } };
}

describe('outcomeOf', () => {
  it('compares redacted with redacted: a secret hidden in the recording is no difference', () => {
    const r = withPrimary({ body: '{"user":"ann","password":"[redacted]"}' });
    const o = outcomeOf(r, recordedSide(r), liveSide('service', answer('{"user":"ann","password":"hunter2"}'), rules), rules, none, false);
    expect(o.class).toBe('fixed');
    expect(o.target.body).toBe('{"user":"ann","password":"[redacted]"}');
    expect(o.target.ms).toBe(3.1);
  });

  it('leaves out a recorded body that was not kept (null, not provably empty) but still compares the status', () => {
    const r = withPrimary({ body: null });
    expect(outcomeOf(r, recordedSide(r), liveSide('service', answer('{"any":1}'), rules), rules, none, false).class).toBe('fixed');
    const o = outcomeOf(r, recordedSide(r), liveSide('service', answer('{"any":1}', undefined, 500), rules), rules, none, false);
    expect(o.class).toBe('newly-different');
    expect(o.newPaths).toEqual(['status']);
  });

  it('compares a recorded empty body (content-length 0) with the body now', () => {
    const r = withPrimary({ body: null, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '0' } });
    const o = outcomeOf(r, recordedSide(r), liveSide('service', answer('{"any":1}'), rules), rules, none, false);
    expect(o.differences.map((d) => d.path)).toEqual(['body']);
  });

  it('is an error when the recorded primary was no answer and there is no live baseline', () => {
    const r = withPrimary({ status: 502, body: null, error: 'ECONNRESET' });
    const o = outcomeOf(r, recordedSide(r), liveSide('service', answer('{}'), rules), rules, none, false);
    expect(o.class).toBe('error');
    expect(o.reason).toMatch(/--baseline/);
    expect(o.differences).toEqual([{ path: 'status', kind: 'error', primary: 'ECONNRESET', shadow: 200 }]);
  });
});
