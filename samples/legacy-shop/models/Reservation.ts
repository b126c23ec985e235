// Reservation: stock held for an order between checkout and payment/cancellation.
import { toIso } from '../lib/dates.js';

export type ReservationStatus = 'held' | 'committed' | 'released';

export interface ReservationRow {
  id: number;
  order_id: number;
  product_id: number;
  warehouse_id: number;
  quantity: number;
  status: ReservationStatus;
  created_at: Date;
  updated_at: Date;
}

export interface Reservation {
  id: number;
  orderId: number;
  productId: number;
  warehouseId: number;
  quantity: number;
  status: ReservationStatus;
  createdAt: string | null;
}

/** What the order side asks inventory to hold. */
export interface ReservationRequest {
  productId: number;
  quantity: number;
}

export function toReservation(row: ReservationRow): Reservation {
  return {
    id: row.id,
    orderId: row.order_id,
    productId: row.product_id,
    warehouseId: row.warehouse_id,
    quantity: row.quantity,
    status: row.status,
    createdAt: toIso(row.created_at),
  };
}
