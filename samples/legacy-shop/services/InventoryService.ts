// Inventory rules: stock per warehouse, manual adjustments, and reservations for orders.
import type { AppContext } from '../lib/context.js';
import type { Queryable } from '../lib/db.js';
import { ConflictError, InsufficientStockError, NotFoundError, ValidationError } from '../lib/errors.js';
import { InventoryRepository } from '../repositories/InventoryRepository.js';
import { ReservationRepository } from '../repositories/ReservationRepository.js';
import { WarehouseRepository } from '../repositories/WarehouseRepository.js';
import { ProductRepository } from '../repositories/ProductRepository.js';
import { summarizeStock, type StockSummary } from '../models/StockLevel.js';
import { toWarehouse, type Warehouse } from '../models/Warehouse.js';
import type { ReservationRequest } from '../models/Reservation.js';

export type InventoryService = ReturnType<typeof createInventoryService>;

export function createInventoryService(ctx: AppContext) {
  const stock = new InventoryRepository(ctx.db);
  const reservations = new ReservationRepository(ctx.db);
  const warehouses = new WarehouseRepository(ctx.db);
  const products = new ProductRepository(ctx.db); // only to 404 on unknown products
  const log = ctx.logger.child('inventory');

  async function getStock(productId: number): Promise<StockSummary> {
    if (!(await products.findById(productId))) throw new NotFoundError('product', productId);
    return summarizeStock(productId, await stock.levelsForProduct(productId));
  }

  async function adjust(productId: number, warehouseId: number, delta: number, reason: string): Promise<StockSummary> {
    if (!(await products.findById(productId))) throw new NotFoundError('product', productId);
    if (!(await warehouses.findById(warehouseId))) throw new ValidationError(`warehouseId ${warehouseId} does not match any warehouse`);
    await ctx.db.transaction(async (tx) => {
      const level = await stock.lockLevel(tx, productId, warehouseId);
      const onHand = level.on_hand + delta;
      if (onHand < level.reserved) {
        throw new ConflictError(`cannot adjust product ${productId} in warehouse ${warehouseId} by ${delta}: ${level.on_hand} on hand, ${level.reserved} reserved`);
      }
      await stock.setOnHand(tx, productId, warehouseId, onHand);
      await stock.recordMovement(tx, { productId, warehouseId, delta, reason, reference: null });
    });
    log.info('stock adjusted', { productId, warehouseId, delta, reason });
    return getStock(productId);
  }

  /** Throws 409 for the first line that cannot be served from a single warehouse. */
  async function assertAvailable(lines: ReservationRequest[]): Promise<void> {
    const available = await stock.availableByProduct(lines.map((l) => l.productId));
    for (const line of lines) {
      const have = available.get(line.productId) ?? 0;
      if (have < line.quantity) throw new InsufficientStockError(line.productId, line.quantity, have);
    }
  }

  /** Holds stock for every line inside the caller's transaction. */
  // TODO: split a line across warehouses instead of failing when no single one has enough
  async function reserve(tx: Queryable, orderId: number, lines: ReservationRequest[]): Promise<void> {
    for (const line of lines) {
      const warehouseId = await stock.bestWarehouseFor(tx, line.productId, line.quantity);
      if (warehouseId === undefined || !(await stock.hold(tx, line.productId, warehouseId, line.quantity))) {
        const levels = await stock.levelsForProduct(line.productId, tx);
        throw new InsufficientStockError(line.productId, line.quantity, summarizeStock(line.productId, levels).available);
      }
      await reservations.create(tx, orderId, line.productId, warehouseId, line.quantity);
    }
  }

  /** Payment went through: held units are taken out of stock. */
  async function commit(orderId: number): Promise<void> {
    await ctx.db.transaction(async (tx) => {
      for (const r of await reservations.findByOrder(orderId, 'held', tx)) {
        await stock.consumeHeld(tx, r.product_id, r.warehouse_id, r.quantity);
        await stock.recordMovement(tx, { productId: r.product_id, warehouseId: r.warehouse_id, delta: -r.quantity, reason: 'order', reference: `order:${orderId}` });
        await reservations.setStatus(tx, r.id, 'committed');
      }
    });
  }

  /** Order cancelled or payment failed: give back held units, restock committed ones. */
  async function release(orderId: number): Promise<number> {
    let released = 0;
    await ctx.db.transaction(async (tx) => {
      for (const r of await reservations.findByOrder(orderId, undefined, tx)) {
        if (r.status === 'held') await stock.unhold(tx, r.product_id, r.warehouse_id, r.quantity);
        if (r.status === 'committed') {
          await stock.restock(tx, r.product_id, r.warehouse_id, r.quantity);
          await stock.recordMovement(tx, { productId: r.product_id, warehouseId: r.warehouse_id, delta: r.quantity, reason: 'cancellation', reference: `order:${orderId}` });
        }
        if (r.status !== 'released') {
          await reservations.setStatus(tx, r.id, 'released');
          released += r.quantity;
        }
      }
    });
    return released;
  }

  async function listWarehouses(): Promise<Warehouse[]> {
    return (await warehouses.listWithTotals()).map(toWarehouse);
  }

  async function lowStock(threshold = ctx.config.lowStockThreshold) {
    const rows = await stock.lowStock(threshold);
    return rows.map((r) => ({ productId: r.product_id, sku: r.sku, name: r.product_name, warehouse: r.warehouse_code, onHand: r.on_hand, reserved: r.reserved, available: r.on_hand - r.reserved }));
  }

  return { getStock, adjust, assertAvailable, reserve, commit, release, listWarehouses, lowStock };
}
