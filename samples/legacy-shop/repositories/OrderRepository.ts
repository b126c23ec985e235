// Data access for orders and order_lines; reads customers, products and categories directly.
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import { qb, runFirst, runQuery } from '../lib/queryBuilder.js';
import type { Page } from '../lib/pagination.js';
import type { NewOrder, OrderLineRow, OrderRow, OrderStatus } from '../models/Order.js';

const ORDER_SELECT = `
  SELECT o.*, c.email AS customer_email, c.first_name || ' ' || c.last_name AS customer_name,
         (SELECT count(*)::int FROM order_lines ol WHERE ol.order_id = o.id) AS line_count
  FROM orders o
  JOIN customers c ON c.id = o.customer_id`;

export interface OrderFilter {
  status?: OrderStatus;
  customerId?: number;
}

export class OrderRepository {
  constructor(private readonly db: Queryable) {}

  findById(id: number, tx: Queryable = this.db): Promise<OrderRow | undefined> {
    return queryOne<OrderRow>(tx, `${ORDER_SELECT} WHERE o.id = $1`, [id]);
  }

  async list(filter: OrderFilter, page: Page): Promise<{ rows: OrderRow[]; total: number }> {
    const base = qb('orders as o').join('customers as c', 'c.id', 'o.customer_id');
    if (filter.status) base.where('o.status', filter.status);
    if (filter.customerId !== undefined) base.where('o.customer_id', filter.customerId);
    const count = await runFirst<{ total: number }>(this.db, base.clone().select(qb.raw('count(*)::int AS total')));
    const rows = await runQuery<OrderRow>(
      this.db,
      base
        .clone()
        .select('o.*', 'c.email as customer_email')
        .select(qb.raw("c.first_name || ' ' || c.last_name AS customer_name"))
        .select(qb.raw('(SELECT count(*)::int FROM order_lines ol WHERE ol.order_id = o.id) AS line_count'))
        .orderBy('o.id', 'desc')
        .limit(page.limit)
        .offset(page.offset),
    );
    return { rows, total: count?.total ?? 0 };
  }

  async findByCustomer(customerId: number): Promise<OrderRow[]> {
    const res = await this.db.query<OrderRow>(`${ORDER_SELECT} WHERE o.customer_id = $1 ORDER BY o.created_at DESC, o.id DESC`, [customerId]);
    return res.rows;
  }

  /** Lines with the product's current category (joins the catalog tables). */
  async lines(orderId: number, tx: Queryable = this.db): Promise<OrderLineRow[]> {
    const res = await tx.query<OrderLineRow>(
      `SELECT ol.id, ol.order_id, ol.product_id, ol.sku, ol.product_name, cat.slug AS category_slug,
              ol.quantity, ol.unit_price_cents, ol.line_total_cents
       FROM order_lines ol
       LEFT JOIN products p ON p.id = ol.product_id
       LEFT JOIN categories cat ON cat.id = p.category_id
       WHERE ol.order_id = $1
       ORDER BY ol.id`,
      [orderId],
    );
    return res.rows;
  }

  /** Inserts the order and its lines; call inside a transaction. */
  async create(tx: Queryable, order: NewOrder): Promise<number> {
    const inserted = await queryOne<{ id: number }>(
      tx,
      `INSERT INTO orders (customer_id, status, currency, subtotal_cents, discount_cents, shipping_cents,
                           tax_cents, total_cents, shipping_address_id, promotion_code)
       VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [order.customerId, order.currency, order.subtotalCents, order.discountCents, order.shippingCents,
        order.taxCents, order.totalCents, order.shippingAddressId, order.promotionCode],
    );
    const orderId = inserted!.id;
    for (const line of order.lines) {
      await tx.query(
        `INSERT INTO order_lines (order_id, product_id, sku, product_name, quantity, unit_price_cents, line_total_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [orderId, line.productId, line.sku, line.name, line.quantity, line.unitPriceCents, line.quantity * line.unitPriceCents],
      );
    }
    return orderId;
  }

  async updateStatus(id: number, status: OrderStatus, tx: Queryable = this.db): Promise<void> {
    await tx.query('UPDATE orders SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  }

  /** Used by reviews to flag verified purchases. */
  async hasPurchased(customerId: number, productId: number): Promise<boolean> {
    const row = await queryOne<{ n: number }>(
      this.db,
      `SELECT count(*)::int AS n FROM orders o JOIN order_lines ol ON ol.order_id = o.id
       WHERE o.customer_id = $1 AND ol.product_id = $2 AND o.status IN ('paid', 'shipped', 'delivered')`,
      [customerId, productId],
    );
    return (row?.n ?? 0) > 0;
  }
}
