// Address: a customer's shipping address; one may be the default.

export interface AddressRow {
  id: number;
  customer_id: number;
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  is_default: boolean;
}

export interface Address {
  id: number;
  customerId: number;
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  isDefault: boolean;
}

export type NewAddress = Omit<Address, 'id' | 'customerId'>;

export function toAddress(row: AddressRow): Address {
  return {
    id: row.id,
    customerId: row.customer_id,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
    isDefault: row.is_default,
  };
}

/** One-line label printed on shipping labels and invoices. */
export function formatAddress(a: Pick<Address, 'line1' | 'line2' | 'city' | 'region' | 'postalCode' | 'country'>): string {
  return [a.line1, a.line2, `${a.city}, ${a.region} ${a.postalCode}`, a.country].filter(Boolean).join(', ');
}
