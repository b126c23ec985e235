/**
 * The contract every JudgePort passes (STYLE.md rule 6), run by each implementation's test:
 *
 *   judgePortContract('inline', async () => ({ port: inlineJudge(), close: async () => undefined }));
 *
 * Given the same jobs, a port gives: `same` for JSON equal but for formatting, key order and an
 * unordered array; a redacted record for a difference (secret members, configured paths, cookies,
 * the query's token); an error record, not learnt from, for no answer; a body difference for
 * text; noise once a secondary call showed a field changing; new rules for a route from its next
 * job; and noise paths that count the comparisons `same(route, n)` reported. `judgeJob` and
 * `judgedAnswer` build jobs for other tests.
 */
import { describe, expect, it } from 'vitest';
import type { JudgedAnswer, JudgeJob } from './judge.js';
import type { JudgePort } from './judges.js';

const rules = {
  key: 'k1',
  compare: { ignore: ['$.at'], unorderedArrays: ['$.tags'], numericTolerance: 0, headers: ['content-type'] },
  redact: ['$.owner.ssn'],
};
export const judgedAnswer = (body: unknown, o: Partial<JudgedAnswer> = {}): JudgedAnswer => ({
  status: 200,
  headers: { 'content-type': 'application/json', 'set-cookie': 'sid=abc' },
  body: body === null ? null : [Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))],
  ms: 1.23,
  ...o,
});
let n = 0;
export const judgeJob = (primary: JudgedAnswer, shadow: JudgedAnswer, o: Partial<JudgeJob> = {}): JudgeJob => ({
  route: 'products',
  rules,
  id: `id-${++n}`,
  at: Date.UTC(2026, 11, 3, 12, 0, n),
  method: 'GET',
  url: '/products/1?token=s3cret&q=lamp',
  headers: { authorization: 'Bearer xyz', accept: 'application/json' },
  body: Buffer.alloc(0),
  primaryTarget: 'monolith',
  shadowTarget: 'service',
  primary,
  shadow,
  second: null,
  cap: 1_048_576,
  ...o,
});

/** What each port must do with the same jobs; returns what it gave, for comparing ports with each other. */
export async function judgeContract(port: JudgePort): Promise<unknown[]> {
  n = 0;
  const out: unknown[] = [];
  // JSON that differs only in formatting, key order and an unordered array: the same.
  const same = await port.judge(judgeJob(judgedAnswer({ a: 1, tags: ['x', 'y'] }), judgedAnswer('{ "tags": ["y","x"], "a": 1 }')));
  expect(same).toEqual({ outcome: 'same', record: null });
  out.push(same);
  // A changed price and a secret: one record, redacted.
  const diff = await port.judge(
    judgeJob(judgedAnswer({ id: 1, price: 10, owner: { ssn: '123', token: 't' } }), judgedAnswer({ id: 1, price: 11, owner: { ssn: '456', token: 'u' } })),
  );
  expect(diff.outcome).toBe('different');
  const r = diff.record!;
  expect(r).toMatchObject({ id: `id-${n}`, at: new Date(Date.UTC(2026, 11, 3, 12, 0, n)).toISOString(), route: 'products', noise: false });
  expect(r.differences.map((d) => d.path)).toEqual(['$.price', '$.owner.ssn', '$.owner.token']);
  expect(r.differences.find((d) => d.path === '$.owner.ssn')).toMatchObject({ primary: '[redacted]', shadow: '[redacted]' });
  expect(r.request).toMatchObject({ method: 'GET', url: '/products/1?token=[redacted]&q=lamp', headers: { authorization: '[redacted]' } });
  expect(r.primary.headers['set-cookie']).toBe('[redacted]');
  expect(JSON.parse(r.shadow.body!)).toEqual({ id: 1, price: 11, owner: { ssn: '[redacted]', token: '[redacted]' } });
  expect(r.primary).toMatchObject({ target: 'monolith', status: 200, ms: 1.2 });
  out.push(diff);
  // No answer: an error record, not learnt from.
  const err = await port.judge(judgeJob(judgedAnswer({ id: 1 }), judgedAnswer(null, { status: 0, headers: {}, error: 'UND_ERR_CONNECT_TIMEOUT' })));
  expect(err.outcome).toBe('different');
  expect(err.record!.differences).toEqual([{ path: 'status', kind: 'error', primary: 200, shadow: 'UND_ERR_CONNECT_TIMEOUT' }]);
  expect(err.record!.shadow.error).toBe('UND_ERR_CONNECT_TIMEOUT');
  out.push(err);
  // Plain text bodies: one body difference with excerpts.
  const text = await port.judge(
    judgeJob(
      judgedAnswer('hello world', { headers: { 'content-type': 'text/plain' } }),
      judgedAnswer('hello there', { headers: { 'content-type': 'text/plain' } }),
    ),
  );
  expect(text.record!.differences).toEqual([expect.objectContaining({ path: 'body', kind: 'body' })]);
  out.push(text);
  // A field that the secondary call (the primary's side again) shows changing is noise from then on.
  for (let i = 0; i < 2; i++)
    await port.judge(
      judgeJob(judgedAnswer({ id: 1, servedAt: i }), judgedAnswer({ id: 1, servedAt: i }), { second: judgedAnswer({ id: 1, servedAt: i + 10 }) }),
    );
  const noisy = await port.judge(judgeJob(judgedAnswer({ id: 1, servedAt: 1 }), judgedAnswer({ id: 1, servedAt: 2 })));
  expect(noisy.outcome).toBe('noise');
  expect(noisy.record!.noise).toBe(true);
  out.push(noisy);
  // Rules that change for the route are used from the next job on.
  const ignored = await port.judge(
    judgeJob(judgedAnswer({ id: 1, price: 10 }), judgedAnswer({ id: 1, price: 11 }), {
      rules: { ...rules, key: 'k2', compare: { ...rules.compare, ignore: ['$.price'] } },
    }),
  );
  expect(ignored.outcome).toBe('same');
  out.push(ignored);
  port.same('products', 5);
  const noise = await port.noise();
  expect(noise.products).toEqual([expect.objectContaining({ path: '$.servedAt', reason: 'secondary', secondary: 2 })]);
  // Comparisons since the path was first seen (after 3): 7 judged and learnt from (not the error), plus the 5 the dispatcher settled.
  expect(noise.products![0]!.comparisons).toBe(7 + 5 - 3);
  out.push(noise);
  return out;
}

export function judgePortContract(name: string, open: () => Promise<{ port: JudgePort; close: () => Promise<void> }>): void {
  describe(`JudgePort contract: ${name}`, () => {
    it('judges, redacts, records and learns noise as every port must', async () => {
      const { port, close } = await open();
      try {
        await judgeContract(port);
      } finally {
        await close();
      }
    });
  });
}
