// Seeds card payments for the seeded orders (through the fake gateway), refunds and invoices.
import type { Queryable } from '../../lib/db.js';
import { addDays, addHours, yearOf } from '../../lib/dates.js';
import { createRng } from '../../lib/random.js';
import { insertMany } from '../../lib/queryBuilder.js';
import * as gateway from '../../lib/paymentGateway.js';
import { invoiceNumber } from '../../models/Invoice.js';
import type { PaymentStatus } from '../../models/Payment.js';

const GOOD_CARDS = ['4242424242424242', '5555555555554444', '378282246310005', '6011111111111117', '4111111111111111'];
const BAD_CARDS = [gateway.DECLINED_CARD, gateway.INSUFFICIENT_FUNDS_CARD];

interface OrderForPayment {
  id: number;
  customer_id: number;
  status: string;
  currency: string;
  subtotal_cents: number;
  discount_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
  created_at: Date;
  updated_at: Date;
}

export async function seedPayments(tx: Queryable): Promise<void> {
  const rng = createRng(20_240_106);
  const orders = (await tx.query<OrderForPayment>('SELECT * FROM orders ORDER BY id')).rows;
  const payments: Record<string, unknown>[] = [];
  const refunds: Record<string, unknown>[] = [];
  const invoices: Record<string, unknown>[] = [];

  for (const o of orders) {
    if (o.status === 'pending') continue; // never got as far as the card form
    const paidAt = addHours(o.created_at, 0.01);
    const declined = o.status === 'payment_failed';
    const card = declined ? rng.pick(BAD_CARDS) : rng.pick(GOOD_CARDS);
    const result = gateway.charge({ orderId: o.id, amountCents: o.total_cents, currency: o.currency, cardNumber: card });
    const paymentId = payments.length + 1;
    let status: PaymentStatus = result.approved ? 'captured' : 'declined';
    if (result.approved) {
      const refund = o.status === 'cancelled'
        ? { amount: o.total_cents, reason: 'order_cancelled', at: o.updated_at }
        : o.status === 'delivered' && rng.chance(0.04)
          ? { amount: Math.max(1, Math.round(o.total_cents * 0.3)), reason: 'damaged', at: addDays(o.created_at, 9) }
          : undefined;
      if (refund) {
        const ref = gateway.refund(result.reference, refund.amount, 0);
        refunds.push({ payment_id: paymentId, amount_cents: refund.amount, reason: refund.reason, gateway_reference: ref.reference, created_at: refund.at });
        status = refund.amount === o.total_cents ? 'refunded' : 'partially_refunded';
      }
      invoices.push({
        number: invoiceNumber(yearOf(o.created_at), o.id),
        order_id: o.id,
        customer_id: o.customer_id,
        subtotal_cents: o.subtotal_cents - o.discount_cents + o.shipping_cents,
        tax_cents: o.tax_cents,
        total_cents: o.total_cents,
        issued_at: paidAt,
      });
    }
    payments.push({
      id: paymentId,
      order_id: o.id,
      amount_cents: o.total_cents,
      currency: o.currency,
      status,
      method: 'card',
      card_last4: gateway.cardLast4(card),
      gateway_reference: result.reference,
      failure_reason: result.declineReason ?? null,
      created_at: paidAt,
    });
  }
  await insertMany(tx, 'payments', payments);
  await insertMany(tx, 'refunds', refunds.map((r, i) => ({ id: i + 1, ...r })));
  await insertMany(tx, 'invoices', invoices.map((inv, i) => ({ id: i + 1, ...inv })));
}
