// Seeds warehouses and stock: a goods receipt per product, then the seeded orders' reservations and movements.
import type { Queryable } from '../../lib/db.js';
import { createRng } from '../../lib/random.js';
import { insertMany } from '../../lib/queryBuilder.js';
import type { ReservationStatus } from '../../models/Reservation.js';

export const WAREHOUSE_SEED = [
  { id: 1, code: 'EWR', name: 'East Coast DC', city: 'Newark', created_at: new Date('2018-01-15T00:00:00.000Z') },
  { id: 2, code: 'RNO', name: 'West Coast DC', city: 'Reno', created_at: new Date('2019-09-01T00:00:00.000Z') },
  { id: 3, code: 'DFW', name: 'Central DC', city: 'Dallas', created_at: new Date('2021-04-12T00:00:00.000Z') },
] as const;

const RECEIVED_AT = new Date('2024-01-02T06:00:00.000Z');

/** Every product is kept in Newark; even ids also in Reno, multiples of three also in Dallas. */
export function warehousesStocking(productId: number): number[] {
  return [1, ...(productId % 2 === 0 ? [2] : []), ...(productId % 3 === 0 ? [3] : [])];
}

function reservationStatus(orderStatus: string): ReservationStatus {
  if (orderStatus === 'pending') return 'held';
  if (orderStatus === 'cancelled' || orderStatus === 'payment_failed') return 'released';
  return 'committed';
}

interface Level {
  sold: number;
  held: number;
}

export async function seedInventory(tx: Queryable): Promise<void> {
  const rng = createRng(20_240_102);
  await insertMany(tx, 'warehouses', WAREHOUSE_SEED.map((w) => ({ ...w })));

  const products = (await tx.query<{ id: number; active: boolean }>('SELECT id, active FROM products ORDER BY id')).rows;
  const lines = (
    await tx.query<{ order_id: number; status: string; created_at: Date; updated_at: Date; product_id: number; quantity: number }>(
      `SELECT o.id AS order_id, o.status, o.created_at, o.updated_at, ol.product_id, ol.quantity
       FROM order_lines ol JOIN orders o ON o.id = ol.order_id ORDER BY ol.id`,
    )
  ).rows;

  const levels = new Map<string, Level>();
  const level = (productId: number, warehouseId: number) => {
    const key = `${productId}:${warehouseId}`;
    let l = levels.get(key);
    if (!l) levels.set(key, (l = { sold: 0, held: 0 }));
    return l;
  };
  const reservations: Record<string, unknown>[] = [];
  const movements: Record<string, unknown>[] = [];

  for (const line of lines) {
    const warehouseId = rng.pick(warehousesStocking(line.product_id));
    const status = reservationStatus(line.status);
    // cancelled orders were paid (stock committed) and restocked when they were cancelled
    const wasTaken = status === 'committed' || line.status === 'cancelled';
    if (status === 'held') level(line.product_id, warehouseId).held += line.quantity;
    if (status === 'committed') level(line.product_id, warehouseId).sold += line.quantity;
    reservations.push({
      order_id: line.order_id,
      product_id: line.product_id,
      warehouse_id: warehouseId,
      quantity: line.quantity,
      status,
      created_at: line.created_at,
      updated_at: line.updated_at,
    });
    const reference = `order:${line.order_id}`;
    if (wasTaken) movements.push({ product_id: line.product_id, warehouse_id: warehouseId, delta: -line.quantity, reason: 'order', reference, created_at: line.created_at });
    if (line.status === 'cancelled') movements.push({ product_id: line.product_id, warehouse_id: warehouseId, delta: line.quantity, reason: 'cancellation', reference, created_at: line.updated_at });
  }

  const stock: Record<string, unknown>[] = [];
  const receipts: Record<string, unknown>[] = [];
  for (const p of products) {
    for (const warehouseId of warehousesStocking(p.id)) {
      const l = level(p.id, warehouseId);
      // a handful of lines run low so the low-stock report has something to show
      const left = !p.active ? rng.int(0, 3) : p.id % 17 === 0 ? rng.int(0, 4) : rng.int(20, 180);
      const onHand = Math.max(left, l.held);
      stock.push({ product_id: p.id, warehouse_id: warehouseId, on_hand: onHand, reserved: l.held, updated_at: new Date('2025-06-28T18:00:00.000Z') });
      if (onHand + l.sold === 0) continue;
      receipts.push({
        product_id: p.id,
        warehouse_id: warehouseId,
        delta: onHand + l.sold,
        reason: 'receipt',
        reference: `PO-2024-${String(p.id * 10 + warehouseId).padStart(5, '0')}`,
        created_at: RECEIVED_AT,
      });
    }
  }
  await insertMany(tx, 'stock_levels', stock);
  await insertMany(tx, 'stock_reservations', reservations);
  await insertMany(tx, 'stock_movements', [...receipts, ...movements]);
}
