// Data access for payments (raw SQL); refunded amounts are summed from the refunds table.
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { PaymentRow, PaymentStatus } from '../models/Payment.js';

const PAYMENT_SELECT = `
  SELECT p.*, COALESCE((SELECT SUM(r.amount_cents) FROM refunds r WHERE r.payment_id = p.id), 0)::int AS refunded_cents
  FROM payments p`;

export interface NewPayment {
  orderId: number;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  cardLast4: string | null;
  reference: string;
  failureReason: string | null;
}

export class PaymentRepository {
  constructor(private readonly db: Queryable) {}

  findById(id: number): Promise<PaymentRow | undefined> {
    return queryOne<PaymentRow>(this.db, `${PAYMENT_SELECT} WHERE p.id = $1`, [id]);
  }

  /** The successful payment of an order (captured or already refunded), if any. */
  findSettledForOrder(orderId: number): Promise<PaymentRow | undefined> {
    return queryOne<PaymentRow>(
      this.db,
      `${PAYMENT_SELECT} WHERE p.order_id = $1 AND p.status <> 'declined' ORDER BY p.id DESC LIMIT 1`,
      [orderId],
    );
  }

  findLatestForOrder(orderId: number): Promise<PaymentRow | undefined> {
    return queryOne<PaymentRow>(this.db, `${PAYMENT_SELECT} WHERE p.order_id = $1 ORDER BY p.id DESC LIMIT 1`, [orderId]);
  }

  async create(p: NewPayment): Promise<PaymentRow> {
    const inserted = await queryOne<{ id: number }>(
      this.db,
      `INSERT INTO payments (order_id, amount_cents, currency, status, method, card_last4, gateway_reference, failure_reason)
       VALUES ($1, $2, $3, $4, 'card', $5, $6, $7) RETURNING id`,
      [p.orderId, p.amountCents, p.currency, p.status, p.cardLast4, p.reference, p.failureReason],
    );
    return (await this.findById(inserted!.id))!;
  }

  async updateStatus(id: number, status: PaymentStatus): Promise<void> {
    await this.db.query('UPDATE payments SET status = $2 WHERE id = $1', [id, status]);
  }
}
