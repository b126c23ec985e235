// Payments: charging orders through the card gateway, refunds, and the order status they drive.
import type { AppContext } from '../lib/context.js';
import { ConflictError, NotFoundError, PaymentDeclinedError, ValidationError } from '../lib/errors.js';
import * as gateway from '../lib/paymentGateway.js';
import { PaymentRepository } from '../repositories/PaymentRepository.js';
import { RefundRepository } from '../repositories/RefundRepository.js';
import { OrderRepository } from '../repositories/OrderRepository.js';
import { refundableCents, toPayment, type Payment } from '../models/Payment.js';
import { toRefund, type Refund } from '../models/Refund.js';

export class PaymentService {
  private readonly payments: PaymentRepository;
  private readonly refunds: RefundRepository;
  private readonly orders: OrderRepository; // payments flips order status itself (legacy shortcut)

  constructor(private readonly ctx: AppContext) {
    this.payments = new PaymentRepository(ctx.db);
    this.refunds = new RefundRepository(ctx.db);
    this.orders = new OrderRepository(ctx.db);
  }

  /** Charges the order total; marks the order paid, or payment_failed and throws 402. */
  async charge(orderId: number, cardNumber: string = gateway.DEFAULT_TEST_CARD): Promise<Payment> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new NotFoundError('order', orderId);
    if (order.status !== 'pending' && order.status !== 'payment_failed') {
      throw new ConflictError(`order ${orderId} cannot be charged in status ${order.status}`);
    }
    const result = gateway.charge({ orderId, amountCents: order.total_cents, currency: order.currency, cardNumber });
    const payment = await this.payments.create({
      orderId,
      amountCents: order.total_cents,
      currency: order.currency,
      status: result.approved ? 'captured' : 'declined',
      cardLast4: gateway.cardLast4(cardNumber) || null,
      reference: result.reference,
      failureReason: result.declineReason ?? null,
    });
    if (!result.approved) {
      await this.orders.updateStatus(orderId, 'payment_failed');
      this.ctx.logger.warn('payment declined', { orderId, reason: result.declineReason });
      throw new PaymentDeclinedError(orderId, result.declineReason ?? 'declined');
    }
    await this.orders.updateStatus(orderId, 'paid');
    await this.ctx.events.publish({ type: 'payment.captured', paymentId: payment.id, orderId, customerId: order.customer_id, amountCents: payment.amount_cents });
    return toPayment(payment);
  }

  async get(id: number): Promise<Payment> {
    const row = await this.payments.findById(id);
    if (!row) throw new NotFoundError('payment', id);
    return toPayment(row);
  }

  /** Refunds part or all of what is left on a payment (default: all of it). */
  async refund(paymentId: number, amountCents: number | undefined, reason: string | null): Promise<Refund> {
    const payment = await this.get(paymentId);
    const left = refundableCents(payment);
    if (left === 0) throw new ConflictError(`payment ${paymentId} has nothing left to refund`);
    const amount = amountCents ?? left;
    if (amount < 1 || amount > left) throw new ValidationError(`amountCents must be between 1 and ${left} for payment ${paymentId}`);
    const sequence = await this.refunds.countForPayment(paymentId);
    const result = gateway.refund(payment.reference, amount, sequence);
    const row = await this.refunds.create(paymentId, amount, reason, result.reference);
    await this.payments.updateStatus(paymentId, amount === left ? 'refunded' : 'partially_refunded');
    const order = await this.orders.findById(payment.orderId);
    await this.ctx.events.publish({
      type: 'payment.refunded',
      refundId: row.id,
      paymentId,
      orderId: payment.orderId,
      customerId: order?.customer_id ?? 0,
      amountCents: amount,
    });
    return toRefund(row);
  }

  /** Used when an order is cancelled; a no-op when nothing was captured. */
  async refundOrder(orderId: number, reason: string): Promise<Refund | undefined> {
    const payment = await this.payments.findSettledForOrder(orderId);
    if (!payment || refundableCents(toPayment(payment)) === 0) return undefined;
    return this.refund(payment.id, undefined, reason);
  }
}
