// Seeds 18 months of order history (lines, totals, codes) plus open and abandoned carts.
import type { Queryable } from '../../lib/db.js';
import { defaultConfig } from '../../lib/config.js';
import { addDays, addHours } from '../../lib/dates.js';
import { taxFor } from '../../lib/money.js';
import { createRng, type Rng } from '../../lib/random.js';
import { insertMany } from '../../lib/queryBuilder.js';
import { shippingCostFor } from '../../models/Carrier.js';
import { discountFor } from '../../models/Promotion.js';
import type { OrderStatus } from '../../models/Order.js';
import { PROMOTION_SEED } from './promotionSeed.js';
import { CARRIER_SEED, carrierCodeForOrder } from './shippingSeed.js';

export const ORDER_COUNT = 160;
const FIRST_ORDER = new Date('2024-01-05T10:00:00.000Z');
const LAST_ORDER = new Date('2025-06-28T16:00:00.000Z');

interface ProductPick {
  id: number;
  sku: string;
  name: string;
  price_cents: number;
}

/** Newest orders are still in flight; older ones are mostly delivered. */
function statusFor(id: number, rng: Rng): OrderStatus {
  if (id > ORDER_COUNT - 2) return 'pending';
  if (id > ORDER_COUNT - 8) return 'paid';
  if (id > ORDER_COUNT - 16) return 'shipped';
  const r = rng.next();
  return r < 0.06 ? 'cancelled' : r < 0.11 ? 'payment_failed' : 'delivered';
}

function pickLines(rng: Rng, products: ProductPick[]): { product: ProductPick; quantity: number }[] {
  const r = rng.next();
  const count = r < 0.4 ? 1 : r < 0.7 ? 2 : r < 0.9 ? 3 : 4;
  const chosen = new Map<number, ProductPick>();
  while (chosen.size < count) {
    const p = rng.pick(products);
    chosen.set(p.id, p);
  }
  return [...chosen.values()].map((product) => ({ product, quantity: rng.chance(0.75) ? 1 : rng.int(2, 3) }));
}

function promotionFor(rng: Rng, at: Date, subtotal: number, used: Map<string, number>) {
  const eligible = PROMOTION_SEED.filter(
    (p) => p.active && p.starts_at <= at && p.ends_at > at && subtotal >= p.min_subtotal_cents &&
      (p.max_redemptions === null || (used.get(p.code) ?? 0) < p.max_redemptions),
  );
  if (eligible.length === 0 || !rng.chance(0.25)) return undefined;
  const promo = rng.pick(eligible);
  used.set(promo.code, (used.get(promo.code) ?? 0) + 1);
  return promo;
}

export async function seedOrders(tx: Queryable): Promise<void> {
  const rng = createRng(20_240_105);
  const products = (await tx.query<ProductPick>('SELECT id, sku, name, price_cents FROM products WHERE active ORDER BY id')).rows;
  const addressRows = (await tx.query<{ id: number; customer_id: number }>('SELECT id, customer_id FROM addresses WHERE is_default ORDER BY customer_id')).rows;
  const addressOf = new Map(addressRows.map((a) => [a.customer_id, a.id]));
  const customerIds = [...addressOf.keys()];
  const rateOf = new Map(CARRIER_SEED.map((c) => [c.code, c.base_rate_cents]));
  const spanMs = LAST_ORDER.getTime() - FIRST_ORDER.getTime();
  const used = new Map<string, number>();
  const orders: Record<string, unknown>[] = [];
  const lines: Record<string, unknown>[] = [];

  for (let id = 1; id <= ORDER_COUNT; id++) {
    const createdAt = new Date(FIRST_ORDER.getTime() + Math.round((spanMs * (id - 1)) / (ORDER_COUNT - 1)) - rng.int(0, 36) * 600_000);
    const customerId = customerIds[Math.floor(customerIds.length * rng.next() ** 1.5)]!;
    const picked = pickLines(rng, products);
    const subtotal = picked.reduce((n, l) => n + l.product.price_cents * l.quantity, 0);
    const promo = promotionFor(rng, createdAt, subtotal, used);
    const discount = promo ? discountFor(promo, subtotal) : 0;
    const shipping = shippingCostFor({ baseRateCents: rateOf.get(carrierCodeForOrder(id)) ?? 0 }, subtotal - discount);
    const tax = taxFor(subtotal - discount, defaultConfig.taxRate);
    const status = statusFor(id, rng);
    orders.push({
      id,
      customer_id: customerId,
      status,
      currency: defaultConfig.currency,
      subtotal_cents: subtotal,
      discount_cents: discount,
      shipping_cents: shipping,
      tax_cents: tax,
      total_cents: subtotal - discount + shipping + tax,
      shipping_address_id: addressOf.get(customerId)!,
      promotion_code: promo?.code ?? null,
      created_at: createdAt,
      updated_at: status === 'delivered' ? addDays(createdAt, 4) : status === 'shipped' ? addDays(createdAt, 1) : status === 'cancelled' ? addHours(createdAt, 5) : addHours(createdAt, 0.02),
    });
    for (const l of picked) {
      lines.push({
        order_id: id,
        product_id: l.product.id,
        sku: l.product.sku,
        product_name: l.product.name,
        quantity: l.quantity,
        unit_price_cents: l.product.price_cents,
        line_total_cents: l.product.price_cents * l.quantity,
      });
    }
  }
  await insertMany(tx, 'orders', orders);
  await insertMany(tx, 'order_lines', lines.map((l, i) => ({ id: i + 1, ...l })));
  await seedCarts(tx, rng, products);
}

/** Open carts with items (customers 41–46) and older abandoned ones (47–52). */
async function seedCarts(tx: Queryable, rng: Rng, products: ProductPick[]): Promise<void> {
  const carts: Record<string, unknown>[] = [];
  const items: Record<string, unknown>[] = [];
  for (let customerId = 41; customerId <= 52; customerId++) {
    const id = carts.length + 1;
    const open = customerId <= 46;
    const updatedAt = open ? new Date(`2025-06-${20 + (customerId % 8)}T12:00:00.000Z`) : new Date(`2025-0${1 + (customerId % 4)}-15T12:00:00.000Z`);
    carts.push({ id, customer_id: customerId, status: open ? 'open' : 'abandoned', created_at: addDays(updatedAt, -2), updated_at: updatedAt });
    for (const l of pickLines(rng, products)) {
      items.push({ cart_id: id, product_id: l.product.id, quantity: l.quantity, added_at: addDays(updatedAt, -1) });
    }
  }
  await insertMany(tx, 'carts', carts);
  await insertMany(tx, 'cart_items', items);
}
