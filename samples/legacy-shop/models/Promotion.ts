// Promotion: a discount code (percent or fixed cents) with a validity window and usage cap.
import { toIso } from '../lib/dates.js';
import { percentOf } from '../lib/money.js';

export interface PromotionRow {
  id: number;
  code: string;
  description: string;
  kind: 'percent' | 'fixed';
  value: number;
  min_subtotal_cents: number;
  starts_at: Date;
  ends_at: Date;
  max_redemptions: number | null;
  active: boolean;
  redemption_count: number;
}

export interface Promotion {
  id: number;
  code: string;
  description: string;
  kind: 'percent' | 'fixed';
  value: number;
  minSubtotalCents: number;
  startsAt: string | null;
  endsAt: string | null;
  maxRedemptions: number | null;
  redemptions: number;
}

export interface PromotionCheck {
  code: string;
  valid: boolean;
  discountCents: number;
  reason: string | null;
}

export function toPromotion(row: PromotionRow): Promotion {
  return {
    id: row.id,
    code: row.code,
    description: row.description,
    kind: row.kind,
    value: row.value,
    minSubtotalCents: row.min_subtotal_cents,
    startsAt: toIso(row.starts_at),
    endsAt: toIso(row.ends_at),
    maxRedemptions: row.max_redemptions,
    redemptions: row.redemption_count ?? 0,
  };
}

/** Discount for a subtotal, never more than the subtotal itself. */
export function discountFor(promo: Pick<PromotionRow, 'kind' | 'value'>, subtotalCents: number): number {
  const raw = promo.kind === 'percent' ? percentOf(subtotalCents, promo.value) : promo.value;
  return Math.min(raw, subtotalCents);
}
