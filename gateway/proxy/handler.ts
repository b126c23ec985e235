/**
 * The data plane's request handler: normalise and check the request, match a route, decide
 * the primary and shadow sides (routing/decide.ts), forward to the primary — falling back to
 * the monolith for idempotent requests when the service fails or its circuit is open — and,
 * once the client has its answer, hand the exchange to the shadow dispatcher. Nothing the
 * shadow does can delay or fail the primary response: the copy of the request body is
 * bounded, and the dispatcher runs after the response finished.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from '../../core/index.js';
import type { RouteConfig } from '../config/schema.js';
import type { Target } from '../model.js';
import { cohortKey } from '../routing/cohort.js';
import { decide, SAFE_METHODS } from '../routing/decide.js';
import { normalisePath, splitTarget } from '../routing/path.js';
import { redactQuery } from '../shadow/redact-url.js';
import type { GatewayRuntime, Snapshot } from '../runtime.js';
import type { Window } from '../stats/route-stats.js';
import { BodyTooLarge, hasBody, limitedBody, teeBody } from './body.js';
import { forward, sendError, type ForwardResult } from './forward.js';
import { clientAddress, hostProblem, upstreamRequestHeaders } from './headers.js';
import type { Upstream } from './upstreams.js';

/** One answered request, as the shadow dispatcher gets it. */
export interface Exchange {
  readonly snapshot: Snapshot;
  readonly route: RouteConfig;
  readonly method: string;
  /** Normalised path and query, as forwarded. */
  readonly url: string;
  readonly headers: Record<string, string | string[]>;
  /** The request body; empty when there was none. */
  readonly body: Buffer;
  readonly primary: { readonly target: 'monolith' | 'service'; readonly result: ForwardResult };
  readonly shadow: Target;
  /** The route's stats window when the request was decided (rollout gates count into it). */
  readonly window?: Window;
}

export interface ShadowSink {
  submit(exchange: Exchange): void;
  /** False when a shadow call now would be dropped anyway (in-flight bound reached): then nothing is captured. */
  accepting(route: string, limit: number): boolean;
  /** Counted when a request that should have been shadowed was not (body over the cap). */
  skip(route: string, reason: 'body-too-large'): void;
}

export const UNMATCHED = '(unmatched)';

/** The shadow's body for a request without one (empty: nothing can be written into it). */
const NO_BODY = Buffer.alloc(0);

export interface HandlerOptions {
  readonly runtime: GatewayRuntime;
  /** Access log (pino); null for none. */
  readonly accessLog?: Logger | null;
  readonly shadow: ShadowSink;
  readonly proto: 'http' | 'https';
  readonly random?: () => number;
}

