// HTTP handlers for promotion codes.
import type { FastifyRequest } from 'fastify';
import type { PromotionService } from '../services/PromotionService.js';

export class PromotionController {
  constructor(private readonly promotions: PromotionService) {}

  list = async () => ({ items: await this.promotions.listCurrent() });

  validate = async (req: FastifyRequest<{ Body: { code: string; subtotalCents: number } }>) =>
    this.promotions.validate(req.body.code, req.body.subtotalCents);
}
