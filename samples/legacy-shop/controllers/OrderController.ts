// HTTP handlers for the order back-office: list, detail, cancel.
import type { FastifyRequest } from 'fastify';
import { parsePage } from '../lib/pagination.js';
import { queryString } from '../lib/http.js';
import { asBody, optionalString, parseId } from '../lib/validation.js';
import { ValidationError } from '../lib/errors.js';
import type { ShopConfig } from '../lib/config.js';
import { ORDER_STATUSES, type OrderStatus } from '../models/Order.js';
import type { OrderService } from '../services/OrderService.js';

export class OrderController {
  constructor(
    private readonly orders: OrderService,
    private readonly config: ShopConfig,
  ) {}

  list = async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const status = queryString(req.query.status);
    if (status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(status)) {
      throw new ValidationError(`status must be one of ${ORDER_STATUSES.join(', ')}`);
    }
    const customer = queryString(req.query.customerId);
    return this.orders.list(
      { status: status as OrderStatus | undefined, customerId: customer === undefined ? undefined : parseId(customer, 'customerId') },
      parsePage(req.query, this.config),
    );
  };

  get = async (req: FastifyRequest<{ Params: { id: string } }>) => this.orders.get(parseId(req.params.id));

  cancel = async (req: FastifyRequest<{ Params: { id: string }; Body: unknown }>) => {
    const reason = optionalString(asBody(req.body ?? {}), 'reason', { max: 200 });
    return this.orders.cancel(parseId(req.params.id), reason ?? 'customer_request');
  };
}
