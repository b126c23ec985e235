// HTTP handlers for payments, refunds and invoices.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { asBody, optionalInt, optionalString, parseId } from '../lib/validation.js';
import type { PaymentService } from '../services/PaymentService.js';
import type { InvoiceService } from '../services/InvoiceService.js';

export class PaymentController {
  constructor(
    private readonly payments: PaymentService,
    private readonly invoices: InvoiceService,
  ) {}

  charge = async (req: FastifyRequest<{ Params: { orderId: string }; Body: unknown }>, reply: FastifyReply) => {
    const body = asBody(req.body ?? {});
    const cardNumber = optionalString(body, 'cardNumber', { pattern: /^[0-9 ]{12,23}$/ });
    const payment = await this.payments.charge(parseId(req.params.orderId, 'orderId'), cardNumber);
    return reply.code(201).send(payment);
  };

  get = async (req: FastifyRequest<{ Params: { id: string } }>) => this.payments.get(parseId(req.params.id));

  refund = async (req: FastifyRequest<{ Params: { id: string }; Body: unknown }>, reply: FastifyReply) => {
    const body = asBody(req.body ?? {});
    const amountCents = optionalInt(body, 'amountCents', 1, 100_000_000);
    const refund = await this.payments.refund(parseId(req.params.id), amountCents, optionalString(body, 'reason', { max: 200 }) ?? null);
    return reply.code(201).send(refund);
  };

  invoice = async (req: FastifyRequest<{ Params: { orderId: string } }>) => this.invoices.getForOrder(parseId(req.params.orderId, 'orderId'));
}
