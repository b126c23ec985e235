// Payment: a card charge against an order, captured immediately (no separate authorisation).
import { toIso } from '../lib/dates.js';

export type PaymentStatus = 'captured' | 'declined' | 'refunded' | 'partially_refunded';

export interface PaymentRow {
  id: number;
  order_id: number;
  amount_cents: number;
  currency: string;
  status: PaymentStatus;
  method: string;
  card_last4: string | null;
  gateway_reference: string;
  failure_reason: string | null;
  refunded_cents: number;
  created_at: Date;
}

export interface Payment {
  id: number;
  orderId: number;
  amountCents: number;
  refundedCents: number;
  currency: string;
  status: PaymentStatus;
  method: string;
  cardLast4: string | null;
  reference: string;
  failureReason: string | null;
  createdAt: string | null;
}

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    amountCents: row.amount_cents,
    refundedCents: row.refunded_cents ?? 0,
    currency: row.currency,
    status: row.status,
    method: row.method,
    cardLast4: row.card_last4,
    reference: row.gateway_reference,
    failureReason: row.failure_reason,
    createdAt: toIso(row.created_at),
  };
}

export function refundableCents(payment: Pick<Payment, 'amountCents' | 'refundedCents' | 'status'>): number {
  if (payment.status === 'declined') return 0;
  return Math.max(0, payment.amountCents - payment.refundedCents);
}
