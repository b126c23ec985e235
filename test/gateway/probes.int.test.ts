// The HTTP probe set against ficus: every probe of bench/gateway/probes/ (raw requests sent
// over TCP to a real gateway in front of two real upstreams on loopback) must get its status
// and leave the upstreams with what it expects — nothing, or exactly one request with the right
// method, path, body and headers (nothing smuggled: one answer per probe, no second request).
// After every probe a normal request is served, so no bad input breaks the gateway or loses the
// next request. probes-nginx.int.test.ts runs the same set against nginx.
// Shapes also covered in proxy.int.test.ts (a doubled CL with different values, the chunked
// DELETE to the monolith, %2e%2e under a route, //a/./b, %2F/%00/%zz/..) are not repeated here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H, PROBES, parseAnswer, runProbe, startFicusFront, startProbeUpstreams, type Front, type ProbeUpstreams } from '../../bench/gateway/probes/index.js';
import { rawRequest } from './upstream.js';

describe('gateway HTTP probe set', () => {
  let ups: ProbeUpstreams;
  let gw: Front;

  beforeAll(async () => {
    ups = await startProbeUpstreams();
    gw = await startFicusFront(ups);
  });

  afterAll(async () => {
    await gw?.close();
    await ups?.close();
  });

  PROBES.forEach((p, i) => {
    it(p.name, async () => {
      const answer = await runProbe(gw.port, ups, p, i);
      // One answer: nothing smuggled behind the probe was parsed as a second request.
      expect(answer.statuses).toEqual(p.status === null ? [] : [p.status]);
      if (p.json) {
        expect(answer.head).toMatch(/^content-type: application\/json/m);
        expect(typeof (JSON.parse(answer.body) as { error?: unknown }).error).toBe('string');
      }
      if (p.closes) expect(answer.head).toMatch(/^connection: close/m);
      if (p.tunnel) expect(answer.tunnel).toContain(p.tunnel.echo);
      const seen = answer.seen;
      expect(seen.some(({ r }) => r.url.includes('smuggled'))).toBe(false);
      if (p.upstream === null) {
        expect(seen).toEqual([]);
        // An upstream may have seen the start of a request the gateway then cut off (a bad chunk, a body over the limit): never one it finished.
        expect(answer.started.length).toBeLessThanOrEqual(1);
      } else {
        const e = p.upstream;
        expect(seen.map(({ side, r }) => `${side} ${r.method} ${r.url}`)).toEqual([`${e.side} ${e.method} ${e.url}`]);
        const got = seen[0]!.r;
        expect(got.body).toBe(e.body ?? '');
        for (const [h, v] of Object.entries(e.headers ?? {})) expect(got.headers[h], h).toBe(v);
      }
      // A client that left: the gateway cancelled the upstream request it had started.
      if (p.leaveAfterMs !== undefined) expect(answer.cancelled).toEqual([`${p.upstream!.side} GET ${p.upstream!.url}`]);
      // Nothing broken: the next ordinary request is served and reaches the monolith.
      expect(answer.next).toEqual({ status: 200, monolithUrl: `/after/${i}` });
    });
  });

  it('pipelined requests on one connection stay two requests, answered in order (the control for the probes above)', async () => {
    const m = ups.monolith.received.length;
    const s = ups.service.received.length;
    const answer = parseAnswer(await rawRequest(gw.port, `POST /p1 HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhelloGET /svc/p2 HTTP/1.1\r\n${H}\r\n`, 500));
    expect(answer.statuses).toEqual([200, 200]);
    const seen = [
      ...ups.monolith.received.slice(m).map((r) => `monolith ${r.method} ${r.url} ${r.body}`),
      ...ups.service.received.slice(s).map((r) => `service ${r.method} ${r.url} ${r.body}`),
    ];
    expect(seen).toEqual(['monolith POST /p1 hello', 'service GET /svc/p2 ']);
  });
});
