/**
 * Header handling at the proxy boundary (RFC 9110 §7.6.1): hop-by-hop headers — the fixed set
 * plus every name listed in `Connection` — are dropped in both directions; X-Forwarded-For
 * gets the client address appended, X-Forwarded-Proto and X-Forwarded-Host are set once
 * (kept if a trusted hop set them before us is not assumed: we overwrite Proto/Host and append
 * to For); the Host is the client's — even when `Connection` names it — unless the upstream
 * asks for `hostRewrite`. W3C `traceparent`/`tracestate` pass through untouched.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings']);

function connectionTokens(headers: IncomingHttpHeaders): Set<string> | null {
  const c = headers.connection;
  if (!c) return null;
  const list = Array.isArray(c) ? c.join(',') : c;
  const out = new Set<string>();
  for (const t of list.split(',')) {
    const n = t.trim().toLowerCase();
    if (n) out.add(n);
  }
  return out;
}

export interface ForwardContext {
  readonly clientIp: string | undefined;
  readonly proto: 'http' | 'https';
  /** The upstream's host:port, used when hostRewrite is on. */
  readonly upstreamHost: string;
  readonly hostRewrite: boolean;
}

/**
 * Request headers to send upstream. `Expect` is not sent on: the gateway's own server already
 * answered `100-continue` to the client, the body is streamed either way, and undici refuses
 * to send it (a curl upload over 1 KiB would fail with 502).
 */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, ctx: ForwardContext): Record<string, string | string[]> {
  const extra = connectionTokens(headers);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    // Host is never a connection option: a client naming it in Connection must not make the upstream see its own address instead.
    if (HOP_BY_HOP.has(name) || name === 'expect' || (extra !== null && extra.has(name) && name !== 'host')) continue;
    const v = headers[name];
    if (v !== undefined) out[name] = v;
  }
  const host = headers.host;
  const prior = headers['x-forwarded-for'];
  const priorText = Array.isArray(prior) ? prior.join(', ') : prior;
  if (ctx.clientIp !== undefined) out['x-forwarded-for'] = priorText ? `${priorText}, ${ctx.clientIp}` : ctx.clientIp;
  out['x-forwarded-proto'] = ctx.proto;
  if (host !== undefined) out['x-forwarded-host'] = host;
  if (ctx.hostRewrite || host === undefined) out.host = ctx.upstreamHost;
  return out;
}

/** Response headers to send back to the client. */
export function clientResponseHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const extra = connectionTokens(headers as IncomingHttpHeaders);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || (extra !== null && extra.has(name))) continue;
    const v = headers[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** RFC 3986 `host [":" port]`: a bracketed IP literal or a reg-name (empty allowed), then digits. */
const HOST_VALUE = /^(?:\[[0-9A-Za-z:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?$/;

/**
 * Why the request's Host header is unusable (RFC 9112 §3.2: more than one Host line, or an
 * invalid value, is a 400), or null. A missing Host on HTTP/1.1 is refused by Node already.
 */
export function hostProblem(rawHeaders: readonly string[]): string | null {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length !== 4 || rawHeaders[i]!.toLowerCase() !== 'host') continue;
    if (++seen > 1) return 'more than one Host line';
    const v = rawHeaders[i + 1] ?? '';
    if (!HOST_VALUE.test(v)) return `${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)} is not host[:port]`;
  }
  return null;
}

/** The client address as the socket saw it (IPv4-mapped IPv6 unwrapped). */
export function clientAddress(remote: string | undefined): string | undefined {
  return remote?.startsWith('::ffff:') ? remote.slice(7) : remote;
}
