// The gateway's data plane against real HTTP upstreams on loopback: header hygiene, forwarding
// headers, request-smuggling shapes, streaming both ways, client aborts, timeouts and
// connection failures, fallback, limits, path normalisation and upgrades.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildGateway, parseGatewayConfig, type Gateway } from '../../gateway/index.js';
import { rawRequest, startUpstream, type TestUpstream } from './upstream.js';

describe('gateway proxy', () => {
  let monolith: TestUpstream;
  let service: TestUpstream;
  let slow: TestUpstream;
  let gw: Gateway;
  let port: number;
  let base: string;
  let deadPort: number;

  beforeAll(async () => {
    monolith = await startUpstream();
    service = await startUpstream();
    slow = await startUpstream(() => undefined); // never answers
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    deadPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const config = parseGatewayConfig(`
upstreams:
  monolith: { url: ${monolith.url} }
  svc: { url: ${service.url} }
  rewritten: { url: ${service.url}, hostRewrite: true }
  slow: { url: ${slow.url}, timeoutMs: 300 }
  dead: { url: http://127.0.0.1:${deadPort}, timeoutMs: 500 }
routes:
  - { id: svc, match: { path: /svc }, service: svc, mode: service }
  - { id: rewritten, match: { path: /rewritten }, service: rewritten, mode: service }
  - { id: slow, match: { path: /slow }, service: slow, mode: service, fallback: false }
  - { id: dead, match: { path: /dead }, service: dead, mode: service, fallback: false }
  - { id: fallback, match: { path: /fb }, service: dead, mode: service }
limits: { maxBodyBytes: 1000, maxHeaderBytes: 4096 }
diffs: { store: none }
`);
    gw = await buildGateway({ config, logger: createLogger({ level: 'silent' }) });
    port = (await gw.listen(0, '127.0.0.1')).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await gw?.close();
    await Promise.all([monolith, service, slow].map((u) => u?.close()));
  });

  const last = (u: TestUpstream) => u.received[u.received.length - 1]!;

  it('sends unmatched paths to the monolith and matched ones to the route’s service', async () => {
    expect((await fetch(`${base}/elsewhere?x=1`)).status).toBe(200);
    expect(last(monolith).url).toBe('/elsewhere?x=1');
    await fetch(`${base}/svc/items/7`);
    expect(last(service).url).toBe('/svc/items/7');
  });

  it('strips hop-by-hop headers in both directions, including those named in Connection', async () => {
    service.reply = (_r, res) => {
      res.writeHead(200, { connection: 'x-res-hop', 'x-res-hop': 'secret', 'keep-alive': 'timeout=9', 'proxy-authenticate': 'Basic', 'x-kept': 'yes', 'content-length': '2' });
      res.end('ok');
    };
    const answer = await rawRequest(
      port,
      'GET /svc/hop HTTP/1.1\r\nHost: shop.example\r\nConnection: keep-alive, x-req-hop\r\nX-Req-Hop: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Other: kept\r\n\r\n',
    );
    const got = last(service).headers;
    for (const h of ['x-req-hop', 'keep-alive', 'te', 'proxy-authorization']) expect(got[h]).toBeUndefined();
    expect(got['x-other']).toBe('kept');
    const head = answer.split('\r\n\r\n')[0]!.toLowerCase();
    expect(head).toContain('x-kept: yes');
    for (const h of ['x-res-hop', 'keep-alive: timeout=9', 'proxy-authenticate']) expect(head).not.toContain(h);
    service.reply = (await import('./upstream.js')).echo;
  });

  it('sets X-Forwarded-For/Proto/Host, keeps the client Host, and rewrites it when the upstream asks', async () => {
    await fetch(`${base}/svc/fwd`, { headers: { 'x-forwarded-for': '203.0.113.9', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    const h = last(service).headers;
    expect(h['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-host']).toBe(`127.0.0.1:${port}`);
    expect(h.host).toBe(`127.0.0.1:${port}`);
    expect(h.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    await fetch(`${base}/rewritten/x`);
    expect(last(service).headers.host).toBe(`127.0.0.1:${service.port}`);
    expect(last(service).headers['x-forwarded-host']).toBe(`127.0.0.1:${port}`);
  });

  it('forwards a chunked DELETE as one request with its body: no smuggled second request (node-http-proxy#1721)', async () => {
    const before = monolith.received.length;
    const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
    const chunk = `${smuggled.length.toString(16)}\r\n${smuggled}\r\n0\r\n\r\n`;
    const answer = await rawRequest(port, `DELETE /items/1 HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}`);
    expect(answer.startsWith('HTTP/1.1 200')).toBe(true);
    const seen = monolith.received.slice(before);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /items/1']);
    expect(seen[0]!.body).toBe(smuggled);
    expect(monolith.received.some((r) => r.url === '/smuggled')).toBe(false);
  });

  it('refuses Content-Length together with Transfer-Encoding and a doubled Content-Length', async () => {
    const before = monolith.received.length;
    const both = await rawRequest(port, 'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(both.startsWith('HTTP/1.1 400')).toBe(true);
    const twice = await rawRequest(port, 'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd');
    expect(twice.startsWith('HTTP/1.1 400')).toBe(true);
    expect(monolith.received.length).toBe(before);
  });

  it('streams the response: the client reads the first chunk before the upstream writes the second', async () => {
    let release!: () => void;
    const second = new Promise<void>((r) => (release = r));
    service.reply = (_r, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      void second.then(() => res.end('second'));
    };
    const res = await fetch(`${base}/svc/stream`);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    const one = await reader.read();
    expect(dec.decode(one.value)).toBe('first;');
    release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += dec.decode(r.value);
    expect(rest).toBe('second');
    service.reply = (await import('./upstream.js')).echo;
  });

  it('streams the request body: the upstream sees the first part before the client sends the rest', async () => {
    let firstSeen!: () => void;
    const seen = new Promise<void>((r) => (firstSeen = r));
    service.reply = () => undefined;
    const upstreamGot: string[] = [];
    const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      if (req.url !== '/svc/upload') return;
      req.on('data', (c: Buffer) => {
        upstreamGot.push(c.toString());
        firstSeen();
      });
      req.on('end', () => res.end('done'));
    };
    service.server.prependListener('request', listener);
    const client = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/svc/upload', headers: { 'transfer-encoding': 'chunked' } });
    const answered = new Promise<string>((resolve) => client.on('response', (r) => r.on('data', (d: Buffer) => resolve(d.toString()))));
    client.write('part-one;');
    await seen;
    expect(upstreamGot.join('')).toBe('part-one;');
    client.end('part-two');
    expect(await answered).toBe('done');
    expect(upstreamGot.join('')).toBe('part-one;part-two');
    service.server.off('request', listener);
    service.reply = (await import('./upstream.js')).echo;
  });

  it('holds the upstream back while the client reads slowly (no buffering of the whole answer), then delivers every byte', async () => {
    const total = 96 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, 0x61);
    let written = 0;
    let finished = false;
    service.reply = (_r, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
      const more = (): void => {
        while (written < total) {
          written += piece.length;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end(() => (finished = true));
      };
      more();
    };
    const sock = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write('GET /svc/big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    sock.pause(); // reads nothing for a while
    await new Promise((r) => setTimeout(r, 800));
    const whilePaused = written;
    // Socket buffers on two loopback connections hold some megabytes; the rest waits upstream.
    expect(whilePaused).toBeLessThan(total / 2);
    expect(finished).toBe(false);
    let received = 0;
    sock.on('data', (c: Buffer) => (received += c.length));
    sock.resume();
    await new Promise<void>((r) => sock.once('end', () => r()));
    expect(finished).toBe(true);
    expect(received).toBeGreaterThan(total); // the body and its head
    expect(received - total).toBeLessThan(1024);
    service.reply = (await import('./upstream.js')).echo;
  });

  it('a client that goes away cancels the upstream request', async () => {
    const closed = new Promise<void>((resolve) => {
      slow.server.once('request', (req: http.IncomingMessage) => req.socket.once('close', () => resolve()));
    });
    const ac = new AbortController();
    const pending = fetch(`${base}/slow/hang`, { signal: ac.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await pending;
    await closed; // resolves only if the gateway closed its upstream connection
    expect(slow.received.length).toBeGreaterThan(0);
  });

  it('answers 504 with a JSON body on an upstream timeout and 502 when it cannot connect', async () => {
    const t = await fetch(`${base}/slow/x`);
    expect(t.status).toBe(504);
    expect(await t.json()).toEqual({ error: 'upstream timed out', upstream: 'slow' });
    const d = await fetch(`${base}/dead/x`);
    expect(d.status).toBe(502);
    expect(await d.json()).toEqual({ error: 'upstream unavailable', upstream: 'dead' });
  });

  it('falls back to the monolith for idempotent requests when the service is down, never for unsafe ones', async () => {
    const r = await fetch(`${base}/fb/list?q=1`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { url: string }).url).toBe('/fb/list?q=1');
    expect(last(monolith).url).toBe('/fb/list?q=1');
    const p = await fetch(`${base}/fb/create`, { method: 'POST', body: 'x' });
    expect(p.status).toBe(502);
    expect(gw.runtime.stats.snapshot('fallback').fallbacks).toBeGreaterThan(0);
  });

  it('refuses oversized headers with 431 and oversized bodies with 413, before the upstream sees them', async () => {
    const before = monolith.received.length;
    const big = await rawRequest(port, `GET /x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`);
    expect(big.startsWith('HTTP/1.1 431')).toBe(true);
    const body = await fetch(`${base}/x`, { method: 'POST', body: 'b'.repeat(2000) });
    expect(body.status).toBe(413);
    expect(monolith.received.length).toBe(before);
  });

  it('routes and forwards the normalised path, and refuses paths that escape or hide slashes', async () => {
    await fetch(`${base}/svc/%2e%2e/admin`);
    expect(last(monolith).url).toBe('/admin');
    const viaRaw = await rawRequest(port, 'GET //svc//a/./b HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(viaRaw.startsWith('HTTP/1.1 200')).toBe(true);
    expect(last(service).url).toBe('/svc/a/b');
    for (const bad of ['/../etc/passwd', '/svc/a%2Fb', '/a%00b', '/x%zz']) {
      const r = await rawRequest(port, `GET ${bad} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(r.startsWith('HTTP/1.1 400'), bad).toBe(true);
    }
  });

  it('passes protocol upgrades through to the upstream and pipes both ways', async () => {
    service.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Upstream: yes\r\n\r\n');
      socket.on('data', (d) => socket.write(`echo:${d.toString()}`));
      void req;
    });
    const socket = net.connect(port, '127.0.0.1');
    const got: string[] = [];
    const handshake = new Promise<string>((resolve) => {
      socket.once('data', (d) => resolve(d.toString()));
    });
    socket.write('GET /svc/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    const head = await handshake;
    expect(head.startsWith('HTTP/1.1 101')).toBe(true);
    expect(head.toLowerCase()).toContain('x-upstream: yes');
    const echoed = new Promise<void>((resolve) =>
      socket.on('data', (d) => {
        got.push(d.toString());
        if (got.join('').includes('echo:ping')) resolve();
      }),
    );
    socket.write('ping');
    await echoed;
    expect(got.join('')).toContain('echo:ping');
    socket.destroy();
  });
});
