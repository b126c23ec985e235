// Seeds carriers and the shipments (with tracking events) of the seeded orders.
import type { Queryable } from '../../lib/db.js';
import { addHours } from '../../lib/dates.js';
import { createRng } from '../../lib/random.js';
import { insertMany } from '../../lib/queryBuilder.js';
import { trackingNumberFor, type ShipmentStatus } from '../../lib/trackingNumbers.js';
import type { CarrierRow } from '../../models/Carrier.js';

export const CARRIER_SEED: readonly CarrierRow[] = [
  { id: 1, code: 'UPS', name: 'UPS Ground', base_rate_cents: 799, tracking_url_template: 'https://www.ups.com/track?tracknum={tracking}', active: true },
  { id: 2, code: 'FEDEX', name: 'FedEx Home Delivery', base_rate_cents: 899, tracking_url_template: 'https://www.fedex.com/fedextrack/?trknbr={tracking}', active: true },
  { id: 3, code: 'DHL', name: 'DHL Express', base_rate_cents: 1299, tracking_url_template: 'https://www.dhl.com/us-en/home/tracking.html?tracking-id={tracking}', active: true },
  { id: 4, code: 'USPS', name: 'USPS Priority Mail', base_rate_cents: 695, tracking_url_template: 'https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking}', active: true },
  { id: 5, code: 'PONY', name: 'Pony Express (discontinued)', base_rate_cents: 2500, tracking_url_template: 'https://pony.example/track/{tracking}', active: false },
];

/** Which carrier a seeded order chose at checkout (most people keep the default, UPS). */
export function carrierCodeForOrder(orderId: number): string {
  const pattern = ['UPS', 'UPS', 'USPS', 'FEDEX', 'UPS', 'DHL', 'USPS'] as const;
  return pattern[orderId % pattern.length]!;
}

const LOCATIONS = ['Newark, NJ', 'Reno, NV', 'Dallas, TX', 'Memphis, TN', 'Louisville, KY', 'Chicago, IL', 'Atlanta, GA'];

/** Scans a parcel went through, given where its order ended up. */
function journey(orderStatus: string, id: number): ShipmentStatus[] {
  if (orderStatus === 'cancelled') return ['label_created', 'cancelled'];
  if (orderStatus === 'paid') return ['label_created'];
  if (orderStatus === 'shipped') return id % 2 === 0 ? ['label_created', 'in_transit'] : ['label_created', 'in_transit', 'out_for_delivery'];
  return id % 11 === 0
    ? ['label_created', 'in_transit', 'exception', 'out_for_delivery', 'delivered']
    : ['label_created', 'in_transit', 'out_for_delivery', 'delivered'];
}

export async function seedShipping(tx: Queryable): Promise<void> {
  const rng = createRng(20_240_107);
  await insertMany(tx, 'carriers', CARRIER_SEED.map((c) => ({ ...c })));
  const orders = (
    await tx.query<{ id: number; status: string; shipping_address_id: number; created_at: Date }>(
      "SELECT id, status, shipping_address_id, created_at FROM orders WHERE status IN ('paid', 'shipped', 'delivered', 'cancelled') ORDER BY id",
    )
  ).rows;
  const carrierByCode = new Map(CARRIER_SEED.map((c) => [c.code, c]));
  const shipments: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];

  for (const o of orders) {
    const id = shipments.length + 1;
    const carrier = carrierByCode.get(carrierCodeForOrder(o.id))!;
    const steps = journey(o.status, id);
    let at = addHours(o.created_at, 2);
    let shippedAt: Date | null = null;
    let deliveredAt: Date | null = null;
    steps.forEach((status, i) => {
      if (i > 0) at = addHours(at, status === 'cancelled' ? 3 : rng.int(8, 40));
      if (status === 'in_transit' && !shippedAt) shippedAt = at;
      if (status === 'delivered') deliveredAt = at;
      events.push({
        shipment_id: id,
        status,
        location: status === 'cancelled' ? null : status === 'label_created' ? 'Warehouse' : rng.pick(LOCATIONS),
        note: status === 'label_created' ? `label printed for order ${o.id}` : status === 'exception' ? 'address label damaged, rerouted' : status === 'cancelled' ? `order ${o.id} cancelled` : null,
        occurred_at: at,
      });
    });
    shipments.push({
      id,
      order_id: o.id,
      carrier_id: carrier.id,
      address_id: o.shipping_address_id,
      tracking_number: trackingNumberFor(carrier.code, id),
      status: steps[steps.length - 1]!,
      shipped_at: shippedAt,
      delivered_at: deliveredAt,
      created_at: addHours(o.created_at, 2),
      updated_at: at,
    });
  }
  await insertMany(tx, 'shipments', shipments);
  await insertMany(tx, 'shipment_events', events.map((e, i) => ({ id: i + 1, ...e })));
  // keep order timestamps in line with the last scan
  await tx.query(
    `UPDATE orders o SET updated_at = s.updated_at FROM shipments s
     WHERE s.order_id = o.id AND o.status IN ('shipped', 'delivered')`,
  );
}
