// Refund: money returned against a captured payment, partially or in full.
import { toIso } from '../lib/dates.js';

export interface RefundRow {
  id: number;
  payment_id: number;
  amount_cents: number;
  reason: string | null;
  gateway_reference: string;
  created_at: Date;
}

export interface Refund {
  id: number;
  paymentId: number;
  amountCents: number;
  reason: string | null;
  reference: string;
  createdAt: string | null;
}

export function toRefund(row: RefundRow): Refund {
  return {
    id: row.id,
    paymentId: row.payment_id,
    amountCents: row.amount_cents,
    reason: row.reason,
    reference: row.gateway_reference,
    createdAt: toIso(row.created_at),
  };
}

export const REFUND_REASONS = ['customer_request', 'order_cancelled', 'damaged', 'other'] as const;
