// HTTP plumbing shared by all routes: JSON error bodies `{ "error": "…" }` and request logging.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from './errors.js';
import type { Logger } from './logger.js';

export function installHttpConventions(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.statusCode).send({ error: err.message });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply.code(400).send({ error: fe.message });
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({ error: fe.message });
    }
    logger.error('unhandled error', { method: req.method, url: req.url, err: err.stack ?? String(err) });
    return reply.code(500).send({ error: 'internal server error' });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: `route ${req.method} ${req.url.split('?')[0]} not found` });
  });

  app.addHook('onResponse', async (req, reply) => {
    logger.debug('request', { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
  });
}

/** Reads a single string from a query value that may arrive as an array. */
export function queryString(value: unknown): string | undefined {
  if (Array.isArray(value)) return queryString(value[0]);
  return typeof value === 'string' ? value : undefined;
}
