// HTTP handlers for stock levels, adjustments and warehouses.
import type { FastifyRequest } from 'fastify';
import { asBody, parseId, requireInt, requireString } from '../lib/validation.js';
import { ValidationError } from '../lib/errors.js';
import type { InventoryService } from '../services/InventoryService.js';

export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  stock = async (req: FastifyRequest<{ Params: { productId: string } }>) => this.inventory.getStock(parseId(req.params.productId, 'productId'));

  adjust = async (req: FastifyRequest<{ Params: { productId: string } }>) => {
    const productId = parseId(req.params.productId, 'productId');
    const body = asBody(req.body);
    const delta = requireInt(body, 'delta', -100_000, 100_000);
    if (delta === 0) throw new ValidationError('delta must not be 0');
    return this.inventory.adjust(productId, requireInt(body, 'warehouseId', 1), delta, requireString(body, 'reason', { max: 200 }));
  };

  warehouses = async () => ({ items: await this.inventory.listWarehouses() });

  lowStock = async (req: FastifyRequest<{ Querystring: { threshold?: string } }>) => {
    const raw = req.query.threshold;
    if (raw !== undefined && !/^\d{1,5}$/.test(raw)) throw new ValidationError(`threshold must be a non-negative integer, got "${raw}"`);
    const threshold = raw === undefined ? undefined : Number(raw);
    return { items: await this.inventory.lowStock(threshold) };
  };
}
