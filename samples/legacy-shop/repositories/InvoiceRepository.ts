// Data access for invoices; bill-to comes from customers and lines from order_lines (raw SQL).
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { InvoiceLine, InvoiceRow } from '../models/Invoice.js';

export class InvoiceRepository {
  constructor(private readonly db: Queryable) {}

  findByOrder(orderId: number): Promise<InvoiceRow | undefined> {
    return queryOne<InvoiceRow>(
      this.db,
      `SELECT i.*, c.first_name || ' ' || c.last_name AS bill_to_name, c.email AS bill_to_email
       FROM invoices i JOIN customers c ON c.id = i.customer_id
       WHERE i.order_id = $1`,
      [orderId],
    );
  }

  async create(inv: { number: string; orderId: number; customerId: number; subtotalCents: number; taxCents: number; totalCents: number }): Promise<void> {
    await this.db.query(
      `INSERT INTO invoices (number, order_id, customer_id, subtotal_cents, tax_cents, total_cents)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING`,
      [inv.number, inv.orderId, inv.customerId, inv.subtotalCents, inv.taxCents, inv.totalCents],
    );
  }

  /** Invoice lines straight from the order (plus shipping and discount rows). */
  async linesFor(orderId: number): Promise<InvoiceLine[]> {
    const res = await this.db.query<{ description: string; quantity: number; unit_price_cents: number; amount_cents: number }>(
      `SELECT ol.sku || ' ' || ol.product_name AS description, ol.quantity, ol.unit_price_cents, ol.line_total_cents AS amount_cents
       FROM order_lines ol WHERE ol.order_id = $1
       UNION ALL
       SELECT 'Shipping', 1, o.shipping_cents, o.shipping_cents FROM orders o WHERE o.id = $1 AND o.shipping_cents > 0
       UNION ALL
       SELECT 'Discount ' || COALESCE(o.promotion_code, ''), 1, -o.discount_cents, -o.discount_cents
       FROM orders o WHERE o.id = $1 AND o.discount_cents > 0`,
      [orderId],
    );
    return res.rows.map((r) => ({ description: r.description, quantity: r.quantity, unitPriceCents: r.unit_price_cents, amountCents: r.amount_cents }));
  }
}
