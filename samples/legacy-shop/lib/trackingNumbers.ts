// Carrier tracking number formats used when the shipping desk prints labels.

const PREFIXES: Record<string, string> = { UPS: '1Z', FEDEX: 'FX', DHL: 'JD', USPS: '94' };

/** Deterministic per shipment id, e.g. trackingNumberFor('UPS', 42) → "1Z000000420UPS". */
export function trackingNumberFor(carrierCode: string, shipmentId: number): string {
  const prefix = PREFIXES[carrierCode] ?? 'XX';
  const body = String(shipmentId * 10).padStart(10, '0');
  return `${prefix}${body}${carrierCode.slice(0, 3)}`;
}

export function carrierFromTrackingNumber(trackingNumber: string): string | undefined {
  const prefix = trackingNumber.slice(0, 2);
  return Object.entries(PREFIXES).find(([, p]) => p === prefix)?.[0];
}

export const SHIPMENT_STATUSES = ['label_created', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export function isShipmentStatus(value: unknown): value is ShipmentStatus {
  return typeof value === 'string' && (SHIPMENT_STATUSES as readonly string[]).includes(value);
}
