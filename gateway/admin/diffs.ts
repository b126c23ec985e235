/**
 * Admin endpoints for what shadowing found (a fastify plugin, registered behind the token):
 *   GET /diffs?route=&after=&limit=&includeNoise=   DiffRecords from the store, in id order;
 *                                                   `next` is the id to pass as `after` for the next page
 *   GET /noise?route=                               noise paths learnt per route
 * Paging and limits follow the DiffStore's query rules (limit 1–10 000, default 100; noise left out
 * unless asked for). A store that cannot answer is a 503 with the store's sentence.
 */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from '../store/query.js';
import { AdminErrorCode, sendError } from './errors.js';
import { unknownRoute, type AdminGateway } from './views.js';

export const DIFF_QUERY_FIELDS = ['route', 'after', 'limit', 'includeNoise'] as const;

const DiffsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    route: { type: 'string', minLength: 1 },
    after: { type: 'string', minLength: 1 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT },
    includeNoise: { type: 'boolean' },
  },
} as const;

const NoiseQuery = { type: 'object', additionalProperties: false, properties: { route: { type: 'string', minLength: 1 } } } as const;

interface DiffsRequest {
  Querystring: { route?: string; after?: string; limit?: number; includeNoise?: boolean };
}

export function diffEndpoints(gateway: AdminGateway) {
  const { runtime } = gateway;
  return async (app: FastifyInstance): Promise<void> => {
    app.get<DiffsRequest>('/diffs', { schema: { querystring: DiffsQuery } }, async (req) => {
      const { route, after, includeNoise } = req.query;
      const limit = req.query.limit ?? DEFAULT_LIST_LIMIT;
      const diffs = await gateway.store.list({
        ...(route !== undefined && { route }),
        ...(after !== undefined && { after }),
        limit,
        ...(includeNoise !== undefined && { includeNoise }),
      });
      const last = diffs.at(-1);
      return { diffs, next: diffs.length === limit && last ? last.id : null, ...(gateway.writer && { writer: gateway.writer.stats() }) };
    });

    app.get<{ Querystring: { route?: string } }>('/noise', { schema: { querystring: NoiseQuery } }, async (req, reply) => {
      const { route } = req.query;
      const noise = await gateway.dispatcher.noise();
      if (route !== undefined) {
        const paths = Object.hasOwn(noise, route) ? noise[route] : undefined;
        if (!paths && !runtime.route(route)) return sendError(reply, 404, AdminErrorCode.NOT_FOUND, unknownRoute(runtime, route));
        return { noise: { [route]: paths ?? [] } };
      }
      return { noise };
    });
  };
}
