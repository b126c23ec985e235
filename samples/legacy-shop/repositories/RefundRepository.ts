// Data access for refunds (knex builder).
import type { Queryable } from '../lib/db.js';
import { qb, runQuery } from '../lib/queryBuilder.js';
import type { RefundRow } from '../models/Refund.js';

export class RefundRepository {
  constructor(private readonly db: Queryable) {}

  async create(paymentId: number, amountCents: number, reason: string | null, reference: string): Promise<RefundRow> {
    const rows = await runQuery<RefundRow>(
      this.db,
      qb('refunds').insert({ payment_id: paymentId, amount_cents: amountCents, reason, gateway_reference: reference }).returning('*'),
    );
    return rows[0]!;
  }

  listForPayment(paymentId: number): Promise<RefundRow[]> {
    return runQuery<RefundRow>(this.db, qb('refunds').where({ payment_id: paymentId }).orderBy('id'));
  }

  async countForPayment(paymentId: number): Promise<number> {
    const rows = await runQuery<{ n: number }>(this.db, qb('refunds').where({ payment_id: paymentId }).select(qb.raw('count(*)::int AS n')));
    return rows[0]?.n ?? 0;
  }
}
