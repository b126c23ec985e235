/**
 * Header handling at the proxy boundary (RFC 9110 §7.6.1): hop-by-hop headers — the fixed set
 * plus every name listed in `Connection` — are dropped in both directions; X-Forwarded-For
 * gets the client address appended, X-Forwarded-Proto and X-Forwarded-Host are set once
 * (kept if a trusted hop set them before us is not assumed: we overwrite Proto/Host and append
 * to For); the Host is the client's unless the upstream asks for `hostRewrite`. W3C
 * `traceparent`/`tracestate` pass through untouched.
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

/** Request headers to send upstream. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, ctx: ForwardContext): Record<string, string | string[]> {
  const extra = connectionTokens(headers);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || (extra !== null && extra.has(name))) continue;
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

/** The client address as the socket saw it (IPv4-mapped IPv6 unwrapped). */
export function clientAddress(remote: string | undefined): string | undefined {
  return remote?.startsWith('::ffff:') ? remote.slice(7) : remote;
}
