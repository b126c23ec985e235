// One shadow-side call (gateway/shadow/call.ts) against real loopback upstreams: what is sent,
// the answer collected (one chunk or many, over the cap, after a 1xx), failures as answers with
// their undici code, and the circuit breaker's part (an open circuit dials nothing).
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUpstream, closeUpstreams, type Upstream } from '../../gateway/proxy/upstreams.js';
import { flatBody } from '../../gateway/shadow/bytes.js';
import { callSide, CIRCUIT_OPEN } from '../../gateway/shadow/call.js';
import { startUpstream, type TestUpstream } from './upstream.js';

const request = { method: 'GET', url: '/items?q=1', headers: { host: 'client.example', 'x-forwarded-for': '10.0.0.1' }, body: Buffer.alloc(0) };

function upstreamAt(url: string, options: { hostRewrite?: boolean; timeoutMs?: number } = {}): Upstream {
  return createUpstream('svc', { url, timeoutMs: options.timeoutMs ?? 5_000, connections: 4, hostRewrite: options.hostRewrite ?? false });
}

describe('a shadow-side call', () => {
  let server: TestUpstream;
  const opened: Upstream[] = [];
  const open = (url: string, options?: { hostRewrite?: boolean; timeoutMs?: number }): Upstream => {
    const up = upstreamAt(url, options);
    opened.push(up);
    return up;
  };

  beforeAll(async () => {
    server = await startUpstream();
  });
  afterEach(async () => {
    await closeUpstreams(opened.splice(0));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends the forwarded request below the base path and collects status, headers and body', async () => {
    server.reply = (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-version': '2' });
      res.end('{"ok":true}');
    };
    const up = open(`${server.url}/base/`);
    const a = await callSide(up, { ...request, method: 'POST', body: Buffer.from('{"n":1}') }, 2_000, 1024);
    expect(a.error).toBeUndefined();
    expect(a.status).toBe(201);
    expect(a.headers['content-type']).toBe('application/json');
    expect(a.headers['x-version']).toBe('2');
    expect(flatBody(a.body)?.toString()).toBe('{"ok":true}');
    expect(a.ms).toBeGreaterThan(0);
    const got = server.received.at(-1)!;
    expect(got).toMatchObject({ method: 'POST', url: '/base/items?q=1', body: '{"n":1}' });
    expect(got.headers.host).toBe('client.example');
    expect(got.headers['x-forwarded-for']).toBe('10.0.0.1');
  });

  it('sends the upstream host with hostRewrite', async () => {
    server.reply = (_req, res) => res.end('x');
    const up = open(server.url, { hostRewrite: true });
    await callSide(up, request, 2_000, 1024);
    expect(server.received.at(-1)!.headers.host).toBe(`127.0.0.1:${server.port}`);
  });

  it('joins a body sent in many chunks, and drops one over the cap while reading it to the end', async () => {
    const part = 'x'.repeat(10_000);
    server.reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const next = (): void => {
        if (n++ === 20) return void res.end();
        res.write(part);
        setImmediate(next);
      };
      next();
    };
    const up = open(server.url);
    const whole = await callSide(up, request, 2_000, 1_000_000);
    // Kept as the chunks it arrived in (not joined); together they are the whole body.
    expect(Array.isArray(whole.body)).toBe(true);
    expect(flatBody(whole.body)?.length).toBe(200_000);
    expect(flatBody(whole.body)?.equals(Buffer.from(part.repeat(20)))).toBe(true);
    const over = await callSide(up, request, 2_000, 50_000);
    expect(over.status).toBe(200);
    expect(over.body).toBeNull();
    expect(over.error).toBeUndefined();
    expect(up.breaker.state).toBe('closed');
  });

  it('an empty body is an empty Buffer, and a 1xx before the answer is skipped', async () => {
    server.reply = (_req, res) => {
      res.writeEarlyHints({ link: '</a.css>; rel=preload' });
      res.writeHead(204);
      res.end();
    };
    const a = await callSide(open(server.url), request, 2_000, 1024);
    expect(a.status).toBe(204);
    expect(flatBody(a.body)?.length).toBe(0);
  });

  it('a 5xx is an answer (the side is up): the breaker stays closed', async () => {
    server.reply = (_req, res) => {
      res.writeHead(503);
      res.end('down for maintenance');
    };
    const up = open(server.url);
    for (let i = 0; i < 6; i++) expect((await callSide(up, request, 2_000, 1024)).status).toBe(503);
    expect(up.breaker.state).toBe('closed');
  });

  it('a refused connection is an answer with its code and counts against the breaker, which then stops the calls', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as net.AddressInfo;
    await new Promise<void>((r) => s.close(() => r()));
    const up = open(`http://127.0.0.1:${port}`);
    const first = await callSide(up, request, 2_000, 1024);
    expect(first).toMatchObject({ status: 0, body: null, error: 'ECONNREFUSED' });
    for (let i = 0; i < 4; i++) await callSide(up, request, 2_000, 1024);
    expect(up.breaker.state).toBe('open');
    const skipped = await callSide(up, request, 2_000, 1024);
    expect(skipped).toMatchObject({ status: 0, body: null, ms: 0, error: CIRCUIT_OPEN });
  });

  it('times out on undici’s headersTimeout, with no timer of its own', async () => {
    const hung = net.createServer(() => undefined);
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    try {
      const up = open(`http://127.0.0.1:${(hung.address() as net.AddressInfo).port}`);
      const a = await callSide(up, request, 150, 1024);
      expect(a.error).toBe('UND_ERR_HEADERS_TIMEOUT');
      expect(a.ms).toBeGreaterThanOrEqual(100);
      expect(up.breaker.state).toBe('closed'); // one failure: not yet open
    } finally {
      hung.close();
    }
  });

  it('a request undici refuses to send (bad header value) is an answer with the error, not a throw', async () => {
    const up = open(server.url);
    const a = await callSide(up, { ...request, headers: { 'x-bad': 'a\r\nb' } }, 2_000, 1024);
    expect(a.status).toBe(0);
    expect(a.error).toBeDefined();
  });
});
