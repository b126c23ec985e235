/**
 * `ficus replay` run in-process (cli/run.ts, injected io) against real HTTP servers on
 * 127.0.0.1: records written as ndjson (the sample records, and records the real gateway made in
 * shadow mode) or to the machine's Postgres, replayed against targets that are fixed, still
 * broken, broken somewhere new, or not there; unsafe methods, --header, --route, --baseline,
 * --config compare rules, noise marks (recorded, and from the admin API), --concurrency, --rate,
 * and the bad inputs that exit 2.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { silentLogger } from '../../core/index.js';
import { buildAdmin, type AdminApp } from '../../gateway/admin/app.js';
import { buildGateway, inlineJudge, parseGatewayConfig, type DiffRecord, type Gateway, type ReplayResult } from '../../gateway/index.js';
import { createPostgresStore } from '../../gateway/store/index.js';
import { sampleRecord, sampleRecords } from '../../gateway/store/sample-records.js';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';
import { startUpstream, type Received, type TestUpstream } from './upstream.js';
import type { ServerResponse } from 'node:http';

interface Ran {
  code: number;
  out: string;
  err: string;
  result?: ReplayResult;
}

let dir: string;
let runs = 0;

async function ficus(argv: string[], env: Record<string, string> = {}): Promise<Ran> {
  let out = '';
  let err = '';
  const outDir = join(dir, `out-${++runs}`);
  const code = await run(['replay', ...argv, '--out', outDir], {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, cwd: dir, interactive: false },
  });
  let result: ReplayResult | undefined;
  try {
    result = JSON.parse(await readFile(join(outDir, 'replay.json'), 'utf8')) as ReplayResult;
  } catch {
    result = undefined;
  }
  return { code, out, err, result };
}

const n = (req: Received): number => Number(/\/products\/(\d+)/.exec(req.url)?.[1] ?? -1);
const json = (res: ServerResponse, body: unknown, type = 'application/json; charset=utf-8', extra: Record<string, string> = {}): void => {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...extra });
  res.end(text);
};

/** Answers as the recorded primary did (sample-records.ts): the bug is fixed. */
const fixedReply = (req: Received, res: ServerResponse): void =>
  json(res, { id: n(req), price: 12.5 + n(req), tags: ['a', 'b'] }, undefined, { 'set-cookie': 'sid=s3cr3t' });
/** Answers as the recorded shadow did: still broken. */
const brokenReply = (req: Received, res: ServerResponse): void => json(res, { id: n(req), price: 12.5 + n(req) + 0.01, tags: ['b', 'a'] }, 'application/json');
/** Fixed the recorded bug, broke the id. */
const newBugReply = (req: Received, res: ServerResponse): void => json(res, { id: n(req) + 1000, price: 12.5 + n(req), tags: ['a', 'b'] });

let fixed: TestUpstream;
let broken: TestUpstream;
let newBug: TestUpstream;
let deadUrl: string;
let records: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ficus-replay-'));
  [fixed, broken, newBug] = await Promise.all([startUpstream(fixedReply), startUpstream(brokenReply), startUpstream(newBugReply)]);
  const dead = await startUpstream();
  deadUrl = dead.url;
  await dead.close();
  // n = 0..5: POST for 0 and 3, GET otherwise; authorization recorded as [redacted].
  records = join(dir, 'diffs.ndjson');
  await writeFile(
    records,
    sampleRecords(6)
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
});

