// Routes for promotion codes.
import type { FastifyInstance } from 'fastify';
import type { PromotionController } from '../controllers/PromotionController.js';

const validateSchema = {
  body: {
    type: 'object',
    required: ['code', 'subtotalCents'],
    properties: { code: { type: 'string', minLength: 1, maxLength: 40 }, subtotalCents: { type: 'integer', minimum: 0 } },
  },
};

export function promotionRoutes(app: FastifyInstance, promotions: PromotionController): void {
  app.get('/promotions', promotions.list);
  app.post('/promotions/validate', { schema: validateSchema }, promotions.validate);
}
