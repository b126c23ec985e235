// Promotions: which codes are live, whether a code applies to a subtotal, and redemptions.
import type { AppContext } from '../lib/context.js';
import type { Queryable } from '../lib/db.js';
import { ValidationError } from '../lib/errors.js';
import { formatMoney } from '../lib/money.js';
import { PromotionRepository } from '../repositories/PromotionRepository.js';
import { discountFor, toPromotion, type Promotion, type PromotionCheck, type PromotionRow } from '../models/Promotion.js';

export class PromotionService {
  private readonly promotions: PromotionRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.promotions = new PromotionRepository(ctx.db);
  }

  async listCurrent(): Promise<Promotion[]> {
    return (await this.promotions.listCurrent(this.clock())).map(toPromotion);
  }

  async validate(code: string, subtotalCents: number): Promise<PromotionCheck> {
    const promo = await this.promotions.findByCode(code);
    const reason = promo ? this.whyNot(promo, subtotalCents) : `promotion ${code} does not exist`;
    if (!promo || reason) return { code: promo?.code ?? code, valid: false, discountCents: 0, reason };
    return { code: promo.code, valid: true, discountCents: discountFor(promo, subtotalCents), reason: null };
  }

  /** Records the use of a code inside the checkout transaction. */
  async redeem(tx: Queryable, code: string, orderId: number, customerId: number, discountCents: number): Promise<void> {
    const promo = await this.promotions.findByCode(code, tx);
    if (!promo) throw new ValidationError(`promotion ${code} does not exist`);
    await this.promotions.recordRedemption(tx, promo.id, orderId, customerId, discountCents);
  }

  private whyNot(promo: PromotionRow, subtotalCents: number): string | null {
    const now = this.clock().getTime();
    if (!promo.active) return 'promotion is no longer active';
    if (promo.starts_at.getTime() > now) return 'promotion has not started yet';
    if (promo.ends_at.getTime() <= now) return 'promotion has expired';
    if (promo.max_redemptions !== null && promo.redemption_count >= promo.max_redemptions) return 'promotion has been fully redeemed';
    if (subtotalCents < promo.min_subtotal_cents) {
      return `subtotal must be at least ${formatMoney(promo.min_subtotal_cents, this.ctx.config.currency)}`;
    }
    return null;
  }
}
