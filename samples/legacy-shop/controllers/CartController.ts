// HTTP handlers for the shopping cart and checkout.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { asBody, optionalInt, optionalString, parseId } from '../lib/validation.js';
import type { CartService } from '../services/CartService.js';
import type { CheckoutOptions, OrderService } from '../services/OrderService.js';

type CustomerParams = { Params: { customerId: string } };

export class CartController {
  constructor(
    private readonly carts: CartService,
    private readonly orders: OrderService,
  ) {}

  get = async (req: FastifyRequest<CustomerParams>) => this.carts.getCart(parseId(req.params.customerId, 'customerId'));

  addItem = async (req: FastifyRequest<CustomerParams & { Body: { productId: number; quantity?: number } }>, reply: FastifyReply) => {
    const cart = await this.carts.addItem(parseId(req.params.customerId, 'customerId'), req.body.productId, req.body.quantity ?? 1);
    return reply.code(201).send(cart);
  };

  removeItem = async (req: FastifyRequest<{ Params: { customerId: string; productId: string } }>) =>
    this.carts.removeItem(parseId(req.params.customerId, 'customerId'), parseId(req.params.productId, 'productId'));

  checkout = async (req: FastifyRequest<CustomerParams & { Body: unknown }>, reply: FastifyReply) => {
    const body = asBody(req.body ?? {});
    const opts: CheckoutOptions = {
      addressId: optionalInt(body, 'addressId', 1),
      carrierCode: optionalString(body, 'carrierCode', { max: 10 }),
      cardNumber: optionalString(body, 'cardNumber', { pattern: /^[0-9 ]{12,23}$/ }),
      promoCode: optionalString(body, 'promoCode', { max: 40 }),
    };
    const order = await this.orders.placeOrder(parseId(req.params.customerId, 'customerId'), opts);
    return reply.code(201).send(order);
  };
}
