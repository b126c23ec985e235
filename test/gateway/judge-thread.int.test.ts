// The shadow judge in its own thread (the compiled one, as `ficus gateway` runs it) against the
// same judge in this thread: the same jobs give the same verdicts and records (the JudgePort
// contract), the noise model learns the same from both, the thread runs at nice 19 on Linux, a
// thread that dies fails only the jobs it held and is replaced (inline after too many deaths), and
// a real gateway shadowing differing answers records them through the thread.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildGateway, inlineJudge, judgeFor, parseGatewayConfig, threadJudge, type JudgePort } from '../../gateway/index.js';
import { judgeContract, judgedAnswer as answer, judgeJob as job, judgePortContract } from '../../gateway/shadow/judges.case.js';
import { REPO_ROOT } from '../harness/index.js';
import { jsonReply, startUpstream, type TestUpstream } from './upstream.js';

const SCRIPT = pathToFileURL(join(REPO_ROOT, 'dist', 'gateway', 'shadow', 'judge-thread.js'));
const silent = createLogger({ level: 'silent' });

judgePortContract('thread', async () => {
  const port = threadJudge(silent, { script: SCRIPT });
  expect(await port.ready).not.toBeNull();
  return { port, close: () => port.close() };
});

describe('shadow judge thread', () => {
  let dir: string;

  beforeAll(async () => {
    expect(existsSync(SCRIPT), 'run `npm run build` first (npm ci does)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'ficus-judge-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gives the verdicts and records the inline judge gives, from a thread at nice 19', async () => {
    const inline = inlineJudge();
    const thread = threadJudge(silent, { script: SCRIPT });
    try {
      const up = await thread.ready;
      expect(up).not.toBeNull();
      if (process.platform === 'linux') expect(up!.niced).toBe(true);
      expect(thread.where).toBe('thread');
      const a = await judgeContract(inline);
      const b = await judgeContract(thread);
      expect(b).toEqual(a);
    } finally {
      await thread.close();
    }
  });

  it('a thread that dies fails only the jobs it held; a new one takes the next; after maxRestarts the judge runs inline', async () => {
    const dying = join(dir, 'dying.mjs');
    await writeFile(
      dying,
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ ready: true, tid: undefined, niced: false, idle: false });
parentPort.on('message', (m) => { if (m.kind === 'judge') process.exit(3); });
`,
    );
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) } });
    const judge = threadJudge(logger, { script: pathToFileURL(dying), maxRestarts: 2 });
    try {
      await expect(judge.judge(job(answer({ a: 1 }), answer({ a: 2 })))).rejects.toThrow(/thread gone/);
      expect(judge.where).toBe('thread');
      await expect(judge.judge(job(answer({ a: 1 }), answer({ a: 2 })))).rejects.toThrow(/thread gone/);
      expect(judge.where).toBe('inline');
      const v = await judge.judge(job(answer({ a: 1 }), answer({ a: 2 })));
      expect(v.outcome).toBe('different');
      expect(lines.map((l) => l.msg)).toEqual(['shadow judge thread gone; its noise models are lost', 'shadow judge thread gone; its noise models are lost']);
      expect(lines[1]).toMatchObject({ deaths: 2, next: 'inline' });
    } finally {
      await judge.close();
    }
  });

  it('limits.shadowJudge: inline (the default) or thread', async () => {
    const ports = [judgeFor('inline', silent, SCRIPT), judgeFor('thread', silent, SCRIPT)];
    try {
      expect(ports.map((p) => p.where)).toEqual(['inline', 'thread']);
      expect(parseGatewayConfig('upstreams: { monolith: { url: http://127.0.0.1:1 } }\nroutes: []\n').limits).toMatchObject({
        shadowJudge: 'inline',
        shadowJudgeQueue: 1024,
        shadowJudgeBytes: 33_554_432,
      });
    } finally {
      for (const p of ports) await p.close();
    }
  });

  describe('in a gateway', () => {
    let mono: TestUpstream;
    let svc: TestUpstream;

    beforeAll(async () => {
      const reply = (price: number) =>
        jsonReply({ id: 1, price, items: Array.from({ length: 20 }, (_, i) => ({ i, name: `item ${i}` })) }, { 'set-cookie': 'sid=s3cr3t' });
      mono = await startUpstream(reply(10));
      svc = await startUpstream(reply(11));
    });

    afterAll(async () => {
      await mono?.close();
      await svc?.close();
    });

    /** One route shadowing the catalog, and `tail` (diffs, limits). */
    const shadowConfig = (tail: string) =>
      parseGatewayConfig(`
upstreams:
  monolith: { url: ${mono.url} }
  catalog: { url: ${svc.url} }
routes:
  - { id: products, match: { path: /products }, service: catalog, mode: shadow }
${tail}
accessLog: false
`);

    it('records every differing answer through the thread, with the counts and metrics the proxy thread keeps', async () => {
      const config = shadowConfig(`diffs: { store: ndjson, path: ${join(dir, 'diffs')} }`);
      const judge = threadJudge(silent, { script: SCRIPT });
      const gw = await buildGateway({ config, logger: silent, judge });
      try {
        expect(await judge.ready).not.toBeNull();
        const { port } = await gw.listen(0, '127.0.0.1');
        for (let i = 0; i < 20; i++) {
          const res = await request(`http://127.0.0.1:${port}/products/${i}`, { headers: { cookie: 'sid=client' } });
          expect(res.statusCode).toBe(200);
          expect(JSON.parse(await res.body.text()).price).toBe(10);
        }
        for (let i = 0; i < 200 && (gw.dispatcher.pending > 0 || gw.runtime.stats.snapshot('products').shadow.compared !== 20); i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(gw.runtime.stats.snapshot('products').shadow).toMatchObject({ compared: 20, different: 20, dropped: 0 });
        await gw.writer.flush();
        const records = await gw.store.list({ limit: 100 });
        expect(records).toHaveLength(20);
        expect(new Set(records.map((r) => r.id)).size).toBe(20);
        for (const r of records) {
          expect(r.differences).toEqual([{ path: '$.price', kind: 'changed', primary: 10, shadow: 11 }]);
          expect(r.request.headers.cookie).toBe('[redacted]');
          expect(r.shadow.headers['set-cookie']).toBe('[redacted]');
        }
        expect(await gw.runtime.metrics.registry.getSingleMetricAsString('ficus_gateway_shadow_total')).toMatch(/result="different"\} 20/);
      } finally {
        await gw.close(100);
      }
    });

    it('past limits.shadowJudgeBytes waiting for the judge, differing answers are dropped as judge-busy, and the slots are free meanwhile', async () => {
      const config = shadowConfig('diffs: { store: none }\nlimits: { shadowInFlight: 2, shadowJudgeBytes: 1 }');
      // A real judge whose verdicts wait until the test lets them go: the backlog stays full.
      const inner = inlineJudge();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const held: JudgePort = { ...inner, judge: async (job) => (await gate, inner.judge(job)) };
      const gw = await buildGateway({ config, logger: silent, judge: held });
      try {
        const { port } = await gw.listen(0, '127.0.0.1');
        for (let i = 0; i < 6; i++) {
          const res = await request(`http://127.0.0.1:${port}/products/${i}`);
          expect(res.statusCode).toBe(200);
          await res.body.dump();
          // The shadow answer arrives, the slot frees (in flight 2 would otherwise drop from the third on).
          for (let k = 0; k < 100 && gw.dispatcher.pending > 1; k++) await new Promise((r) => setTimeout(r, 5));
        }
        const before = gw.runtime.stats.snapshot('products').shadow;
        expect(before).toMatchObject({ compared: 0, dropped: 5 });
        expect(await gw.runtime.metrics.registry.getSingleMetricAsString('ficus_gateway_shadow_dropped_total')).toMatch(/reason="judge-busy"\} 5/);
        release();
        for (let k = 0; k < 100 && gw.dispatcher.pending > 0; k++) await new Promise((r) => setTimeout(r, 5));
        expect(gw.runtime.stats.snapshot('products').shadow).toMatchObject({ compared: 1, different: 1, dropped: 5 });
      } finally {
        release();
        await gw.close(100);
      }
    });
  });
});
