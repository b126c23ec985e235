/**
 * Builds the catalog service's fastify instance (no listen, so tests and server.ts both start
 * it): repositories over the given database, the product and category routes, the one error
 * handler, a health check, and the `x-catalog-version: 2` header on every response.
 *
 * @example
 *   const app = await buildApp({ db: await openDatabase() });
 *   await app.listen({ port: 0, host: '127.0.0.1' });
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { categoryRoutes } from './categories/routes.js';
import { createCategoryRepository } from './categories/repository.js';
import type { Database } from './db/pool.js';
import { handleError } from './errors.js';
import { installValidators } from './validation.js';
import { productRoutes } from './products/routes.js';
import { createProductRepository } from './products/repository.js';

export const CATALOG_VERSION = '2';

export interface BuildAppOptions {
  db: Database;
  /**
   * The squad's fix for the first two known differences (README): prices as the monolith's
   * numbers and searches in id order. The extra slug and the version header stay.
   */
  compat?: boolean;
  /** Passed to fastify; off by default so the service stays quiet. */
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp({ db, logger = false, compat = false }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger });
  const products = createProductRepository(db, { searchOrder: compat ? 'id' : 'name' });
  const categories = createCategoryRepository(db);

  installValidators(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({
      error: `route ${req.method} ${req.url.split('?')[0]} not found`,
    });
  });
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('x-catalog-version', CATALOG_VERSION);
  });

  app.get('/health', async () => ({ status: 'ok', db: db.kind }));
  await app.register(productRoutes, { products, compat });
  await app.register(categoryRoutes, { categories, products, compat });
  return app;
}