afterAll(async () => {
  await Promise.all([fixed?.close(), broken?.close(), newBug?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const classes = (r: Ran): string[] => r.result!.outcomes.map((o) => o.class);

describe('ficus replay against sample records', () => {
  it('a fixed target: every replayed record is fixed, POSTs skipped, exit 0', async () => {
    fixed.received.length = 0;
    const r = await ficus([records, '--target', fixed.url]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(classes(r)).toEqual(['skipped', 'fixed', 'fixed', 'skipped', 'fixed', 'fixed']);
    expect(r.result!.summary).toEqual({ total: 6, fixed: 4, stillDifferent: 0, newlyDifferent: 0, error: 0, skipped: 2 });
    expect(r.out).toMatch(/4 fixed, 0 still different, 0 newly different, 0 error, 2 skipped/);
    expect(r.out).toContain('replay.json');
    // Only the GETs reached the target, with path and query as recorded, without the redacted authorization.
    expect(fixed.received.map((q) => `${q.method} ${q.url}`).sort()).toEqual([1, 2, 4, 5].map((i) => `GET /products/${i}?expand=price&page=${i % 5}`).sort());
    for (const q of fixed.received) {
      expect(q.headers.authorization).toBeUndefined();
      expect(q.headers['x-request-id']).toMatch(/^req-\d$/);
    }
    const one = r.result!.outcomes[1]!;
    expect(one).toMatchObject({ id: sampleRecord(1).id, route: 'products', request: { method: 'GET' }, differences: [], newPaths: [] });
    expect(one.recorded).toEqual(sampleRecord(1).differences);
    expect(one.baseline).toEqual(sampleRecord(1).primary);
    // The target's answer is kept redacted, like a DiffRecord's.
    expect(one.target.headers['set-cookie']).toBe('[redacted]');
    expect(r.result!).toMatchObject({ schemaVersion: 1, kind: 'ficus-replay', source: records, target: `${fixed.url}/` });
  });

  it('a still-broken target: still-different, exit 1', async () => {
    const r = await ficus([records, '--target', broken.url]);
    expect(r.code).toBe(1);
    expect(r.result!.summary).toMatchObject({ stillDifferent: 4, newlyDifferent: 0, fixed: 0 });
    const o = r.result!.outcomes[1]!;
    expect(o.differences.map((d) => d.path).sort()).toEqual(['$.price', '$.tags[0]', '$.tags[1]', 'headers.content-type']);
    // $.tags[1] was not listed when recorded, but $.tags[0] was: the same field of the array ([*]), so not new.
    expect(o.newPaths).toEqual([]);
  });

  it('a target that fixed the recorded bug and broke another field: newly-different, exit 1', async () => {
    const r = await ficus([records, '--target', newBug.url]);
    expect(r.code).toBe(1);
    expect(r.result!.summary).toMatchObject({ newlyDifferent: 4, stillDifferent: 0 });
    expect(r.result!.outcomes[2]).toMatchObject({ class: 'newly-different', newPaths: ['$.id'] });
  });

  it('a dead target: error with the reason, exit 1', async () => {
    const r = await ficus([records, '--target', deadUrl, '--timeout', '2000']);
    expect(r.code).toBe(1);
    expect(r.result!.summary).toMatchObject({ error: 4, skipped: 2 });
    const o = r.result!.outcomes[1]!;
    expect(o.class).toBe('error');
    expect(o.reason).toMatch(/ECONNREFUSED/);
    expect(o.target).toMatchObject({ status: 0, error: 'ECONNREFUSED' });
  });

  it('re-sends POSTs, body included, only with --allow-unsafe', async () => {
    fixed.received.length = 0;
    const r = await ficus([records, '--target', fixed.url, '--allow-unsafe']);
    expect(r.code).toBe(0);
    expect(r.result!.summary).toMatchObject({ fixed: 6, skipped: 0 });
    const posts = fixed.received.filter((q) => q.method === 'POST');
    expect(posts.map((q) => q.body).sort()).toEqual([sampleRecord(0).request.body, sampleRecord(3).request.body].sort());
    expect(posts.every((q) => q.headers['content-length'] === String(Buffer.byteLength(q.body)))).toBe(true);
  });

  it('skips a request whose body was not recorded, even with --allow-unsafe', async () => {
    const r0 = sampleRecord(0);
    const file = join(dir, 'over-cap.ndjson');
    await writeFile(
      file,
      `${JSON.stringify({ ...r0, request: { ...r0.request, body: null, headers: { ...r0.request.headers, 'content-length': '5000000' } } })}\n`,
    );
    const r = await ficus([file, '--target', fixed.url, '--allow-unsafe']);
    expect(r.code).toBe(0);
    expect(r.result!.outcomes[0]).toMatchObject({ class: 'skipped', reason: expect.stringMatching(/not recorded/) });
  });

  it('--header supplies the redacted authorization (and more headers)', async () => {
    fixed.received.length = 0;
    const r = await ficus([records, '--target', fixed.url, '--header', 'Authorization: Bearer replay-token', '--header=X-Replay: yes']);
    expect(r.code).toBe(0);
    expect(fixed.received).toHaveLength(4);
    for (const q of fixed.received) {
      expect(q.headers.authorization).toBe('Bearer replay-token');
      expect(q.headers['x-replay']).toBe('yes');
    }
  });

  it('--route replays only that route', async () => {
    const file = join(dir, 'two-routes.ndjson');
    const mixed = sampleRecords(8, { route: (i) => (i % 2 === 0 ? 'products' : 'orders') });
    await writeFile(file, mixed.map((x) => JSON.stringify(x)).join('\n') + '\n');
    const r = await ficus([file, '--target', fixed.url, '--route', 'orders']);
    expect(r.result!.outcomes.map((o) => o.route)).toEqual(['orders', 'orders', 'orders', 'orders']);
    expect(r.result!.route).toBe('orders');
  });

  it('--baseline compares with a live baseline instead of the recorded primary', async () => {
    // The broken build against itself: the same answers, so nothing differs.
    const same = await ficus([records, '--target', broken.url, '--baseline', broken.url]);
    expect(same.code).toBe(0);
    expect(same.result!.summary).toMatchObject({ fixed: 4 });
    expect(same.result!.baseline).toBe(`${broken.url}/`);
    expect(same.result!.outcomes[1]!.baseline.target).toBe('monolith');
    // The fixed build against the broken one as baseline: the recorded paths differ again.
    const differ = await ficus([records, '--target', fixed.url, '--baseline', broken.url]);
    expect(differ.code).toBe(1);
    expect(differ.result!.summary).toMatchObject({ stillDifferent: 4 });
    // A dead baseline is an error, not a pass.
    const dead = await ficus([records, '--target', fixed.url, '--baseline', deadUrl]);
    expect(dead.code).toBe(1);
    expect(dead.result!.outcomes[1]).toMatchObject({ class: 'error', reason: expect.stringMatching(/baseline/) });
  });

  it('--config applies the route compare rules; recorded noise paths are not counted', async () => {
    const config = join(dir, 'ficus.gateway.yaml');
    await writeFile(
      config,
      `upstreams:\n  monolith: { url: "http://127.0.0.1:9" }\n  catalog: { url: "http://127.0.0.1:9" }\nroutes:\n  - id: products\n    match: { path: /products }\n    service: catalog\n    mode: shadow\n    shadow: { compare: { ignore: ["$.id"] } }\ndiffs: { store: none }\n`,
    );
    const withRules = await ficus([records, '--target', newBug.url, '--config', config]);
    expect(withRules.code).toBe(0);
    expect(withRules.result!.summary).toMatchObject({ fixed: 4 });

    // A record marked noise on $.id makes $.id a noise path of the route.
    const file = join(dir, 'with-noise.ndjson');
    const noisy: DiffRecord = { ...sampleRecord(7), differences: [{ path: '$.id', kind: 'changed', primary: 7, shadow: 8 }], noise: true };
    await writeFile(file, [...sampleRecords(3), noisy].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const r = await ficus([file, '--target', newBug.url]);
    expect(r.code).toBe(0);
    expect(r.result!.summary).toMatchObject({ total: 3, fixed: 2, skipped: 1 });
    expect(r.result!.outcomes[1]!.noise).toEqual([{ path: '$.id', kind: 'changed', primary: 1, shadow: 1001 }]);
  });

  it('--concurrency bounds the requests in flight; --rate spaces them', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = await startUpstream((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        fixedReply(req, res);
      }, 40);
    });
    try {
      const file = join(dir, 'many.ndjson');
      await writeFile(
        file,
        sampleRecords(12, { start: 100 })
          .map((x) => JSON.stringify(x))
          .join('\n') + '\n',
      );
      const r = await ficus([file, '--target', slow.url, '--concurrency', '2']);
      expect(r.result!.summary.fixed).toBe(8);
      expect(most).toBe(2);
      const t0 = performance.now();
      const paced = await ficus([file, '--target', fixed.url, '--rate', '40']);
      expect(paced.result!.summary.fixed).toBe(8);
      // 8 requests at 40/s: the last starts 7 × 25 ms after the first.
      expect(performance.now() - t0).toBeGreaterThanOrEqual(170);
    } finally {
      await slow.close();
    }
  });
});

describe('ficus replay: bad input exits 2 with a code and no stack', () => {
  const expectUsage = (r: Ran, code: string): void => {
    expect(r.code).toBe(2);
    expect(r.err).toContain(`[${code}]`);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  };

  it('a missing file', async () => {
    expectUsage(await ficus([join(dir, 'nope.ndjson'), '--target', fixed.url]), 'GW_REPLAY_INPUT');
  });

  it('a file that is not ndjson names the line', async () => {
    const file = join(dir, 'pretty.json');
    await writeFile(file, `${JSON.stringify(sampleRecord(1))}\n${JSON.stringify(sampleRecord(2), null, 2)}\n`);
    const r = await ficus([file, '--target', fixed.url]);
    expectUsage(r, 'GW_REPLAY_INPUT');
    expect(r.err).toContain(`${file}:2`);
  });

  it('a folder without diffs', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'));
    expectUsage(await ficus([empty, '--target', fixed.url]), 'GW_REPLAY_INPUT');
  });

  it('a bad target or baseline URL', async () => {
    expectUsage(await ficus([records, '--target', 'not a url']), 'GW_REPLAY_OPTION');
    expectUsage(await ficus([records, '--target', fixed.url, '--baseline', 'ftp://x']), 'GW_REPLAY_OPTION');
  });

  it('a bad Postgres URL', async () => {
    expectUsage(await ficus(['postgres://', '--target', fixed.url]), 'GW_REPLAY_INPUT');
  });

  it('a bad --header, --concurrency or missing --target', async () => {
    expectUsage(await ficus([records, '--target', fixed.url, '--header', 'no colon here']), 'CLI_BAD_VALUE');
    expectUsage(await ficus([records, '--target', fixed.url, '--header', 'Bad Name: x']), 'CLI_BAD_VALUE');
    expectUsage(await ficus([records, '--target', fixed.url, '--concurrency', '0']), 'CLI_BAD_VALUE');
    expectUsage(await ficus([records]), 'CLI_USAGE');
  });
});

describe('ficus replay from a Postgres diff store', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('replay');
    const store = await createPostgresStore({ url: db.url, table: 'replay_diffs' });
    await store.write(sampleRecords(6, { route: (i) => (i < 4 ? 'products' : 'orders') }));
    await store.close();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('reads the records (table and route named) and replays them', async () => {
    const r = await ficus([db.url, '--table', 'replay_diffs', '--route', 'products', '--target', fixed.url]);
    expect(r.code).toBe(0);
    expect(r.result!.summary).toEqual({ total: 4, fixed: 2, stillDifferent: 0, newlyDifferent: 0, error: 0, skipped: 2 });
    expect(r.result!.outcomes.map((o) => o.id)).toEqual(sampleRecords(4).map((x) => x.id));
  });
});

describe('ficus replay of what the real gateway recorded in shadow mode', () => {
  let monolith: TestUpstream;
  let service: TestUpstream;
  let fixedService: TestUpstream;
  let gw: Gateway;
  let admin: AdminApp;
  let diffs: string;
  let configFile: string;
  const TOKEN = 'replay-admin-token-0123456789';
  const judge = inlineJudge();
  const item = (req: Received, price: number, extra: Record<string, unknown> = {}) => ({ id: n(req), name: 'Lamp', price, ...extra });

  beforeAll(async () => {
    monolith = await startUpstream((req, res) => json(res, item(req, 10)));
    service = await startUpstream((req, res) => json(res, item(req, 11)));
    fixedService = await startUpstream((req, res) => json(res, item(req, 10, { servedAt: Date.now() })));
    diffs = await mkdtemp(join(dir, 'gw-diffs-'));
    configFile = join(dir, 'gw.yaml');
    const yaml = `
admin: { token: ${TOKEN} }
upstreams:
  monolith: { url: ${monolith.url} }
  catalog: { url: ${service.url} }
routes:
  - id: products
    match: { path: /products }
    service: catalog
    mode: shadow
    shadow: { compare: { ignore: [headers.date] } }
diffs: { store: ndjson, path: ${diffs} }
`;
    await writeFile(configFile, yaml);
    // In this thread, so the test can teach its noise model.
    gw = await buildGateway({ config: parseGatewayConfig(yaml), logger: silentLogger(), judge });
    const base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
    admin = buildAdmin(gw, { logger: silentLogger() });
    await admin.listen({ host: '127.0.0.1', port: 0 });
    for (let i = 1; i <= 3; i++) await (await fetch(`${base}/products/${i}`, { headers: { authorization: 'Bearer client' } })).text();
    for (let i = 0; i < 100 && gw.dispatcher.pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await gw.writer.flush();
  });

  afterAll(async () => {
    await admin?.close();
    await gw?.close(200);
    await Promise.all([monolith?.close(), service?.close(), fixedService?.close()]);
  });

  it('recorded the price difference; the broken service replays as still-different, the source read from --config', async () => {
    const r = await ficus(['--config', configFile, '--target', service.url]);
    expect(r.code).toBe(1);
    expect(r.result!.summary).toMatchObject({ total: 3, stillDifferent: 3 });
    expect(r.result!.source).toBe(diffs);
    expect(r.result!.outcomes[0]!.recorded.map((d) => d.path)).toEqual(['$.price']);
  });

  it('a fixed build that adds a field: newly-different, unless the running gateway learnt the field as noise (--admin)', async () => {
    const plain = await ficus([diffs, '--config', configFile, '--target', fixedService.url]);
    expect(plain.code).toBe(1);
    expect(plain.result!.summary).toMatchObject({ newlyDifferent: 3 });
    expect(plain.result!.outcomes[0]!.newPaths).toEqual(['$.servedAt']);

    const model = judge.model.noiseFor('products');
    for (let i = 0; i < 2; i++) model.observeSecondary([{ path: '$.servedAt', kind: 'changed', primary: i, shadow: i + 1 }]);
    const address = admin.server.address();
    if (address === null || typeof address === 'string') throw new Error('no admin address');
    const withNoise = await ficus([diffs, '--config', configFile, '--target', fixedService.url, '--admin', `http://127.0.0.1:${address.port}`], {
      FICUS_ADMIN_TOKEN: TOKEN,
    });
    expect(withNoise.err).toBe('');
    expect(withNoise.code).toBe(0);
    expect(withNoise.result!.summary).toMatchObject({ fixed: 3 });
    expect(withNoise.result!.outcomes[0]!.noise.map((d) => d.path)).toEqual(['$.servedAt']);
  });
});
