// The HTTP probe set of probes.int.test.ts against Debian's nginx as the reverse proxy, in front
// of the same recording upstreams with the same routes and limits (bench/gateway/probes/fronts.ts
// writes its config). nginx is held to the safety property, not to ficus's statuses: nothing
// hidden in a probe reaches an upstream, the upstreams began at most one request and completed at
// most one, and the next ordinary request is served; the WebSocket probe tunnels and the client
// abort cancels. `npm run bench -- probes` tabulates where the two fronts differ.
// A missing nginx fails the run (test/harness: a missing service is a failure, never a skip).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H, PROBES, parseAnswer, runProbe, startNginxFront, startProbeUpstreams, type Front, type ProbeUpstreams } from '../../bench/gateway/probes/index.js';
import { nginxPath } from '../harness/index.js';
import { rawRequest } from './upstream.js';

describe('gateway HTTP probe set against nginx', () => {
  let ups: ProbeUpstreams;
  let nginx: Front;

  beforeAll(async () => {
    const bin = nginxPath();
    ups = await startProbeUpstreams();
    nginx = await startNginxFront(ups, bin);
  });

  afterAll(async () => {
    await nginx?.close();
    await ups?.close();
  });

  PROBES.forEach((p, i) => {
    it(p.name, async () => {
      const o = await runProbe(nginx.port, ups, p, i);
      const lines = o.seen.map(({ side, r }) => `${side} ${r.method} ${r.url}`);
      expect([...lines, ...o.started].filter((l) => l.includes('smuggled'))).toEqual([]);
      expect(o.seen.length, lines.join('; ')).toBeLessThanOrEqual(1);
      expect(o.started.length, o.started.join('; ')).toBeLessThanOrEqual(1);
      if (p.tunnel) expect(o.tunnel).toContain(p.tunnel.echo);
      if (p.leaveAfterMs !== undefined) expect(o.cancelled).toHaveLength(1);
      expect(o.next).toEqual({ status: 200, monolithUrl: `/after/${i}` });
    });
  });

  it('pipelined requests on one connection stay two requests (the control for the probes above)', async () => {
    const m = ups.monolith.received.length;
    const s = ups.service.received.length;
    const answer = parseAnswer(await rawRequest(nginx.port, `POST /p1 HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhelloGET /svc/p2 HTTP/1.1\r\n${H}\r\n`, 500));
    expect(answer.statuses).toEqual([200, 200]);
    const seen = [
      ...ups.monolith.received.slice(m).map((r) => `monolith ${r.method} ${r.url} ${r.body}`),
      ...ups.service.received.slice(s).map((r) => `service ${r.method} ${r.url} ${r.body}`),
    ];
    expect(seen).toEqual(['monolith POST /p1 hello', 'service GET /svc/p2 ']);
  });
});
