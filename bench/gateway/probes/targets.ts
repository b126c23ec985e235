/**
 * Request-target probes: percent-encodings and path normalisation (normalised, or refused with
 * 400), absolute, asterisk and CONNECT forms, Host (missing, doubled, invalid, IPv6, empty),
 * versions and request-line or header-line garbage.
 */
import { H, type Probe } from './model.js';

export const TARGET_PROBES: readonly Probe[] = [
  // Percent-encodings and path normalisation (README "Proxy": normalised, or refused with 400).
  { name: '%5C (encoded backslash)', raw: `GET /svc/a%5Cb HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  { name: 'lower-case %2f and %5c', raw: `GET /svc/a%2fb%5c HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  { name: 'a truncated escape %2', raw: `GET /svc/a%2 HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  { name: 'a raw backslash', raw: `GET /svc\\..\\admin HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  { name: '.%2e climbing above the root', raw: `GET /.%2e/etc/passwd HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  { name: 'climbing out of a route and above the root', raw: `GET /svc/../../x HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  { name: 'a fragment in the request target', raw: `GET /svc#frag HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  {
    name: 'dot segments, plain and encoded, inside a route',
    raw: `GET /svc/./a/%2E/b/x/%2e%2E/c HTTP/1.1\r\n${H}\r\n`,
    status: 200,
    upstream: { side: 'service', method: 'GET', url: '/svc/a/b/c' },
  },
  {
    name: '/%2e/svc routes to the service as /svc',
    raw: `GET /%2e/svc HTTP/1.1\r\n${H}\r\n`,
    status: 200,
    upstream: { side: 'service', method: 'GET', url: '/svc' },
  },
  {
    name: '/svc/%2e%2e leaves the route: the monolith gets /',
    raw: `GET /svc/%2e%2e HTTP/1.1\r\n${H}\r\n`,
    status: 200,
    upstream: { side: 'monolith', method: 'GET', url: '/' },
  },
  {
    name: 'merged slashes in front of a route',
    raw: `GET ///svc///x HTTP/1.1\r\n${H}\r\n`,
    status: 200,
    upstream: { side: 'service', method: 'GET', url: '/svc/x' },
  },
  {
    name: 'unreserved escapes are decoded (%7E, %41)',
    raw: `GET /svc/%7Euser/%41 HTTP/1.1\r\n${H}\r\n`,
    status: 200,
    upstream: { side: 'service', method: 'GET', url: '/svc/~user/A' },
  },
  {
    name: 'an overlong UTF-8 dot (%C0%AE) is no dot: forwarded as it is',
    raw: `GET /svc/%C0%AE%C0%AE/x HTTP/1.1\r\n${H}\r\n`,
    status: 200,
    upstream: { side: 'service', method: 'GET', url: '/svc/%C0%AE%C0%AE/x' },
  },
  {
    name: 'double-encoded dots (%252e) are decoded once only: forwarded as they are',
    raw: `GET /svc/%252e%252e/x HTTP/1.1\r\n${H}\r\n`,
    status: 200,
    upstream: { side: 'service', method: 'GET', url: '/svc/%252e%252e/x' },
  },
  {
    name: 'the query is not a path: kept verbatim',
    raw: `GET /svc?q=%zz&p=%2F..%2F HTTP/1.1\r\n${H}\r\n`,
    status: 200,
    upstream: { side: 'service', method: 'GET', url: '/svc?q=%zz&p=%2F..%2F' },
  },

  // Request targets, Host, versions and request-line garbage.
  { name: 'absolute-form GET http://evil/', raw: `GET http://evil/ HTTP/1.1\r\nHost: evil\r\n\r\n`, status: 400, json: true, upstream: null },
  { name: 'absolute-form naming a route', raw: `GET http://shop.example/svc HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  { name: 'asterisk-form OPTIONS *', raw: `OPTIONS * HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, upstream: null },
  { name: 'CONNECT', raw: `CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n`, status: 405, json: true, closes: true, upstream: null },
  { name: 'a Host with spaces, a path and userinfo', raw: `GET /a HTTP/1.1\r\nHost: a b/c@d\r\n\r\n`, status: 400, json: true, upstream: null },
  { name: 'two Host lines', raw: `GET /a HTTP/1.1\r\nHost: shop.example\r\nHost: evil.example\r\n\r\n`, status: 400, json: true, upstream: null },
  { name: 'a NUL in the Host', raw: `GET /a HTTP/1.1\r\nHost: a\u0000b\r\n\r\n`, status: 400, json: true, closes: true, upstream: null },
  {
    name: 'an IPv6 literal Host with a port is fine',
    raw: `GET /a HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n`,
    status: 200,
    upstream: { side: 'monolith', method: 'GET', url: '/a', headers: { host: '[::1]:8080', 'x-forwarded-host': '[::1]:8080' } },
  },
  {
    name: 'an empty Host (allowed by RFC 9112 §3.2) is forwarded empty',
    raw: `GET /a HTTP/1.1\r\nHost:\r\n\r\n`,
    status: 200,
    upstream: { side: 'monolith', method: 'GET', url: '/a', headers: { host: '' } },
  },
  { name: 'HTTP/1.1 without Host', raw: 'GET /a HTTP/1.1\r\n\r\n', status: 400, closes: true, upstream: null },
  {
    name: 'HTTP/1.0 without Host: forwarded with the upstream’s host, no X-Forwarded-Host',
    raw: 'GET /a HTTP/1.0\r\n\r\n',
    status: 200,
    closes: true,
    upstream: { side: 'monolith', method: 'GET', url: '/a', headers: { 'x-forwarded-host': undefined } },
  },
  { name: 'HTTP/9.9', raw: `GET /a HTTP/9.9\r\n${H}\r\n`, status: 400, json: true, closes: true, upstream: null },
  { name: 'a token after the version', raw: `GET /a HTTP/1.1 extra\r\n${H}\r\n`, status: 400, json: true, closes: true, upstream: null },
  { name: 'an unknown method', raw: `FOO /a HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, closes: true, upstream: null },
  { name: 'a lower-case method', raw: `get /a HTTP/1.1\r\n${H}\r\n`, status: 400, json: true, closes: true, upstream: null },
  { name: 'a garbage request line', raw: 'GARBAGE\r\n\r\n', status: 400, json: true, closes: true, upstream: null },
  {
    name: 'a TLS ClientHello on the plain port',
    raw: '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003',
    status: 400,
    json: true,
    closes: true,
    upstream: null,
  },
  { name: 'header lines ended by LF alone', raw: `GET /a HTTP/1.1\n${H.replace('\r\n', '\n')}\n`, status: 400, json: true, closes: true, upstream: null },
  { name: 'a bare CR inside the headers', raw: `GET /a HTTP/1.1\r\n${H}X-A: b\rX-B: c\r\n\r\n`, status: 400, json: true, closes: true, upstream: null },
  { name: 'a NUL in a header value', raw: `GET /a HTTP/1.1\r\n${H}X-A: a\u0000b\r\n\r\n`, status: 400, json: true, closes: true, upstream: null },
];
