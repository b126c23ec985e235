// Data access for shipments and shipment_events; the ship-to line is read from addresses.
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { ShipmentStatus } from '../lib/trackingNumbers.js';
import type { ShipmentEventRow, ShipmentRow } from '../models/Shipment.js';

const SHIPMENT_SELECT = `
  SELECT s.id, s.order_id, s.carrier_id, cr.code AS carrier_code, cr.name AS carrier_name,
         cr.tracking_url_template, s.address_id,
         a.line1 || ', ' || a.city || ', ' || a.region || ' ' || a.postal_code || ', ' || a.country AS ship_to,
         s.tracking_number, s.status, s.shipped_at, s.delivered_at, s.created_at
  FROM shipments s
  JOIN carriers cr ON cr.id = s.carrier_id
  JOIN addresses a ON a.id = s.address_id`;

export class ShipmentRepository {
  constructor(private readonly db: Queryable) {}

  findById(id: number): Promise<ShipmentRow | undefined> {
    return queryOne<ShipmentRow>(this.db, `${SHIPMENT_SELECT} WHERE s.id = $1`, [id]);
  }

  findByOrder(orderId: number): Promise<ShipmentRow | undefined> {
    return queryOne<ShipmentRow>(this.db, `${SHIPMENT_SELECT} WHERE s.order_id = $1 ORDER BY s.id DESC LIMIT 1`, [orderId]);
  }

  findByTrackingNumber(trackingNumber: string): Promise<ShipmentRow | undefined> {
    return queryOne<ShipmentRow>(this.db, `${SHIPMENT_SELECT} WHERE s.tracking_number = $1`, [trackingNumber]);
  }

  async create(orderId: number, carrierId: number, addressId: number): Promise<number> {
    const row = await queryOne<{ id: number }>(
      this.db,
      "INSERT INTO shipments (order_id, carrier_id, address_id, status) VALUES ($1, $2, $3, 'label_created') RETURNING id",
      [orderId, carrierId, addressId],
    );
    return row!.id;
  }

  async setTrackingNumber(id: number, trackingNumber: string): Promise<void> {
    await this.db.query('UPDATE shipments SET tracking_number = $2, updated_at = now() WHERE id = $1', [id, trackingNumber]);
  }

  async updateStatus(id: number, status: ShipmentStatus): Promise<void> {
    await this.db.query(
      `UPDATE shipments SET status = $2, updated_at = now(),
         shipped_at = CASE WHEN $2::text IN ('in_transit', 'out_for_delivery', 'delivered') THEN COALESCE(shipped_at, now()) ELSE shipped_at END,
         delivered_at = CASE WHEN $2::text = 'delivered' THEN now() ELSE delivered_at END
       WHERE id = $1`,
      [id, status],
    );
  }

  async events(shipmentId: number): Promise<ShipmentEventRow[]> {
    const res = await this.db.query<ShipmentEventRow>('SELECT * FROM shipment_events WHERE shipment_id = $1 ORDER BY occurred_at, id', [shipmentId]);
    return res.rows;
  }

  async addEvent(shipmentId: number, status: string, location: string | null, note: string | null): Promise<ShipmentEventRow> {
    const res = await this.db.query<ShipmentEventRow>(
      'INSERT INTO shipment_events (shipment_id, status, location, note) VALUES ($1, $2, $3, $4) RETURNING *',
      [shipmentId, status, location, note],
    );
    return res.rows[0]!;
  }

  /** Reads the order's status to stop label changes after delivery (orders table, not ours). */
  async orderStatusFor(shipmentId: number): Promise<string | undefined> {
    const row = await queryOne<{ status: string }>(
      this.db,
      'SELECT o.status FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = $1',
      [shipmentId],
    );
    return row?.status;
  }
}
