// Data access for promotions and their redemptions (knex builder).
import type { Queryable } from '../lib/db.js';
import { qb, runFirst, runQuery } from '../lib/queryBuilder.js';
import type { PromotionRow } from '../models/Promotion.js';

function withRedemptionCount() {
  return qb('promotions as pr')
    .select('pr.*')
    .select(qb.raw('(SELECT count(*)::int FROM promotion_redemptions r WHERE r.promotion_id = pr.id) AS redemption_count'));
}

export class PromotionRepository {
  constructor(private readonly db: Queryable) {}

  listCurrent(now: Date): Promise<PromotionRow[]> {
    return runQuery<PromotionRow>(
      this.db,
      withRedemptionCount().where('pr.active', true).andWhere('pr.starts_at', '<=', now).andWhere('pr.ends_at', '>', now).orderBy('pr.id'),
    );
  }

  findByCode(code: string, tx: Queryable = this.db): Promise<PromotionRow | undefined> {
    return runFirst<PromotionRow>(tx, withRedemptionCount().whereRaw('upper(pr.code) = upper(?)', [code]));
  }

  async recordRedemption(tx: Queryable, promotionId: number, orderId: number, customerId: number, discountCents: number): Promise<void> {
    const { sql, bindings } = qb('promotion_redemptions')
      .insert({ promotion_id: promotionId, order_id: orderId, customer_id: customerId, discount_cents: discountCents })
      .toSQL()
      .toNative();
    await tx.query(sql, [...bindings]);
  }
}
