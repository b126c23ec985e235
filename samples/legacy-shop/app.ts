// Builds the legacy-shop fastify app (routes, services, error handling) without listening.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from './lib/db.js';
import { createLogger, type Logger } from './lib/logger.js';
import { defaultConfig, type ShopConfig } from './lib/config.js';
import { EventBus } from './lib/eventBus.js';
import { createMailer, type Mailer } from './lib/mailer.js';
import { installHttpConventions } from './lib/http.js';
import type { AppContext } from './lib/context.js';
import { createServices } from './container.js';
import { registerRoutes } from './routes/index.js';

export { openDatabase, type Db } from './lib/db.js';
export { initDatabase } from './db/init.js';

export interface BuildAppOptions {
  db: Db;
  logger?: Logger;
  config?: ShopConfig;
  mailer?: Mailer;
}

/**
 * @example
 *   const db = await openDatabase();      // PGlite in memory
 *   await initDatabase(db);               // schema + seed
 *   const app = buildApp({ db });
 *   await app.listen({ port: 0 });
 */
export function buildApp(opts: BuildAppOptions): FastifyInstance {
  const logger = opts.logger ?? createLogger('info');
  const ctx: AppContext = {
    db: opts.db,
    logger,
    config: opts.config ?? defaultConfig,
    events: new EventBus(logger.child('events')),
    mailer: opts.mailer ?? createMailer(),
  };
  const app = Fastify({ logger: false });
  installHttpConventions(app, logger);
  registerRoutes(app, createServices(ctx), ctx);
  return app;
}
