/**
 * Forwarding one request to one upstream with undici's `dispatch` and a handler of ours: the
 * response body is written straight into the client's response (no intermediate stream), both
 * directions stream with backpressure, and — when the caller asks — the first `capture` bytes
 * of the response are kept for the shadow comparison without slowing the copy.
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
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { BodyCapture, type Body } from '../shadow/bytes.js';
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
  readonly timeoutMs?: number;
}

export interface ForwardResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly ms: number;
  readonly failure?: ForwardFailure;
  readonly error?: string;
  /** The captured response body as the chunks it arrived in (shadow/bytes.ts); null when over the cap or not asked for. */
  readonly body: Body | null;
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

const NO_HEADERS: Record<string, string | string[] | undefined> = Object.freeze({});

function tooLargeOf(err: unknown): BodyTooLarge | null {
  if (err instanceof BodyTooLarge) return err;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause instanceof BodyTooLarge ? cause : null;
}

/**
 * The dispatch handler of one forwarded request: the answer's head and body go straight into
 * the client's response (pausing the upstream while the client's socket is full), the first
 * `cap` bytes kept when asked. `stream()` would add a Writable, an async resource, `finished()`
 * listeners and a promise wrapper per request.
 */
class Forwarding implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = NO_HEADERS;
  private held = false;
  private capture: BodyCapture | null;
  private clientGone = false;
  private settled = false;

  constructor(
    private readonly upstream: Upstream,
    private readonly res: ServerResponse,
    private readonly opts: ForwardOptions,
    private readonly t0: number,
    private readonly resolve: (r: ForwardResult) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    this.capture = (opts.capture ?? 0) > 0 ? new BodyCapture(opts.capture!) : null;
    res.on('close', this.onClientClose);
  }

  /** The client went away before its answer was complete: the upstream request is aborted. */
  private readonly onClientClose = (): void => {
    if (this.res.writableFinished || this.settled) return;
    this.clientGone = true;
    this.controller?.abort(new ClientGone());
  };

  private readonly onDrain = (): void => {
    this.controller?.resume();
  };

  private finish(): void {
    this.settled = true;
    this.res.off('close', this.onClientClose);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientGone) controller.abort(new ClientGone());
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) return; // 1xx: the final answer follows
    this.status = statusCode;
    this.headers = headers;
    if (this.opts.holdOn5xx && statusCode >= 500) {
      this.held = true;
      this.capture = null;
      return;
    }
    this.res.writeHead(statusCode, clientResponseHeaders(headers));
  }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.held) return;
    this.capture?.add(chunk);
    if (!this.res.write(chunk)) {
      c.pause();
      this.res.once('drain', this.onDrain);
    }
  }

  onResponseEnd(): void {
    this.finish();
    const ms = performance.now() - this.t0;
    if (this.held) {
      this.resolve({ status: this.status, headers: this.headers, ms, failure: 'held', body: null, answered: false });
      return;
    }
    this.res.end();
    this.resolve({ status: this.status, headers: this.headers, ms, body: this.capture?.body() ?? null, answered: true });
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    this.finish();
    const res = this.res;
    const tooLarge = tooLargeOf(err);
    if (tooLarge && !res.headersSent) {
      this.reject(tooLarge);
      return;
    }
    const { failure, message } = this.clientGone ? { failure: 'aborted' as const, message: 'client went away' } : classify(err);
    const ms = performance.now() - this.t0;
    if (!res.headersSent && !this.held && failure !== 'aborted' && !this.opts.holdOn5xx) {
      sendError(res, failure === 'timeout' ? 504 : 502, failure === 'timeout' ? 'upstream timed out' : 'upstream unavailable', { upstream: this.upstream.name });
    } else if (res.headersSent && !res.writableEnded) res.destroy();
    const st = this.held ? this.status : failure === 'timeout' ? 504 : failure === 'aborted' ? 499 : 502;
    this.resolve({ status: st, headers: this.headers, ms, failure: this.held ? 'held' : failure, error: message, body: null, answered: res.headersSent });
  }
}

/** The reason a forwarded request is aborted when its client went away. */
class ClientGone extends Error {
  readonly code = 'UND_ERR_ABORTED';
  constructor() {
    super('client went away');
    this.name = 'AbortError';
  }
}

export function forward(upstream: Upstream, res: ServerResponse, opts: ForwardOptions): Promise<ForwardResult> {
  const timeout = opts.timeoutMs ?? upstream.timeoutMs;
  return new Promise((resolve, reject) => {
    const handler = new Forwarding(upstream, res, opts, performance.now(), resolve, reject);
    upstream.pool.dispatch(
      {
        path: upstream.basePath + opts.path,
        method: opts.method,
        headers: opts.headers,
        body: opts.body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      },
      handler,
    );
  });
}
