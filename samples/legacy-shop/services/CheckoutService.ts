// Prices a cart for checkout: subtotal, promotion discount, shipping and tax.
import type { AppContext } from '../lib/context.js';
import { ConflictError, ValidationError } from '../lib/errors.js';
import { taxFor } from '../lib/money.js';
import type { Cart } from '../models/Cart.js';
import type { PromotionService } from './PromotionService.js';
import type { ShippingService } from './ShippingService.js';

export interface CheckoutQuote {
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  carrierCode: string;
  promotionCode: string | null;
}

export class CheckoutService {
  constructor(
    private readonly ctx: AppContext,
    private readonly promotions: PromotionService,
    private readonly shipping: ShippingService,
  ) {}

  async quote(cart: Cart, opts: { promoCode?: string; carrierCode?: string }): Promise<CheckoutQuote> {
    if (cart.items.length === 0) throw new ValidationError(`cart of customer ${cart.customerId} is empty`);
    const retired = cart.items.find((i) => !i.active);
    if (retired) throw new ConflictError(`product ${retired.productId} is no longer sold`);
    const subtotalCents = cart.subtotalCents;
    let discountCents = 0;
    let promotionCode: string | null = null;
    if (opts.promoCode) {
      const check = await this.promotions.validate(opts.promoCode, subtotalCents);
      if (!check.valid) throw new ValidationError(`promoCode ${opts.promoCode} cannot be used: ${check.reason}`);
      discountCents = check.discountCents;
      promotionCode = check.code;
    }
    const carrierCode = opts.carrierCode ?? this.ctx.config.defaultCarrierCode;
    const shippingCents = await this.shipping.quote(carrierCode, subtotalCents - discountCents);
    const taxCents = taxFor(subtotalCents - discountCents, this.ctx.config.taxRate);
    return {
      subtotalCents,
      discountCents,
      shippingCents,
      taxCents,
      totalCents: subtotalCents - discountCents + shippingCents + taxCents,
      carrierCode: carrierCode.toUpperCase(),
      promotionCode,
    };
  }
}
