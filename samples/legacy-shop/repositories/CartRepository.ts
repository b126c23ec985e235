// Data access for carts and cart_items; item queries join products and product_images.
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { CartItemRow, CartRow } from '../models/Cart.js';

export class CartRepository {
  constructor(private readonly db: Queryable) {}

  findOpen(customerId: number): Promise<CartRow | undefined> {
    return queryOne<CartRow>(this.db, "SELECT * FROM carts WHERE customer_id = $1 AND status = 'open'", [customerId]);
  }

  /** Returns the customer's open cart, creating it on first use. */
  async findOrCreateOpen(customerId: number): Promise<CartRow> {
    await this.db.query(
      "INSERT INTO carts (customer_id, status) VALUES ($1, 'open') ON CONFLICT (customer_id) WHERE status = 'open' DO NOTHING",
      [customerId],
    );
    return (await this.findOpen(customerId))!;
  }

  async items(cartId: number): Promise<CartItemRow[]> {
    const res = await this.db.query<CartItemRow>(
      `SELECT ci.product_id, p.sku, p.name, p.price_cents, p.active, ci.quantity,
              (SELECT pi.url FROM product_images pi WHERE pi.product_id = p.id ORDER BY pi.position LIMIT 1) AS image_url
       FROM cart_items ci
       JOIN products p ON p.id = ci.product_id
       WHERE ci.cart_id = $1
       ORDER BY ci.added_at, ci.product_id`,
      [cartId],
    );
    return res.rows;
  }

  /** Adds to the existing quantity; returns the new quantity. */
  async addItem(cartId: number, productId: number, quantity: number): Promise<number> {
    const row = await queryOne<{ quantity: number }>(
      this.db,
      `INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + EXCLUDED.quantity
       RETURNING quantity`,
      [cartId, productId, quantity],
    );
    await this.touch(cartId);
    return row!.quantity;
  }

  async setQuantity(cartId: number, productId: number, quantity: number): Promise<void> {
    await this.db.query('UPDATE cart_items SET quantity = $3 WHERE cart_id = $1 AND product_id = $2', [cartId, productId, quantity]);
  }

  async removeItem(cartId: number, productId: number): Promise<boolean> {
    const res = await this.db.query('DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2', [cartId, productId]);
    await this.touch(cartId);
    return res.rowCount > 0;
  }

  async markConverted(cartId: number): Promise<void> {
    await this.db.query("UPDATE carts SET status = 'converted', updated_at = now() WHERE id = $1", [cartId]);
  }

  private async touch(cartId: number): Promise<void> {
    await this.db.query('UPDATE carts SET updated_at = now() WHERE id = $1', [cartId]);
  }
}
