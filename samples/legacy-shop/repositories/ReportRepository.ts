// Back-office reporting queries that read across nearly every table (raw, JOIN-heavy SQL).
import type { Queryable } from '../lib/db.js';
import type { DashboardTotals, LowStockItem, SalesDay, TopProduct } from '../models/Report.js';

export class ReportRepository {
  constructor(private readonly db: Queryable) {}

  async totals(): Promise<DashboardTotals> {
    const res = await this.db.query<DashboardTotals>(`
      WITH pay AS (
        SELECT COALESCE(SUM(p.amount_cents), 0)::int AS revenue
        FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE p.status IN ('captured', 'refunded', 'partially_refunded')
      ), ref AS (
        SELECT COALESCE(SUM(r.amount_cents), 0)::int AS refunded FROM refunds r
      )
      SELECT
        (SELECT count(*)::int FROM customers) AS "customers",
        (SELECT count(*)::int FROM products WHERE active) AS "activeProducts",
        (SELECT count(*)::int FROM orders) AS "orders",
        pay.revenue AS "revenueCents",
        ref.refunded AS "refundedCents",
        COALESCE((SELECT round(avg(total_cents))::int FROM orders WHERE status IN ('paid', 'shipped', 'delivered')), 0) AS "averageOrderCents",
        (SELECT count(*)::int FROM carts ca WHERE ca.status = 'open' AND EXISTS (SELECT 1 FROM cart_items ci WHERE ci.cart_id = ca.id)) AS "openCarts",
        (SELECT count(*)::int FROM notifications WHERE status = 'queued') AS "queuedNotifications",
        (SELECT count(*)::int FROM shipments WHERE status IN ('in_transit', 'out_for_delivery')) AS "shipmentsInTransit",
        (SELECT round(avg(rating)::numeric, 2)::float8 FROM reviews) AS "averageRating"
      FROM pay, ref`);
    return res.rows[0]!;
  }

  async ordersByStatus(): Promise<Record<string, number>> {
    const res = await this.db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM orders GROUP BY status ORDER BY status');
    return Object.fromEntries(res.rows.map((r) => [r.status, r.n]));
  }

  async topProducts(limit: number): Promise<TopProduct[]> {
    const res = await this.db.query<TopProduct>(
      `SELECT p.id AS "productId", p.sku, p.name, c.slug AS category,
              SUM(ol.quantity)::int AS "unitsSold", SUM(ol.line_total_cents)::int AS "revenueCents"
       FROM order_lines ol
       JOIN orders o ON o.id = ol.order_id AND o.status IN ('paid', 'shipped', 'delivered')
       JOIN products p ON p.id = ol.product_id
       JOIN categories c ON c.id = p.category_id
       GROUP BY p.id, p.sku, p.name, c.slug
       ORDER BY "revenueCents" DESC, p.id
       LIMIT $1`,
      [limit],
    );
    return res.rows;
  }

  async lowStock(threshold: number, limit: number): Promise<LowStockItem[]> {
    const res = await this.db.query<LowStockItem>(
      `SELECT p.id AS "productId", p.sku, w.code AS warehouse, (s.on_hand - s.reserved)::int AS available
       FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id
       WHERE p.active AND s.on_hand - s.reserved <= $1
       ORDER BY available, p.id, w.code LIMIT $2`,
      [threshold, limit],
    );
    return res.rows;
  }

  async revenueByCarrier(): Promise<{ carrier: string; shipments: number; revenueCents: number }[]> {
    const res = await this.db.query<{ carrier: string; shipments: number; revenueCents: number }>(
      `SELECT cr.code AS carrier, count(DISTINCT s.id)::int AS shipments, COALESCE(SUM(o.total_cents), 0)::int AS "revenueCents"
       FROM carriers cr
       LEFT JOIN shipments s ON s.carrier_id = cr.id AND s.status <> 'cancelled'
       LEFT JOIN orders o ON o.id = s.order_id
       GROUP BY cr.code ORDER BY cr.code`,
    );
    return res.rows;
  }

  async salesByDay(from: Date, to: Date): Promise<SalesDay[]> {
    const res = await this.db.query<SalesDay>(
      `WITH o AS (
         SELECT id, date_trunc('day', created_at AT TIME ZONE 'UTC') AS day
         FROM orders WHERE created_at >= $1 AND created_at < $2 AND status <> 'payment_failed'
       ), sold AS (
         SELECT o.day, count(DISTINCT o.id)::int AS orders, COALESCE(SUM(ol.quantity), 0)::int AS units,
                COALESCE(SUM(ol.line_total_cents), 0)::int AS gross
         FROM o JOIN order_lines ol ON ol.order_id = o.id GROUP BY o.day
       ), refunded AS (
         SELECT o.day, SUM(r.amount_cents)::int AS amount
         FROM o JOIN payments p ON p.order_id = o.id JOIN refunds r ON r.payment_id = p.id GROUP BY o.day
       )
       SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.orders, s.units, s.gross AS "grossCents",
              COALESCE(rf.amount, 0)::int AS "refundedCents"
       FROM sold s LEFT JOIN refunded rf ON rf.day = s.day
       ORDER BY s.day`,
      [from, to],
    );
    return res.rows;
  }
}
