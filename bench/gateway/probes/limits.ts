/**
 * Limit probes: 431 for headers and request lines over maxHeaderBytes, 413 for bodies over
 * maxBodyBytes (Content-Length and chunked, to the monolith, a service and a shadowed route),
 * refused before anything is lost upstream; a body of exactly the limit passes whole.
 */
import { big, chunked, H, LIMIT_BODY, LIMIT_HEADERS, type Probe } from './model.js';

export const LIMIT_PROBES: readonly Probe[] = [
  {
    name: 'one header over maxHeaderBytes: 431',
    raw: `GET /a HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(LIMIT_HEADERS)}\r\n\r\n`,
    status: 431,
    json: true,
    closes: true,
    upstream: null,
  },
  // Node counts header names and values (not the `: ` and CRLF between them) against maxHeaderBytes.
  {
    name: 'many headers whose names and values together pass maxHeaderBytes: 431',
    raw: `GET /a HTTP/1.1\r\n${H}${Array.from({ length: 60 }, (_, i) => `X-Header-${i}: ${'v'.repeat(64)}\r\n`).join('')}\r\n`,
    status: 431,
    json: true,
    closes: true,
    upstream: null,
  },
  {
    name: 'a request line over maxHeaderBytes: 431',
    raw: `GET /${'a'.repeat(LIMIT_HEADERS)} HTTP/1.1\r\n${H}\r\n`,
    status: 431,
    json: true,
    closes: true,
    upstream: null,
  },
  {
    name: 'a body of exactly maxBodyBytes passes whole',
    raw: `POST /a HTTP/1.1\r\n${H}Content-Length: ${LIMIT_BODY}\r\n\r\n${big(LIMIT_BODY)}`,
    status: 200,
    upstream: { side: 'monolith', method: 'POST', url: '/a', body: big(LIMIT_BODY) },
  },
  {
    name: 'Content-Length one over maxBodyBytes: 413',
    raw: `POST /a HTTP/1.1\r\n${H}Content-Length: ${LIMIT_BODY + 1}\r\n\r\n${big(LIMIT_BODY + 1)}`,
    status: 413,
    json: true,
    closes: true,
    upstream: null,
  },
  {
    name: 'a chunked body over maxBodyBytes to the monolith (unmatched path): 413',
    raw: `POST /a HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${chunked(big(LIMIT_BODY + 1))}`,
    status: 413,
    json: true,
    closes: true,
    upstream: null,
  },
  {
    name: 'a chunked body over maxBodyBytes to a service route: 413',
    raw: `POST /svc/upload HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${chunked(big(600), big(600))}`,
    status: 413,
    json: true,
    closes: true,
    upstream: null,
  },
  {
    name: 'a chunked body over maxBodyBytes on a shadowed route: 413, and nothing is shadowed',
    raw: `POST /sh/upload HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${chunked(big(400), big(400), big(400))}`,
    status: 413,
    json: true,
    closes: true,
    upstream: null,
  },
];
