// Shipment and its tracking events: one parcel per order, sent by a carrier to an address.
import { toIso } from '../lib/dates.js';
import type { ShipmentStatus } from '../lib/trackingNumbers.js';

/** shipments joined with carriers and the destination address (read straight from `addresses`). */
export interface ShipmentRow {
  id: number;
  order_id: number;
  carrier_id: number;
  carrier_code: string;
  carrier_name: string;
  tracking_url_template: string;
  address_id: number;
  ship_to: string;
  tracking_number: string | null;
  status: ShipmentStatus;
  shipped_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

export interface ShipmentEventRow {
  id: number;
  shipment_id: number;
  status: string;
  location: string | null;
  note: string | null;
  occurred_at: Date;
}

export interface ShipmentEvent {
  id: number;
  status: string;
  location: string | null;
  note: string | null;
  occurredAt: string | null;
}

export interface Shipment {
  id: number;
  orderId: number;
  carrier: { code: string; name: string };
  trackingNumber: string | null;
  trackingUrl: string | null;
  status: ShipmentStatus;
  shipTo: string;
  shippedAt: string | null;
  deliveredAt: string | null;
  createdAt: string | null;
  events: ShipmentEvent[];
}

export function toShipmentEvent(row: ShipmentEventRow): ShipmentEvent {
  return { id: row.id, status: row.status, location: row.location, note: row.note, occurredAt: toIso(row.occurred_at) };
}

export function toShipment(row: ShipmentRow, events: ShipmentEventRow[]): Shipment {
  return {
    id: row.id,
    orderId: row.order_id,
    carrier: { code: row.carrier_code, name: row.carrier_name },
    trackingNumber: row.tracking_number,
    trackingUrl: row.tracking_number ? row.tracking_url_template.replace('{tracking}', row.tracking_number) : null,
    status: row.status,
    shipTo: row.ship_to,
    shippedAt: toIso(row.shipped_at),
    deliveredAt: toIso(row.delivered_at),
    createdAt: toIso(row.created_at),
    events: events.map(toShipmentEvent),
  };
}

/** Allowed status moves; anything else is a 409. */
export const SHIPMENT_TRANSITIONS: Record<ShipmentStatus, ShipmentStatus[]> = {
  label_created: ['in_transit', 'cancelled', 'exception'],
  in_transit: ['out_for_delivery', 'delivered', 'exception'],
  out_for_delivery: ['delivered', 'exception'],
  exception: ['in_transit', 'out_for_delivery', 'delivered'],
  delivered: [],
  cancelled: [],
};
