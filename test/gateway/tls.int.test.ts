// TLS on both sides of the gateway with certificates made in the test: the listener serves HTTPS
// from its certificate files and tells the upstream the client came over https; upstreams are
// reached over TLS with a pinned CA and, where the upstream asks for one, the gateway's client
// certificate (mTLS). An upstream whose certificate the configured CA did not sign, or that
// wants a client certificate the gateway does not have, is a 502 — never a silent plaintext or
// unverified call.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https, { type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildGateway, parseGatewayConfig, type Gateway } from '../../gateway/index.js';
import { makeCertificates, type Certificates } from '../harness/certs.js';

describe('gateway TLS: HTTPS listener, verified and mutual TLS to upstreams', () => {
  let dir: string;
  let certs: Certificates;
  let upstream: Server;
  let upstreamUrl: string;
  let gw: Gateway;
  let base: string;
  let client: Agent;
  const seen: { peer: string | null; proto: string | undefined }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ficus-tls-'));
    certs = await makeCertificates(dir);
    // An upstream that requires a client certificate signed by the CA.
    upstream = https.createServer(
      { cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey), ca: readFileSync(certs.ca), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        seen.push({ peer: peer?.subject?.CN === undefined ? null : String(peer.subject.CN), proto: req.headers['x-forwarded-proto'] as string | undefined });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, url: req.url }));
      },
    );
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `https://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const config = parseGatewayConfig(`
listen: { tls: { cert: ${certs.serverCert}, key: ${certs.serverKey} } }
upstreams:
  monolith: { url: ${upstreamUrl}, tls: { ca: ${certs.ca}, cert: ${certs.clientCert}, key: ${certs.clientKey} } }
  nocert: { url: ${upstreamUrl}, tls: { ca: ${certs.ca} } }
  wrongca: { url: ${upstreamUrl}, tls: { ca: ${certs.otherCa}, cert: ${certs.clientCert}, key: ${certs.clientKey} } }
routes:
  - { id: nocert, match: { path: /nocert }, service: nocert, mode: service, fallback: false }
  - { id: wrongca, match: { path: /wrongca }, service: wrongca, mode: service, fallback: false }
diffs: { store: none }
accessLog: false
`);
    gw = await buildGateway({ config, logger: createLogger({ level: 'silent' }) });
    base = `https://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
    client = new Agent({ connect: { ca: readFileSync(certs.ca) } });
  });

  afterAll(async () => {
    await client?.close();
    await gw?.close(200);
    await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS from the listener certificate and forwards over mutual TLS with X-Forwarded-Proto https', async () => {
    const res = await request(`${base}/products/1`, { dispatcher: client });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ ok: true, url: '/products/1' });
    expect(seen.at(-1)).toEqual({ peer: 'client', proto: 'https' });
  });

  it('a client that does not trust the listener certificate cannot connect', async () => {
    const strict = new Agent({ connect: { rejectUnauthorized: true } });
    await expect(request(`${base}/`, { dispatcher: strict })).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SELF_SIGNED|UNABLE/) });
    await strict.close();
  });

  it('answers 502 when the upstream wants a client certificate the gateway does not send', async () => {
    const before = seen.length;
    const res = await request(`${base}/nocert`, { dispatcher: client });
    expect(res.statusCode).toBe(502);
    expect(await res.body.json()).toMatchObject({ upstream: 'nocert' });
    expect(seen.length).toBe(before);
  });

  it('answers 502 when the upstream certificate is not signed by the configured CA', async () => {
    const before = seen.length;
    const res = await request(`${base}/wrongca`, { dispatcher: client });
    expect(res.statusCode).toBe(502);
    await res.body.dump();
    expect(seen.length).toBe(before);
  });

  it('refuses to start when a certificate file cannot be read, naming the field', async () => {
    const config = parseGatewayConfig(`
upstreams:
  monolith: { url: ${upstreamUrl}, tls: { ca: ${join(dir, 'missing.pem')} } }
diffs: { store: none }
`);
    await expect(buildGateway({ config, logger: createLogger({ level: 'silent' }) })).rejects.toMatchObject({ code: 'GW_TLS_FILE' });
  });
});
