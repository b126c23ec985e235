/**
 * One call to a side for the shadow comparison — the shadow upstream, or the primary's again
 * for the noise model's secondary — guarded by that upstream's circuit breaker.
 *
 * Sent with undici's `dispatch` and a handler of ours that keeps the answer's body up to a cap
 * as the chunks it arrived in (bytes.ts; the comparison reads them in place; over the cap the
 * rest is read and dropped so the connection stays reusable). `stream()` and `request()`
 * would add, per call, a Writable or Readable, an async resource, `finished()` listeners and a
 * promise wrapper — about a third of what a shadow call costs the gateway. Timeouts are undici's
 * own `headersTimeout`/`bodyTimeout`: no timer of ours per call. The promise never rejects: a
 * failure is an Answer with `error` (the undici code, such as UND_ERR_HEADERS_TIMEOUT, or
 * CIRCUIT_OPEN when the breaker did not let the call through).
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { Upstream } from '../proxy/upstreams.js';
import { BodyCapture, type Body } from './bytes.js';

/** `Answer.error` when the upstream's circuit was open and nothing was sent. */
export const CIRCUIT_OPEN = 'CIRCUIT_OPEN';

export type AnswerHeaders = Record<string, string | string[] | undefined>;

/** One side's answer, as the comparison and the DiffRecord take it. */
export interface Answer {
  readonly status: number;
  readonly headers: AnswerHeaders;
  /** The whole body, one Buffer or the chunks it arrived in (bytes.ts: not joined unless needed); null when over the cap or when there was no answer. */
  readonly body: Body | null;
  readonly ms: number;
  readonly error?: string;
}

/** What is sent: the primary's request as forwarded (path and query below the upstream's base path). */
export interface SideRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[]>;
  /** Empty when there is none. */
  readonly body: Buffer;
}

const NO_HEADERS: AnswerHeaders = Object.freeze({});

/** The dispatch handler of one call: status, headers and the body up to `cap`, then one resolve. */
class Collector implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: AnswerHeaders = NO_HEADERS;
  private readonly body: BodyCapture;

  constructor(
    private readonly up: Upstream,
    cap: number,
    private readonly t0: number,
    private readonly resolve: (a: Answer) => void,
  ) {
    this.body = new BodyCapture(cap);
  }

  /** Nothing to do; its presence tells undici this handler speaks the current (controller) API. */
  onRequestStart(): void {}

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: AnswerHeaders): void {
    if (statusCode < 200) return; // 1xx: the final answer follows
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body.add(chunk);
  }

  onResponseEnd(): void {
    // Any answer counts as the side being up: a 5xx from a shadow is a difference to record.
    this.up.breaker.success();
    this.resolve({ status: this.status, headers: this.headers, body: this.body.body(), ms: performance.now() - this.t0 });
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    this.up.breaker.failure();
    const e = err as { code?: string; message?: string };
    this.resolve({ status: 0, headers: NO_HEADERS, body: null, ms: performance.now() - this.t0, error: e.code ?? e.message ?? String(err) });
  }
}

/**
 * Sends `req` to `up` and collects the answer, its body kept up to `cap` bytes. The upstream's
 * circuit breaker guards shadow calls too: a side that is down is not dialled (and not recorded)
 * for every request until the breaker lets a probe through — the answer is `{ error: CIRCUIT_OPEN }` at once.
 */
export function callSide(up: Upstream, req: SideRequest, timeoutMs: number, cap: number): Promise<Answer> {
  if (!up.breaker.allow()) return Promise.resolve({ status: 0, headers: NO_HEADERS, body: null, ms: 0, error: CIRCUIT_OPEN });
  return new Promise((resolve) => {
    const handler = new Collector(up, cap, performance.now(), resolve);
    up.pool.dispatch(
      {
        path: up.basePath + req.url,
        method: req.method,
        headers: up.hostRewrite ? { ...req.headers, host: up.host } : req.headers,
        body: req.body.length > 0 ? req.body : null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      },
      handler,
    );
  });
}
