/**
 * Admin endpoints for routes (a fastify plugin, registered behind the token):
 *   GET  /routes                 every route with live mode/weight and stats, (unmatched), precedence
 *   GET  /routes/:id             one route
 *   PUT  /routes/:id             { mode?, weight?, reason? } → the change log entry
 *   POST /routes/:id/rollback    { reason? } → back to the monolith at once
 *   POST /rollback               { reason? } → every route back to the monolith
 *   GET  /changes?limit=         the change log, newest first
 * Changes are made by the runtime (which logs them too) with `by` = `admin:<client address>`;
 * each is logged here again with the request id, so an operator can tie it to the request.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isFicusError } from '../../core/index.js';
import { MODES, type Mode } from '../config/schema.js';
import { GatewayErrorCode } from '../errors.js';
import type { ChangeLogEntry } from '../runtime.js';
import { AdminErrorCode, sendError } from './errors.js';
import { routeView, routesView, unknownRoute, type AdminGateway } from './views.js';

export const CHANGE_FIELDS = ['mode', 'weight', 'reason'] as const;
export const DEFAULT_CHANGES_LIMIT = 100;
export const MAX_CHANGES_LIMIT = 1000;

const IdParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['id'],
} as const;

const Reason = { type: 'string', maxLength: 500 } as const;

const ChangeBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { type: 'string', enum: [...MODES] },
    weight: { type: 'number', minimum: 0, maximum: 100 },
    reason: Reason,
  },
} as const;

const RollbackBody = { type: ['object', 'null'], additionalProperties: false, properties: { reason: Reason } } as const;

const ChangesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_CHANGES_LIMIT } },
} as const;

interface ChangeRequest {
  Params: { id: string };
  Body: { mode?: Mode; weight?: number; reason?: string };
}

interface RollbackRequest {
  Params: { id: string };
  Body: { reason?: string } | null | undefined;
}

/** Who made a change: `admin:<client address>`. */
export function caller(req: FastifyRequest): string {
  return `admin:${req.ip}`;
}

function logChange(req: FastifyRequest, entry: ChangeLogEntry): void {
  req.log.info({ route: entry.route, from: entry.from, to: entry.to, by: entry.by, reason: entry.reason, at: entry.at }, 'admin changed route');
}

export function routeEndpoints(gateway: AdminGateway) {
  const { runtime } = gateway;
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/routes', async () => routesView(runtime, gateway.rollouts));

    app.get<{ Params: { id: string } }>('/routes/:id', { schema: { params: IdParams } }, async (req, reply) => {
      const route = runtime.route(req.params.id);
      if (!route) return sendError(reply, 404, AdminErrorCode.NOT_FOUND, unknownRoute(runtime, req.params.id));
      return routeView(runtime, route, gateway.rollouts);
    });

    app.put<ChangeRequest>('/routes/:id', { schema: { params: IdParams, body: ChangeBody } }, async (req, reply) => {
      const { id } = req.params;
      if (!runtime.route(id)) return sendError(reply, 404, AdminErrorCode.NOT_FOUND, unknownRoute(runtime, id));
      const { mode, weight, reason } = req.body ?? {};
      if (mode === undefined && weight === undefined) {
        return sendError(
          reply,
          400,
          AdminErrorCode.REQUEST,
          `body names neither mode nor weight; give mode (one of ${MODES.join(', ')}) and/or weight (0 to 100)`,
        );
      }
      let entry: ChangeLogEntry;
      try {
        entry = runtime.change({
          route: id,
          ...(mode !== undefined && { mode }),
          ...(weight !== undefined && { weight }),
          by: caller(req),
          ...(reason !== undefined && { reason }),
        });
      } catch (err) {
        // A reload may have removed the route since the check above.
        if (isFicusError(err) && err.code === GatewayErrorCode.ADMIN_CHANGE && !runtime.route(id))
          return sendError(reply, 404, AdminErrorCode.NOT_FOUND, err.message);
        throw err;
      }
      logChange(req, entry);
      return entry;
    });

    app.post<RollbackRequest>('/routes/:id/rollback', { schema: { params: IdParams, body: RollbackBody } }, async (req, reply) => {
      const { id } = req.params;
      if (!runtime.route(id)) return sendError(reply, 404, AdminErrorCode.NOT_FOUND, unknownRoute(runtime, id));
      const changes = runtime.rollback(caller(req), req.body?.reason ?? 'rollback through the admin API', id);
      for (const e of changes) logChange(req, e);
      return { changes };
    });

    app.post<{ Body: RollbackRequest['Body'] }>('/rollback', { schema: { body: RollbackBody } }, async (req) => {
      const changes = runtime.rollback(caller(req), req.body?.reason ?? 'rollback of every route through the admin API');
      for (const e of changes) logChange(req, e);
      return { changes };
    });

    app.get<{ Querystring: { limit?: number } }>('/changes', { schema: { querystring: ChangesQuery } }, async (req) => {
      const limit = req.query.limit ?? DEFAULT_CHANGES_LIMIT;
      return { changes: runtime.changes.slice(-limit).reverse() };
    });
  };
}
