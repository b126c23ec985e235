// Data access for stock_reservations: units held for an order until paid or cancelled.
import type { Queryable } from '../lib/db.js';
import type { ReservationRow, ReservationStatus } from '../models/Reservation.js';

export class ReservationRepository {
  constructor(private readonly db: Queryable) {}

  async create(tx: Queryable, orderId: number, productId: number, warehouseId: number, quantity: number): Promise<ReservationRow> {
    const res = await tx.query<ReservationRow>(
      `INSERT INTO stock_reservations (order_id, product_id, warehouse_id, quantity, status)
       VALUES ($1, $2, $3, $4, 'held') RETURNING *`,
      [orderId, productId, warehouseId, quantity],
    );
    return res.rows[0]!;
  }

  async findByOrder(orderId: number, status?: ReservationStatus, tx: Queryable = this.db): Promise<ReservationRow[]> {
    const res = status
      ? await tx.query<ReservationRow>('SELECT * FROM stock_reservations WHERE order_id = $1 AND status = $2 ORDER BY id', [orderId, status])
      : await tx.query<ReservationRow>('SELECT * FROM stock_reservations WHERE order_id = $1 ORDER BY id', [orderId]);
    return res.rows;
  }

  async setStatus(tx: Queryable, id: number, status: ReservationStatus): Promise<void> {
    await tx.query('UPDATE stock_reservations SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  }

  /** Held units per product (for the inventory screen). */
  async heldForProduct(productId: number): Promise<number> {
    const res = await this.db.query<{ n: number }>(
      "SELECT COALESCE(SUM(quantity), 0)::int AS n FROM stock_reservations WHERE product_id = $1 AND status = 'held'",
      [productId],
    );
    return res.rows[0]?.n ?? 0;
  }
}
