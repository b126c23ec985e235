// Liveness/readiness endpoint used by the load balancer.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../lib/db.js';

export function healthRoutes(app: FastifyInstance, db: Db): void {
  app.get('/health', async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok', db: db.kind };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', db: db.kind, error: String(err) });
    }
  });
}
