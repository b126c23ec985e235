/**
 * The upstreams: one undici Pool per configured upstream (keep-alive connections, HTTP/1.1,
 * no pipelining), its circuit breaker, and TLS material read once from files (CA for
 * verifying the upstream, client certificate and key for mTLS).
 */
import { readFileSync } from 'node:fs';
import { Pool, type buildConnector } from 'undici';
import { FicusError } from '../../core/index.js';
import type { UpstreamConfig } from '../config/schema.js';
import { GatewayErrorCode } from '../errors.js';
import { CircuitBreaker } from './breaker.js';

export interface Upstream {
  readonly name: string;
  readonly origin: string;
  /** Path prefix of the upstream URL ('' for none), prepended to forwarded paths. */
  readonly basePath: string;
  /** host[:port] of the upstream, for Host rewriting. */
  readonly host: string;
  readonly timeoutMs: number;
  readonly hostRewrite: boolean;
  readonly pool: Pool;
  readonly breaker: CircuitBreaker;
}

function readTls(name: string, file: string | undefined, what: string): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new FicusError(GatewayErrorCode.TLS_FILE, `upstreams.${name}.tls.${what}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { exitCode: 2, cause: err });
  }
}

/**
 * Stream buffer of each plain-HTTP upstream socket (undici's default is 64 KiB). A response of
 * 64 KiB or more filled that buffer in one read, so Node stopped reading and started again for
 * the rest — two epoll_ctl calls per response and side. At 256 KiB (measured with strace, 64 KiB
 * bodies): epoll_ctl per request 1.65 → 0 in monolith mode and 4.1 → 0 in shadow mode; CPU per
 * shadowed request ~231 → ~209 µs (4 alternating runs each). The buffer fills this far only
 * when the client reads slower than the upstream sends (backpressure then pauses the socket).
 */
export const SOCKET_HIGH_WATER_MARK = 256 * 1024;

export function createUpstream(name: string, cfg: UpstreamConfig): Upstream {
  const url = new URL(cfg.url);
  const tls = cfg.tls;
  const ca = readTls(name, tls?.ca, 'ca');
  const cert = readTls(name, tls?.cert, 'cert');
  const key = readTls(name, tls?.key, 'key');
  const pool = new Pool(url.origin, {
    connections: cfg.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: cfg.timeoutMs,
    bodyTimeout: cfg.timeoutMs,
    connect:
      url.protocol === 'https:'
        ? { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) }
        : // net.connect's own option; undici passes it through (its BuildOptions type does not list it).
          ({ highWaterMark: SOCKET_HIGH_WATER_MARK } as Partial<buildConnector.BuildOptions>),
  });
  return {
    name,
    origin: url.origin,
    basePath: url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''),
    host: url.host,
    timeoutMs: cfg.timeoutMs,
    hostRewrite: cfg.hostRewrite,
    pool,
    breaker: new CircuitBreaker(),
  };
}

export function createUpstreams(configs: Readonly<Record<string, UpstreamConfig>>): Map<string, Upstream> {
  return new Map(Object.entries(configs).map(([name, cfg]) => [name, createUpstream(name, cfg)]));
}

/** Closes pools gracefully, destroying what is still open after `graceMs`. */
export async function closeUpstreams(upstreams: Iterable<Upstream>, graceMs = 2_000): Promise<void> {
  await Promise.all(
    [...upstreams].map(async (u) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
      const outcome = await Promise.race([u.pool.close().then(() => 'closed' as const, () => 'late' as const), late]);
      clearTimeout(timer);
      if (outcome === 'late') await u.pool.destroy().catch(() => undefined);
    }),
  );
}
