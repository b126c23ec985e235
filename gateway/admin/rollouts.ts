/**
 * Admin endpoints for rollouts (a fastify plugin, registered behind the token):
 *   GET  /rollouts                          every route's rollout (phase, step, weight, last gate judgement, history)
 *   GET  /routes/:id/rollout                one
 *   POST /routes/:id/rollout/:action        pause | resume | promote | abort, body { reason? } → the rollout
 * An action that does not apply in the rollout's phase (pausing a paused one…) is 409 with
 * GW_ROLLOUT_ACTION; a route without a rollout is 404.
 */
import type { FastifyInstance } from 'fastify';
import { isFicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import { ROLLOUT_ACTIONS, type RolloutAction } from '../rollout/controller.js';
import { AdminErrorCode, sendError } from './errors.js';
import { caller } from './routes.js';
import type { AdminGateway } from './views.js';

const ActionParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 }, action: { type: 'string', enum: [...ROLLOUT_ACTIONS] } },
  required: ['id', 'action'],
} as const;
const IdParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'] } as const;
const ActionBody = { type: ['object', 'null'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } } as const;

function noRollout(gateway: AdminGateway, id: string): string {
  const ids = gateway.rollouts?.views().map((v) => v.route) ?? [];
  return `route "${id}" has no rollout; routes with one: ${ids.join(', ') || '(none)'}`;
}

export function rolloutEndpoints(gateway: AdminGateway) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/rollouts', async () => ({ rollouts: gateway.rollouts?.views() ?? [] }));

    app.get<{ Params: { id: string } }>('/routes/:id/rollout', { schema: { params: IdParams } }, async (req, reply) => {
      const view = gateway.rollouts?.view(req.params.id);
      return view ?? sendError(reply, 404, AdminErrorCode.NOT_FOUND, noRollout(gateway, req.params.id));
    });

    app.post<{ Params: { id: string; action: RolloutAction }; Body: { reason?: string } | null }>(
      '/routes/:id/rollout/:action',
      { schema: { params: ActionParams, body: ActionBody } },
      async (req, reply) => {
        const { id, action } = req.params;
        if (!gateway.rollouts?.view(id)) return sendError(reply, 404, AdminErrorCode.NOT_FOUND, noRollout(gateway, id));
        try {
          const view = gateway.rollouts.act(id, action, caller(req), req.body?.reason);
          req.log.info({ route: id, action, by: caller(req), phase: view.phase, weight: view.weight }, 'admin rollout action');
          return view;
        } catch (err) {
          if (isFicusError(err) && err.code === GatewayErrorCode.ROLLOUT_ACTION) return sendError(reply, 409, err.code, err.message);
          throw err;
        }
      },
    );
  };
}
