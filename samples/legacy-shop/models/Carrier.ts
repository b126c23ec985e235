// Carrier: a parcel company the shipping desk books labels with, and its flat base rate.

export interface CarrierRow {
  id: number;
  code: string;
  name: string;
  base_rate_cents: number;
  tracking_url_template: string;
  active: boolean;
}

export interface Carrier {
  id: number;
  code: string;
  name: string;
  baseRateCents: number;
  trackingUrlTemplate: string;
  active: boolean;
}

export function toCarrier(row: CarrierRow): Carrier {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    baseRateCents: row.base_rate_cents,
    trackingUrlTemplate: row.tracking_url_template,
    active: row.active,
  };
}

/** Orders at or above this subtotal ship for free with any carrier. */
export const FREE_SHIPPING_THRESHOLD_CENTS = 10_000;

export function shippingCostFor(carrier: Pick<Carrier, 'baseRateCents'>, subtotalCents: number): number {
  return subtotalCents >= FREE_SHIPPING_THRESHOLD_CENTS ? 0 : carrier.baseRateCents;
}
