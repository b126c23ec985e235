// Invoice: the billing document issued once an order's payment is captured.
import { toIso } from '../lib/dates.js';

export interface InvoiceRow {
  id: number;
  number: string;
  order_id: number;
  customer_id: number;
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  issued_at: Date;
  bill_to_name: string;
  bill_to_email: string;
}

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
}

export interface Invoice {
  id: number;
  number: string;
  orderId: number;
  customerId: number;
  billTo: { name: string; email: string };
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  issuedAt: string | null;
  lines: InvoiceLine[];
}

export function toInvoice(row: InvoiceRow, lines: InvoiceLine[]): Invoice {
  return {
    id: row.id,
    number: row.number,
    orderId: row.order_id,
    customerId: row.customer_id,
    billTo: { name: row.bill_to_name, email: row.bill_to_email },
    subtotalCents: row.subtotal_cents,
    taxCents: row.tax_cents,
    totalCents: row.total_cents,
    issuedAt: toIso(row.issued_at),
    lines,
  };
}

/** INV-2024-000042 */
export function invoiceNumber(year: number, orderId: number): string {
  return `INV-${year}-${String(orderId).padStart(6, '0')}`;
}
