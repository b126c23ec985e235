// Seeds promotion codes (live, expired, not yet started, retired, used up) and their redemptions.
import type { Queryable } from '../../lib/db.js';
import { insertMany } from '../../lib/queryBuilder.js';
import type { PromotionRow } from '../../models/Promotion.js';

export type PromotionSeed = Omit<PromotionRow, 'redemption_count'>;

const FOREVER = new Date('2099-12-31T23:59:59.000Z');

export const PROMOTION_SEED: readonly PromotionSeed[] = [
  { id: 1, code: 'WELCOME10', description: '10% off, for everyone, forever', kind: 'percent', value: 10, min_subtotal_cents: 0, starts_at: new Date('2020-01-01T00:00:00.000Z'), ends_at: FOREVER, max_redemptions: null, active: true },
  { id: 2, code: 'SPRING5', description: '$5 off orders over $50 (spring sale 2024)', kind: 'fixed', value: 500, min_subtotal_cents: 5000, starts_at: new Date('2024-03-01T00:00:00.000Z'), ends_at: new Date('2024-06-01T00:00:00.000Z'), max_redemptions: null, active: true },
  { id: 3, code: 'SAVE20', description: '20% off orders over $150', kind: 'percent', value: 20, min_subtotal_cents: 15000, starts_at: new Date('2024-01-01T00:00:00.000Z'), ends_at: FOREVER, max_redemptions: 500, active: true },
  { id: 4, code: 'HOLIDAY15', description: '15% off over the 2024 holidays', kind: 'percent', value: 15, min_subtotal_cents: 2000, starts_at: new Date('2024-11-20T00:00:00.000Z'), ends_at: new Date('2025-01-06T00:00:00.000Z'), max_redemptions: null, active: true },
  { id: 5, code: 'VIP25', description: '$25 off for the VIP list (retired)', kind: 'fixed', value: 2500, min_subtotal_cents: 10000, starts_at: new Date('2023-06-01T00:00:00.000Z'), ends_at: FOREVER, max_redemptions: null, active: false },
  { id: 6, code: 'LAUNCH50', description: '$50 off, first three orders only', kind: 'fixed', value: 5000, min_subtotal_cents: 10000, starts_at: new Date('2024-01-01T00:00:00.000Z'), ends_at: FOREVER, max_redemptions: 3, active: true },
  { id: 7, code: 'FUTURE10', description: '10% off, from 2098', kind: 'percent', value: 10, min_subtotal_cents: 0, starts_at: new Date('2098-01-01T00:00:00.000Z'), ends_at: FOREVER, max_redemptions: null, active: true },
];

export async function seedPromotions(tx: Queryable): Promise<void> {
  await insertMany(tx, 'promotions', PROMOTION_SEED.map((p) => ({ ...p })));
}

/** One redemption per seeded order that used a code (runs after the orders exist). */
export async function seedPromotionRedemptions(tx: Queryable): Promise<void> {
  const res = await tx.query<{ id: number; customer_id: number; promotion_code: string; discount_cents: number; created_at: Date }>(
    'SELECT id, customer_id, promotion_code, discount_cents, created_at FROM orders WHERE promotion_code IS NOT NULL ORDER BY id',
  );
  const idByCode = new Map(PROMOTION_SEED.map((p) => [p.code, p.id]));
  const rows = res.rows.map((o) => {
    const promotionId = idByCode.get(o.promotion_code);
    if (promotionId === undefined) throw new Error(`order ${o.id} uses unknown promotion ${o.promotion_code}`);
    return { promotion_id: promotionId, order_id: o.id, customer_id: o.customer_id, discount_cents: o.discount_cents, created_at: o.created_at };
  });
  await insertMany(tx, 'promotion_redemptions', rows);
}