export function createHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { runtime, shadow, proto } = options;
  const random = options.random ?? Math.random;

  const access = options.accessLog ?? null;
  const logging = access !== null && access.isLevelEnabled('info');

  const record = (req: IncomingMessage, route: string, target: string, result: { status: number; ms: number; failure?: string | undefined }, window?: Window): void => {
    runtime.stats.request(route, target, result.status, result.ms, window);
    runtime.metrics.record(route, target, result.status, result.ms);
    if (logging && runtime.snapshot.config.accessLog) {
      const trace = req.headers.traceparent;
      access.info({ method: req.method, url: redactQuery(req.url ?? ''), route, target, status: result.status, ms: Math.round(result.ms * 100) / 100, ...(result.failure && { failure: result.failure }), ...(trace && { traceparent: trace }) }, 'request');
    }
  };

  return (req, res) => {
    const snap = runtime.snapshot;
    const method = req.method ?? 'GET';
    const { path: rawPath, query } = splitTarget(req.url ?? '/');
    const norm = normalisePath(rawPath);
    if (!norm.ok) {
      sendError(res, 400, `bad request path: ${norm.reason}`);
      return;
    }
    // Node's parser takes `gzip, chunked` and hands over the still gzip-coded bytes; forwarded
    // without the coding they would be misread. (A coding list not ending in chunked Node refuses itself.)
    const codings = req.headers['transfer-encoding']?.toLowerCase().split(',').map((c) => c.trim());
    if (codings !== undefined && codings.length > 1 && codings[codings.length - 1] === 'chunked') {
      sendError(res, 501, `transfer coding ${JSON.stringify(req.headers['transfer-encoding'])} is not supported; send the body chunked or with a Content-Length`);
      req.resume();
      return;
    }
    const badHost = hostProblem(req.rawHeaders);
    if (badHost !== null) {
      sendError(res, 400, `bad Host header: ${badHost}`);
      req.resume();
      return;
    }
    const limit = snap.config.limits.maxBodyBytes;
    const cl = req.headers['content-length'];
    if (cl !== undefined && Number(cl) > limit) {
      tooLarge(res, `request body of ${cl} bytes is over the limit of ${limit}`);
      req.resume();
      return;
    }
    const url = norm.path + query;
    const ip = clientAddress(req.socket.remoteAddress);
    const matched = snap.router.match(method, norm.path, req.headers);
    const route = matched?.route;
    // A client that goes away aborts the upstream request: forward() watches res for that.
    // The forwarded headers differ between upstreams only in Host, and only when an upstream
    // rewrites it (or the client sent none): the primary's are reused for the shadow otherwise.
    let builtFor: string | undefined;
    let built: Record<string, string | string[]> | undefined;
    const headersFor = (up: Upstream): Record<string, string | string[]> => {
      const host = up.hostRewrite || req.headers.host === undefined ? up.host : '';
      if (built === undefined || builtFor !== host) {
        built = upstreamRequestHeaders(req.headers, { clientIp: ip, proto, upstreamHost: up.host, hostRewrite: up.hostRewrite });
        builtFor = host;
      }
      return built;
    };

    if (!route) {
      const up = snap.monolith;
      void forward(up, res, { method, path: url, headers: headersFor(up), body: hasBody(req) ? limitedBody(req, limit) : null}).then(
        (r) => record(req, UNMATCHED, 'monolith', r),
        (err: unknown) => (err instanceof BodyTooLarge ? tooLarge(res, err.message) : sendError(res, 502, 'gateway error')),
      );
      return;
    }

    const settings = runtime.settings(route);
    const window = runtime.stats.currentWindow(route.id);
    const decided = decide({ routeId: route.id, mode: settings.mode, weight: settings.weight, shadow: route.shadow, method, cohortKey: settings.mode === 'canary' ? cohortKey(route.cohort, req.headers, query, ip) : undefined, random });
    if (decided.skipped === 'unsafe-method' || decided.skipped === 'not-sampled') runtime.stats.shadow(route.id, 'skipped');
    // A shadow the dispatcher cannot take now is dropped up front, so the primary copies nothing for it.
    const decision = decided.shadow !== null && !shadow.accepting(route.id, snap.config.limits.shadowInFlight) ? { ...decided, shadow: null } : decided;
    const service = snap.upstreams.get(route.service)!;
    const safe = SAFE_METHODS.has(method);
    const withBody = hasBody(req);
    // A copy of the body is needed to shadow it, or to send it again on fallback.
    const needCopy = decision.shadow !== null || (decision.primary === 'service' && route.fallback && safe && withBody);
    const cap = route.shadow?.maxBodyBytes ?? 1_048_576;
    const teed = withBody && needCopy ? teeBody(req, cap, limit) : null;
    const body = withBody ? (teed?.stream ?? limitedBody(req, limit)) : null;

    const toMonolith = (b: Readable | Buffer | null): Promise<ForwardResult> =>
      forward(snap.monolith, res, { method, path: url, headers: headersFor(snap.monolith), body: b, capture: decision.shadow ? cap : 0 });

    const run = async (): Promise<{ target: 'monolith' | 'service'; result: ForwardResult }> => {
      if (decision.primary === 'monolith') return { target: 'monolith', result: await toMonolith(body) };
      const canFallBack = route.fallback && safe;
      if (!service.breaker.allow()) {
        if (canFallBack) {
          runtime.stats.fallback(route.id);
          runtime.metrics.fallbacks.inc({ route: route.id });
          return { target: 'monolith', result: await toMonolith(teed ? await copyOf(teed) : body) };
        }
        sendError(res, 503, 'service unavailable (circuit open)', { upstream: service.name });
        return { target: 'service', result: { status: 503, headers: {}, ms: 0, failure: 'connect', body: null, answered: true } };
      }
      const result = await forward(service, res, {
        method,
        path: url,
        headers: headersFor(service),
        body,
        capture: decision.shadow ? cap : 0,
        holdOn5xx: canFallBack,
      });
      const failed = result.failure === 'held' || result.failure === 'timeout' || result.failure === 'connect' || (result.status >= 500 && result.failure === undefined);
      if (failed) service.breaker.failure();
      else if (result.failure === undefined) service.breaker.success();
      if (canFallBack && !result.answered && result.failure !== 'aborted' && (result.failure === 'held' || result.failure === 'timeout' || result.failure === 'connect' || result.failure === 'protocol')) {
        runtime.stats.fallback(route.id);
        runtime.metrics.fallbacks.inc({ route: route.id });
        return { target: 'monolith', result: await toMonolith(teed ? await copyOf(teed) : null) };
      }
      return { target: 'service', result };
    };

    void run().then(
      ({ target, result }) => {
        record(req, route.id, target, result, window);
        if (decision.shadow === null || result.failure === 'aborted') return;
        const copy = teed ? teed.copy() : NO_BODY;
        if (copy === null) {
          shadow.skip(route.id, 'body-too-large');
          return;
        }
        shadow.submit({ snapshot: snap, route, method, url, headers: headersFor(snap.upstreams.get(shadowUpstreamName(route, decision.shadow, snap))!), body: copy, primary: { target, result }, shadow: decision.shadow, window });
      },
      (err: unknown) => {
        if (err instanceof BodyTooLarge) tooLarge(res, err.message);
        else sendError(res, 502, 'gateway error');
      },
    );
  };
}

/** 413, closing the connection: the rest of the body is not read. */
function tooLarge(res: ServerResponse, message: string): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
  sendError(res, 413, message);
}

async function copyOf(teed: { done: Promise<void>; copy(): Buffer | null }): Promise<Buffer | null> {
  await teed.done;
  return teed.copy();
}

/** The upstream a shadow target names. */
export function shadowUpstreamName(route: RouteConfig, target: Target, snap: Snapshot): string {
  if (target === 'sandbox') return route.shadow?.sandbox ?? route.service;
  return target === 'service' ? route.service : snap.config.monolith;
}
