/**
 * `ficus.gateway.yaml`: the JSON Schema (TypeBox) the gateway validates its config against
 * once, defaults included, before freezing it. Shape:
 *
 *   listen:    { host, port, tls?: { cert, key } }
 *   admin:     { host, port, token }                   bearer token for the admin API
 *   monolith:  name of the upstream unmatched paths go to (default "monolith")
 *   upstreams: { <name>: { url, timeoutMs, connections, hostRewrite, tls?: { ca, cert, key } } }
 *   routes:    [{ id, match: { path, methods, headers }, service, mode, weight, cohort, shadow, fallback, rollout }]
 *   rollouts:  { state }                               where rollout progress is kept across restarts
 *   diffs:     { store: ndjson | postgres | none, path, url, table }
 *   limits:    { maxHeaderBytes, maxBodyBytes, shadowInFlight, shadowTurnMs, shadowShare, shadowJudge, shadowJudgeQueue, shadowJudgeBytes }
 */
import { Type, type Static } from '@sinclair/typebox';

const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'letters, digits, _ . -' });
const Percent = Type.Number({ minimum: 0, maximum: 100 });
const Ms = (d: number) => Type.Integer({ minimum: 1, maximum: 3_600_000, default: d });

export const MODES = ['monolith', 'shadow', 'canary', 'service'] as const;
export type Mode = (typeof MODES)[number];
const ModeSchema = Type.Union(MODES.map((m) => Type.Literal(m)));

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const TlsFiles = Type.Object(
  { cert: Type.Optional(Type.String()), key: Type.Optional(Type.String()), ca: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export const UpstreamSchema = Type.Object(
  {
    url: Type.String({ pattern: '^https?://', description: 'http:// or https:// base URL' }),
    timeoutMs: Ms(30_000),
    /** Keep-alive connections per upstream. */
    connections: Type.Integer({ minimum: 1, maximum: 4096, default: 256 }),
    /** Send the upstream's host instead of the client's (the client's goes in X-Forwarded-Host). */
    hostRewrite: Type.Boolean({ default: false }),
    tls: Type.Optional(TlsFiles),
  },
  { additionalProperties: false },
);

export const CompareSchema = Type.Object(
  {
    /** JSON paths (`$.generatedAt`, `$.items[*].updatedAt`) and `headers.<name>` left out of the comparison. */
    ignore: Type.Array(Type.String(), { default: [] }),
    /** JSON paths of arrays compared as multisets. */
    unorderedArrays: Type.Array(Type.String(), { default: [] }),
    /** Numbers closer than this (relative) are equal. */
    numericTolerance: Type.Number({ minimum: 0, default: 0 }),
    /** Response headers compared besides the status and body. */
    headers: Type.Array(Type.String(), { default: ['content-type'] }),
  },
  { additionalProperties: false },
);

export const ShadowSchema = Type.Object(
  {
    /** Share of matching requests teed to the other side, in %. */
    sample: Type.Number({ minimum: 0, maximum: 100, default: 100 }),
    /** never: unsafe methods are not shadowed; sandbox: to `sandbox`; always: to the live other side. */
    unsafeMethods: Type.Union([Type.Literal('never'), Type.Literal('sandbox'), Type.Literal('always')], { default: 'never' }),
    /** Upstream that receives unsafe methods when unsafeMethods is sandbox. */
    sandbox: Type.Optional(Name),
    /** Requests with larger bodies are not shadowed (counted). */
    maxBodyBytes: Type.Integer({ minimum: 0, default: 1_048_576 }),
    timeoutMs: Ms(2_000),
    compare: Type.Object(CompareSchema.properties, { additionalProperties: false, default: {} }),
    /**
     * Share (%) of shadowed requests also sent a second time to the primary side, to learn which
     * fields differ between two identical calls (noise), as Diffy's secondary does.
     */
    secondarySample: Type.Number({ minimum: 0, maximum: 100, default: 0 }),
    /** Extra JSON paths / header names redacted in recorded diffs. */
    redact: Type.Array(Type.String(), { default: [] }),
  },
  { additionalProperties: false },
);

export const CohortSchema = Type.Object(
  {
    header: Type.Optional(Type.String({ minLength: 1 })),
    cookie: Type.Optional(Type.String({ minLength: 1 })),
    query: Type.Optional(Type.String({ minLength: 1 })),
    ip: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** `1%`, `0.5%`, or a plain number of percent. */
const PercentLimit = Type.Union([Percent, Type.String({ pattern: '^\\d+(\\.\\d+)?%$', description: 'a percentage such as 1% or 0.5%' })]);
/** `500ms`, `30s`, `5m`, `1h`, or a number of milliseconds. */
export const Duration = Type.Union([
  Type.Integer({ minimum: 1 }),
  Type.String({ pattern: '^\\d+(\\.\\d+)?(ms|s|m|h)$', description: 'a duration such as 500ms, 30s, 5m or 1h' }),
]);

export const RolloutSchema = Type.Object(
  {
    /** Canary weights in %, ascending; the route moves up one step per interval while every gate holds. */
    steps: Type.Array(Percent, { minItems: 1, maxItems: 100 }),
    interval: Type.Union(Duration.anyOf, { default: '5m' }),
    /** Requests the route must see in an interval before its gates are judged. */
    minRequests: Type.Integer({ minimum: 1, default: 100 }),
    gates: Type.Object(
      {
        /** Share of the service's answers that were 5xx or no answer. */
        maxErrorRate: Type.Optional(PercentLimit),
        /** 99th percentile of the service's answer times. */
        maxP99Ms: Type.Optional(Type.Number({ minimum: 0 })),
        /** Share of shadow comparisons that differed (noise excluded). */
        maxDiffRate: Type.Optional(PercentLimit),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Each step, rollback and migration is POSTed here as JSON (best effort, 5 s timeout). */
    webhook: Type.Optional(Type.String({ pattern: '^https?://', description: 'an http:// or https:// URL' })),
  },
  { additionalProperties: false },
);

export const RouteSchema = Type.Object(
  {
    id: Name,
    match: Type.Object(
      {
        /** Prefix (`/products` matches `/products/7`), or a pattern with params (`/products/:id`). */
        path: Type.String({ pattern: '^/', description: 'a path starting with /' }),
        /** Match only this many segments (`/orders` then matches `/orders` but not `/orders/7`). */
        exact: Type.Optional(Type.Boolean()),
        methods: Type.Optional(Type.Array(Type.Union(METHODS.map((m) => Type.Literal(m))), { minItems: 1, uniqueItems: true })),
        /** Header name → exact value, or `~regex`. */
        headers: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.String())),
      },
      { additionalProperties: false },
    ),
    /** The upstream the new service runs at. */
    service: Name,
    mode: Type.Optional(ModeSchema),
    /** Canary share in %. */
    weight: Type.Optional(Percent),
    cohort: Type.Optional(CohortSchema),
    shadow: Type.Optional(ShadowSchema),
    /** For idempotent methods: answer from the monolith when the service errors or times out. */
    fallback: Type.Boolean({ default: true }),
    /** Progressive delivery: step the canary weight up while the gates hold, back to the monolith when one fails. */
    rollout: Type.Optional(RolloutSchema),
  },
  { additionalProperties: false },
);

export const GatewayConfigSchema = Type.Object(
  {
    listen: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
        tls: Type.Optional(TlsFiles),
      },
      { additionalProperties: false, default: {} },
    ),
    admin: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 9901 }),
        token: Type.Optional(Type.String({ minLength: 16, description: 'at least 16 characters' })),
      },
      { additionalProperties: false, default: {} },
    ),
    monolith: Type.String({ default: 'monolith' }),
    upstreams: Type.Record(Name, UpstreamSchema, { minProperties: 1 }),
    routes: Type.Array(RouteSchema, { default: [] }),
    diffs: Type.Object(
      {
        store: Type.Union([Type.Literal('ndjson'), Type.Literal('postgres'), Type.Literal('none')], { default: 'ndjson' }),
        path: Type.String({ default: './ficus-diffs' }),
        url: Type.Optional(Type.String()),
        table: Type.String({ default: 'ficus_diffs', pattern: '^[a-z_][a-z0-9_]*$' }),
      },
      { additionalProperties: false, default: {} },
    ),
    rollouts: Type.Object(
      {
        /** File the rollout state is kept in (written atomically), so a restart resumes where it was. */
        state: Type.String({ default: './ficus-rollouts.json' }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** One pino JSON line per request (method, url, route, target, status, ms, traceparent) at info level. */
    accessLog: Type.Boolean({ default: true }),
    limits: Type.Object(
      {
        maxHeaderBytes: Type.Integer({ minimum: 1024, default: 16_384 }),
        /** Request bodies larger than this are refused with 413. */
        maxBodyBytes: Type.Integer({ minimum: 0, default: 10_485_760 }),
        /** Shadow calls in flight at once; more are dropped and counted. */
        shadowInFlight: Type.Integer({ minimum: 1, default: 64 }),
        /**
         * Milliseconds of shadow comparing and recording per turn of the event loop; the rest waits for
         * the next turn, so answers that arrive together do not hold up the primary requests.
         */
        shadowTurnMs: Type.Number({ minimum: 0.1, maximum: 1000, default: 1 }),
        /**
         * The share of the proxy thread's time the shadow comparisons may take in the long run (a
         * fraction, 0.01–1); answers that arrive while it is used up are dropped and counted
         * (`judge-busy`), so a shadow whose every answer differs cannot take the primary's time.
         */
        shadowShare: Type.Number({ minimum: 0.01, maximum: 1, default: 0.25 }),
        /**
         * Exchanges waiting for the shadow judge at once, and the bytes of their bodies (both answers and
         * the request); past either a differing answer is dropped and counted (`judge-busy`), not queued.
         */
        shadowJudgeQueue: Type.Integer({ minimum: 1, default: 1024 }),
        /**
         * Where differing shadow answers are judged (read at start): `inline` (the proxy's thread) or
         * `thread` (a worker thread of its own) — worth it for large bodies (tens of KiB and up), a loss
         * for small ones (bench/RESULTS.md, main-thread section).
         */
        shadowJudge: Type.Union([Type.Literal('inline'), Type.Literal('thread')], { default: 'inline' }),
        shadowJudgeBytes: Type.Integer({ minimum: 0, default: 33_554_432 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, $id: 'https://ficus.dev/schemas/gateway-config.schema.json' },
);

export type GatewayConfigInput = Static<typeof GatewayConfigSchema>;
export type RouteConfig = Static<typeof RouteSchema>;
export type UpstreamConfig = Static<typeof UpstreamSchema>;
export type ShadowConfig = Static<typeof ShadowSchema>;
export type CompareConfig = Static<typeof CompareSchema>;
export type CohortConfig = Static<typeof CohortSchema>;
export type RolloutConfig = Static<typeof RolloutSchema>;
