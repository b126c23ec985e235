/**
 * Forwarding one request to one upstream with undici's `stream()`: the response body is
 * written straight into the client's response (no intermediate stream), both directions
 * stream with backpressure, and — when the caller asks — the first `capture` bytes of the
 * response are kept for the shadow comparison without slowing the copy.
 *
 * Failures never throw: before the response started, a timeout answers 504 and a connection
 * failure 502, each with a JSON body `{ error, upstream }`; after it started, the client
 * connection is cut (the only honest signal mid-body). A client that goes away aborts the
 * upstream request. With `holdOn5xx` the caller may discard a 5xx answer (to fall back to
 * the monolith) before anything reached the client. A request body over the gateway's limit
 * (body.ts) is the one failure that throws (BodyTooLarge), so the caller answers 413.
 *
 * Why undici and not http-proxy: http-proxy 1.18.1 rewrites a DELETE/OPTIONS without
 * Content-Length to `Content-Length: 0` while still piping a chunked body, which the
 * upstream reads as a second, smuggled request (node-http-proxy#1721); undici always frames
 * the body it sends. The benchmark (bench/gateway) measured the throughput difference.
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Writable, type Readable } from 'node:stream';
import { BodyTooLarge } from './body.js';
import { clientResponseHeaders } from './headers.js';
import type { Upstream } from './upstreams.js';

export type ForwardFailure = 'timeout' | 'connect' | 'aborted' | 'protocol' | 'held';

export interface ForwardOptions {
  readonly method: string;
  /** Path and query to request on the upstream (its base path is prepended here). */
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: Readable | Buffer | null;
  /** Keep up to this many response bytes (0: none). */
  readonly capture?: number;
  /** Do not answer the client with a 5xx: report `held` so the caller can try elsewhere. */
  readonly holdOn5xx?: boolean;
  readonly signal?: AbortSignal | EventEmitter;
  readonly timeoutMs?: number;
}

export interface ForwardResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly ms: number;
  readonly failure?: ForwardFailure;
  readonly error?: string;
  /** The captured response body; null when over the cap or not asked for. */
  readonly body: Buffer | null;
  /** Whether anything was sent to the client. */
  readonly answered: boolean;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

function classify(err: unknown): { failure: ForwardFailure; message: string } {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (e.name === 'AbortError' || code === 'UND_ERR_ABORTED') return { failure: 'aborted', message: 'client went away' };
  if (TIMEOUT_CODES.has(code)) return { failure: 'timeout', message: `upstream timed out (${code})` };
  if (CONNECT_CODES.has(code)) return { failure: 'connect', message: `upstream connection failed (${code})` };
  return { failure: 'protocol', message: e.message ?? String(err) };
}

/** Answers the client with a JSON error, unless something was already sent. */
export function sendError(res: ServerResponse, status: number, error: string, extra: Record<string, unknown> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ error, ...extra });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

class Tee extends Writable {
  private chunks: Buffer[] | null = [];
  private size = 0;
  constructor(
    private readonly res: ServerResponse,
    private readonly cap: number,
  ) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.chunks !== null) {
      this.size += chunk.length;
      if (this.size > this.cap) this.chunks = null;
      else this.chunks.push(chunk);
    }
    if (this.res.write(chunk)) cb();
    else this.res.once('drain', () => cb());
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.res.end(cb);
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (err) this.res.destroy(err);
    cb(err);
  }
  captured(): Buffer | null {
    return this.chunks === null ? null : Buffer.concat(this.chunks, this.size);
  }
}

/** Swallows a held 5xx body. */
const sink = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

export async function forward(upstream: Upstream, res: ServerResponse, opts: ForwardOptions): Promise<ForwardResult> {
  const t0 = performance.now();
  let status = 0;
  let headers: Record<string, string | string[] | undefined> = {};
  let tee: Tee | null = null;
  let held = false;
  const timeout = opts.timeoutMs ?? upstream.timeoutMs;
  try {
    await upstream.pool.stream(
      {
        path: upstream.basePath + opts.path,
        method: opts.method as 'GET',
        headers: opts.headers,
        body: opts.body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        ...(opts.signal && { signal: opts.signal }),
        opaque: null,
      },
      ({ statusCode, headers: h }) => {
        status = statusCode;
        headers = h;
        if (opts.holdOn5xx && statusCode >= 500) {
          held = true;
          return sink();
        }
        res.writeHead(statusCode, clientResponseHeaders(h));
        if ((opts.capture ?? 0) > 0) {
          tee = new Tee(res, opts.capture!);
          return tee;
        }
        return res;
      },
    );
  } catch (err) {
    const tooLarge = err instanceof BodyTooLarge ? err : (err as { cause?: unknown } | null)?.cause instanceof BodyTooLarge ? ((err as { cause: BodyTooLarge }).cause) : null;
    if (tooLarge && !res.headersSent) throw tooLarge;
    const { failure, message } = classify(err);
    const ms = performance.now() - t0;
    const answered = res.headersSent;
    if (!answered && !held && failure !== 'aborted' && !opts.holdOn5xx) {
      sendError(res, failure === 'timeout' ? 504 : 502, failure === 'timeout' ? 'upstream timed out' : 'upstream unavailable', { upstream: upstream.name });
    } else if (answered && !res.writableEnded) res.destroy();
    const st = held ? status : failure === 'timeout' ? 504 : failure === 'aborted' ? 499 : 502;
    return { status: st, headers, ms, failure: held ? 'held' : failure, error: message, body: null, answered: res.headersSent };
  }
  const ms = performance.now() - t0;
  if (held) return { status, headers, ms, failure: 'held', body: null, answered: false };
  const captured = tee as Tee | null;
  return { status, headers, ms, body: captured === null ? null : captured.captured(), answered: true };
}

/** Reads a request body into memory up to `cap` bytes; null when larger. */
export function readBody(req: IncomingMessage, cap: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > cap) over = true;
      else if (!over) chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}
