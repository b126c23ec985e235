// limits.shadowShare on a real gateway: when judging differing answers would take more than its
// share of the proxy's thread, the answers past it are dropped and counted (`judge-busy`), every
// primary answer is still served, and with a share of 1 nothing is dropped.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildGateway, inlineJudge, parseGatewayConfig, type JudgePort } from '../../gateway/index.js';
import { jsonReply, startUpstream, type TestUpstream } from './upstream.js';

const silent = createLogger({ level: 'silent' });

/** The real inline judge, made to cost `ms` of the proxy thread's time per job (as a large body's diff would). */
function costlyJudge(ms: number): JudgePort {
  const inner = inlineJudge();
  return {
    ...inner,
    judge: (job) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
      return inner.judge(job);
    },
  };
}

describe('limits.shadowShare', () => {
  let mono: TestUpstream;
  let svc: TestUpstream;

  beforeAll(async () => {
    mono = await startUpstream(jsonReply({ id: 1, price: 10 }));
    svc = await startUpstream(jsonReply({ id: 1, price: 11 }));
  });

  afterAll(async () => {
    await mono?.close();
    await svc?.close();
  });

  /** Sends `n` requests one after another through a gateway with `limits`; returns the route's shadow counts and drop metrics once every shadow call has settled. */
  async function run(limits: string, n: number) {
    const config = parseGatewayConfig(`
upstreams:
  monolith: { url: ${mono.url} }
  catalog: { url: ${svc.url} }
routes:
  - { id: products, match: { path: /products }, service: catalog, mode: shadow }
diffs: { store: none }
accessLog: false
limits: ${limits}
`);
    const gw = await buildGateway({ config, logger: silent, judge: costlyJudge(5) });
    try {
      const { port } = await gw.listen(0, '127.0.0.1');
      for (let i = 0; i < n; i++) {
        const res = await request(`http://127.0.0.1:${port}/products/${i}`);
        expect(res.statusCode).toBe(200);
        expect(JSON.parse(await res.body.text()).price).toBe(10);
      }
      for (let k = 0; k < 500 && gw.dispatcher.pending > 0; k++) await new Promise((r) => setTimeout(r, 5));
      return {
        shadow: gw.runtime.stats.snapshot('products').shadow,
        drops: await gw.runtime.metrics.registry.getSingleMetricAsString('ficus_gateway_shadow_dropped_total'),
      };
    } finally {
      await gw.close(100);
    }
  }

  it('drops differing answers past the share as judge-busy; the primary answers all the same', async () => {
    // 5 ms per judged answer against a share of 2 %: after the allowance's burst, one per 250 ms.
    const { shadow, drops } = await run('{ shadowShare: 0.02, shadowTurnMs: 1000 }', 40);
    expect(shadow.compared + shadow.dropped).toBe(40);
    expect(shadow.compared).toBeGreaterThan(0);
    expect(shadow.different).toBe(shadow.compared);
    expect(shadow.dropped).toBeGreaterThan(20);
    expect(drops).toMatch(new RegExp(`reason="judge-busy"\\} ${shadow.dropped}`));
  });

  it('with a share of 1 every answer is judged', async () => {
    const { shadow } = await run('{ shadowShare: 1, shadowTurnMs: 1000 }', 20);
    expect(shadow).toMatchObject({ compared: 20, different: 20, dropped: 0 });
  });
});
