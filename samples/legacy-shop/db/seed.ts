// Loads deterministic sample data into an empty database, one domain after the other.
import type { Db, Queryable } from '../lib/db.js';
import { seedCatalog } from './seeds/catalogSeed.js';
import { seedCustomers } from './seeds/customerSeed.js';
import { seedPromotions, seedPromotionRedemptions } from './seeds/promotionSeed.js';
import { seedOrders } from './seeds/orderSeed.js';
import { seedInventory } from './seeds/inventorySeed.js';
import { seedPayments } from './seeds/paymentSeed.js';
import { seedShipping } from './seeds/shippingSeed.js';
import { seedNotifications } from './seeds/notificationSeed.js';
import { seedReviews } from './seeds/reviewSeed.js';

/** Tables with a SERIAL id whose sequence must move past the explicit seed ids. */
const SERIAL_TABLES = [
  'categories', 'products', 'product_images', 'customers', 'addresses', 'sessions', 'carts', 'orders',
  'order_lines', 'warehouses', 'stock_movements', 'stock_reservations', 'payments', 'refunds', 'invoices',
  'carriers', 'shipments', 'shipment_events', 'email_templates', 'notifications', 'outbox', 'reviews',
  'promotions', 'promotion_redemptions',
];

async function resetSequences(tx: Queryable): Promise<void> {
  for (const table of SERIAL_TABLES) {
    await tx.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'),
                     GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${table}), 1),
                     (SELECT count(*) > 0 FROM ${table}))`,
    );
  }
}

/** Seeds everything in one transaction; returns false when products already exist. */
export async function seedIfEmpty(db: Db): Promise<boolean> {
  const existing = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products');
  if ((existing.rows[0]?.n ?? 0) > 0) return false;
  await db.transaction(async (tx) => {
    await seedCatalog(tx);
    await seedCustomers(tx);
    await seedPromotions(tx);
    await seedOrders(tx);
    await seedPromotionRedemptions(tx);
    await seedInventory(tx);
    await seedPayments(tx);
    await seedShipping(tx);
    await seedNotifications(tx);
    await seedReviews(tx);
    await resetSequences(tx);
  });
  return true;
}
