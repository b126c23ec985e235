// Data access for stock_levels and stock_movements (raw SQL with guarded, atomic updates).
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { StockLevelRow, StockMovement } from '../models/StockLevel.js';

const LEVEL_SELECT = `
  SELECT s.product_id, s.warehouse_id, w.code AS warehouse_code, w.name AS warehouse_name,
         s.on_hand, s.reserved, s.updated_at
  FROM stock_levels s
  JOIN warehouses w ON w.id = s.warehouse_id`;

export class InventoryRepository {
  constructor(private readonly db: Queryable) {}

  async levelsForProduct(productId: number, tx: Queryable = this.db): Promise<StockLevelRow[]> {
    const res = await tx.query<StockLevelRow>(`${LEVEL_SELECT} WHERE s.product_id = $1 ORDER BY s.warehouse_id`, [productId]);
    return res.rows;
  }

  /** Available units per product across all warehouses. */
  async availableByProduct(productIds: number[]): Promise<Map<number, number>> {
    const res = await this.db.query<{ product_id: number; available: number }>(
      `SELECT product_id, COALESCE(SUM(on_hand - reserved), 0)::int AS available
       FROM stock_levels WHERE product_id = ANY($1::int[]) GROUP BY product_id`,
      [productIds],
    );
    return new Map(res.rows.map((r) => [r.product_id, r.available]));
  }

  /** Locks and returns one level row, creating an empty one if the product was never stocked there. */
  async lockLevel(tx: Queryable, productId: number, warehouseId: number): Promise<StockLevelRow> {
    await tx.query(
      `INSERT INTO stock_levels (product_id, warehouse_id, on_hand, reserved) VALUES ($1, $2, 0, 0)
       ON CONFLICT (product_id, warehouse_id) DO NOTHING`,
      [productId, warehouseId],
    );
    const row = await queryOne<StockLevelRow>(tx, `${LEVEL_SELECT} WHERE s.product_id = $1 AND s.warehouse_id = $2 FOR UPDATE OF s`, [productId, warehouseId]);
    return row!;
  }

  async setOnHand(tx: Queryable, productId: number, warehouseId: number, onHand: number): Promise<void> {
    await tx.query('UPDATE stock_levels SET on_hand = $3, updated_at = now() WHERE product_id = $1 AND warehouse_id = $2', [productId, warehouseId, onHand]);
  }

  /** Holds units if enough are available; false when another order got there first. */
  async hold(tx: Queryable, productId: number, warehouseId: number, quantity: number): Promise<boolean> {
    const res = await tx.query(
      `UPDATE stock_levels SET reserved = reserved + $3, updated_at = now()
       WHERE product_id = $1 AND warehouse_id = $2 AND on_hand - reserved >= $3`,
      [productId, warehouseId, quantity],
    );
    return res.rowCount > 0;
  }

  async unhold(tx: Queryable, productId: number, warehouseId: number, quantity: number): Promise<void> {
    await tx.query(
      `UPDATE stock_levels SET reserved = GREATEST(reserved - $3, 0), updated_at = now()
       WHERE product_id = $1 AND warehouse_id = $2`,
      [productId, warehouseId, quantity],
    );
  }

  /** Held units leave the building: both on_hand and reserved go down. */
  async consumeHeld(tx: Queryable, productId: number, warehouseId: number, quantity: number): Promise<void> {
    await tx.query(
      `UPDATE stock_levels SET on_hand = on_hand - $3, reserved = reserved - $3, updated_at = now()
       WHERE product_id = $1 AND warehouse_id = $2`,
      [productId, warehouseId, quantity],
    );
  }

  async restock(tx: Queryable, productId: number, warehouseId: number, quantity: number): Promise<void> {
    await tx.query('UPDATE stock_levels SET on_hand = on_hand + $3, updated_at = now() WHERE product_id = $1 AND warehouse_id = $2', [productId, warehouseId, quantity]);
  }

  async recordMovement(tx: Queryable, m: StockMovement): Promise<void> {
    await tx.query(
      'INSERT INTO stock_movements (product_id, warehouse_id, delta, reason, reference) VALUES ($1, $2, $3, $4, $5)',
      [m.productId, m.warehouseId, m.delta, m.reason, m.reference],
    );
  }

  /** Warehouse that can ship the whole quantity, most available first. */
  async bestWarehouseFor(tx: Queryable, productId: number, quantity: number): Promise<number | undefined> {
    const row = await queryOne<{ warehouse_id: number }>(
      tx,
      `SELECT warehouse_id FROM stock_levels WHERE product_id = $1 AND on_hand - reserved >= $2
       ORDER BY on_hand - reserved DESC, warehouse_id LIMIT 1`,
      [productId, quantity],
    );
    return row?.warehouse_id;
  }

  /** Rows at or below the threshold, joined with the product's sku (reads catalog's table). */
  async lowStock(threshold: number): Promise<(StockLevelRow & { sku: string; product_name: string })[]> {
    const res = await this.db.query<StockLevelRow & { sku: string; product_name: string }>(
      `SELECT s.product_id, s.warehouse_id, w.code AS warehouse_code, w.name AS warehouse_name,
              s.on_hand, s.reserved, s.updated_at, p.sku, p.name AS product_name
       FROM stock_levels s
       JOIN warehouses w ON w.id = s.warehouse_id
       JOIN products p ON p.id = s.product_id AND p.active
       WHERE s.on_hand - s.reserved <= $1
       ORDER BY s.on_hand - s.reserved, s.product_id, s.warehouse_id`,
      [threshold],
    );
    return res.rows;
  }
}
