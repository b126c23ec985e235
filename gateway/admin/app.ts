/**
 * The admin API: a fastify app on its own port (built apart from listen, so tests inject), JSON
 * throughout, every endpoint behind the bearer token but /healthz.
 *
 *   GET  /healthz                      200 { ok: true } — the process is up (no token)
 *   GET  /readyz                       200 when the data plane listens and the last reload did not fail, else 503
 *   GET  /routes, /routes/:id          routes with live mode/weight, stats, precedence   (routes.ts)
 *   PUT  /routes/:id                   { mode?, weight?, reason? } → change log entry
 *   POST /routes/:id/rollback, /rollback   back to the monolith at once
 *   GET  /changes?limit=               the change log, newest first
 *   GET  /ui                           the migration dashboard (sign-in form, then a self-refreshing page)   (ui.ts)
 *   GET  /rollouts, /routes/:id/rollout; POST /routes/:id/rollout/pause|resume|promote|abort      (rollouts.ts)
 *   GET  /diffs?route=&after=&limit=&includeNoise=, /noise?route=                     (diffs.ts)
 *   GET  /metrics                      Prometheus text; scrape with the token:
 *                                      `authorization: Bearer <token>` (Prometheus: `authorization: { credentials: … }`)
 *
 * @example
 *   const gateway = await buildGateway({ config, logger });
 *   const admin = buildAdmin(gateway, { logger });
 *   if (admin.generatedToken) io.stdout.write(`admin token: ${admin.generatedToken}\n`); // cli/ prints it once
 *   await gateway.listen();
 *   await admin.listen({ host: config.admin.host, port: config.admin.port });
 */
import { randomUUID } from 'node:crypto';
import { fastify, LogController, type FastifyInstance } from 'fastify';
import type { Logger } from '../../core/index.js';
import { requireToken, resolveToken, type AdminToken } from './auth.js';
import { diffEndpoints } from './diffs.js';
import { AdminErrorCode, adminErrorHandler, sendError } from './errors.js';
import { rolloutEndpoints } from './rollouts.js';
import { routeEndpoints } from './routes.js';
import { uiEndpoints } from './ui.js';
import type { AdminGateway } from './views.js';

export interface AdminOptions {
  /** The admin API's logger; a `{ mod: 'admin' }` child is taken unless it is one already. */
  readonly logger: Logger;
  /** Overrides config admin.token (at least 16 characters). Without either, one is generated (loopback only). */
  readonly token?: string;
  /** The random source for a generated token; injected by tests. */
  readonly randomBytes?: (size: number) => Buffer;
  /** How often the dashboard page refreshes itself (ms, default 2000). */
  readonly uiRefreshMs?: number;
}

/** The admin fastify app; `generatedToken` is set when no token was configured or given. */
export type AdminApp = FastifyInstance & { readonly generatedToken: string | undefined };

/**
 * Builds (does not listen) the admin API over a gateway.
 * @throws FicusError GW_ADMIN_UNSAFE when it would listen beyond loopback without a token.
 */
export function buildAdmin(gateway: AdminGateway, options: AdminOptions): AdminApp {
  const { runtime } = gateway;
  const adminToken: AdminToken = resolveToken(runtime.snapshot.config.admin, options.token, options.randomBytes);
  const logger = options.logger.bindings().mod === 'admin' ? options.logger : options.logger.child({ mod: 'admin' });
  const app = fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: 64 * 1024,
    // Unknown fields are refused, not silently dropped (fastify's default removes them).
    ajv: { customOptions: { removeAdditional: false } },
  }) as unknown as FastifyInstance;
  // JSON only: a text/plain body is refused with 415 rather than validated as a string.
  app.removeContentTypeParser('text/plain');
  app.decorate('generatedToken', adminToken.generated ? adminToken.token : undefined);
  app.setErrorHandler(adminErrorHandler);
  app.setNotFoundHandler((req, reply) =>
    sendError(
      reply,
      404,
      AdminErrorCode.NOT_FOUND,
      `no admin endpoint ${req.method} ${req.url.split('?')[0]}; see GET /routes, /changes, /rollouts, /diffs, /noise, /metrics, /readyz, /healthz`,
    ),
  );
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('cache-control', 'no-store');
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.register(uiEndpoints({ token: adminToken.token, ...(options.uiRefreshMs !== undefined && { refreshMs: options.uiRefreshMs }) }));

  app.register(async (secured) => {
    secured.addHook('onRequest', requireToken(adminToken.token));

    secured.get('/readyz', async (_req, reply) => {
      const reason = !gateway.server.listening ? 'the data plane is not listening' : runtime.lastReloadError;
      if (reason !== null) return reply.code(503).send({ ready: false, reason });
      return { ready: true, loadedAt: runtime.snapshot.loadedAt, ...(gateway.writer && { diffs: gateway.writer.stats() }) };
    });

    secured.get('/metrics', async (_req, reply) => {
      const registry = runtime.metrics.registry;
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    });

    await secured.register(routeEndpoints(gateway));
    await secured.register(diffEndpoints(gateway));
    await secured.register(rolloutEndpoints(gateway));
  });

  return app as AdminApp;
}
