/**
 * Probes of what crosses the proxy besides the body: hop-by-hop headers (RFC 9110 §7.6.1, also
 * those named in Connection), X-Forwarded-*, protocol upgrades (a refused h2c, an accepted
 * WebSocket piped both ways) and a client that leaves before its answer.
 */
import { H, type Probe } from './model.js';

export const CONNECTION_PROBES: readonly Probe[] = [
  // Hop-by-hop headers: dropped, also those named in Connection.
  {
    name: 'Connection: close and a header it names are not forwarded; the gateway closes after answering',
    raw: `GET /svc/hop HTTP/1.1\r\n${H}Connection: close, x-foo\r\nX-Foo: secret\r\nX-Kept: yes\r\n\r\n`,
    status: 200,
    closes: true,
    upstream: { side: 'service', method: 'GET', url: '/svc/hop', headers: { 'x-foo': undefined, 'x-kept': 'yes', connection: 'keep-alive' } },
  },
  {
    name: 'Keep-Alive, TE, Trailer, Proxy-Connection, HTTP2-Settings and an Upgrade without Connection: upgrade are not forwarded',
    raw: `GET /svc/hop HTTP/1.1\r\n${H}Keep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: x-t\r\nProxy-Connection: keep-alive\r\nUpgrade: websocket\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nX-Kept: yes\r\n\r\n`,
    status: 200,
    upstream: {
      side: 'service',
      method: 'GET',
      url: '/svc/hop',
      headers: {
        'keep-alive': undefined,
        te: undefined,
        trailer: undefined,
        'proxy-connection': undefined,
        upgrade: undefined,
        'http2-settings': undefined,
        'x-kept': 'yes',
      },
    },
  },
  {
    name: 'Connection naming Content-Length: the body still arrives whole, framed once',
    raw: `POST /svc/form HTTP/1.1\r\n${H}Connection: content-length\r\nContent-Length: 5\r\n\r\nhello`,
    status: 200,
    upstream: { side: 'service', method: 'POST', url: '/svc/form', body: 'hello' },
  },
  {
    name: 'Connection naming Host: the client’s Host still reaches the upstream, not the upstream’s own address',
    raw: `GET /svc/hop HTTP/1.1\r\n${H}Connection: host\r\n\r\n`,
    status: 200,
    upstream: { side: 'service', method: 'GET', url: '/svc/hop', headers: { host: 'shop.example', 'x-forwarded-host': 'shop.example' } },
  },
  {
    name: 'Connection naming X-Forwarded-*: the proxy’s own values still arrive (CVE-2022-31813 in Apache)',
    raw: `GET /svc/fwd HTTP/1.1\r\n${H}Connection: X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n`,
    status: 200,
    upstream: {
      side: 'service',
      method: 'GET',
      url: '/svc/fwd',
      headers: { 'x-forwarded-for': '203.0.113.9, 127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'shop.example' },
    },
  },
  {
    name: 'an Upgrade the upstream does not accept (h2c): 502, the attempt reached it once',
    raw: `GET /svc/up HTTP/1.1\r\n${H}Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n`,
    status: 502,
    json: true,
    closes: true,
    upstream: { side: 'service', method: 'GET', url: '/svc/up', headers: { upgrade: 'h2c', 'http2-settings': undefined } },
  },

  // X-Forwarded-* (README "Proxy"): For gets the client appended, Proto and Host are set by the proxy, whatever the client sent.
  {
    name: 'X-Forwarded-For is appended to; X-Forwarded-Proto and -Host the client sent are overwritten',
    raw: `GET /svc/fwd HTTP/1.1\r\n${H}X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n\r\n`,
    status: 200,
    upstream: {
      side: 'service',
      method: 'GET',
      url: '/svc/fwd',
      headers: { host: 'shop.example', 'x-forwarded-for': '203.0.113.9, 127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'shop.example' },
    },
  },

  // Upgrades and a client that goes away.
  {
    name: 'a WebSocket upgrade the upstream accepts: 101 relayed, then bytes piped both ways',
    raw: `GET /ws/chat HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    status: 101,
    tunnel: { send: 'ping', echo: 'echo:ping' },
    upstream: { side: 'monolith', method: 'GET', url: '/ws/chat', headers: { upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } },
  },
  {
    name: 'a client that goes away before the answer: the upstream request is cancelled',
    raw: `GET /hang/abort HTTP/1.1\r\n${H}\r\n`,
    status: null,
    leaveAfterMs: 150,
    upstream: { side: 'monolith', method: 'GET', url: '/hang/abort' },
  },
];
