// Order and OrderLine: what a customer bought, with prices frozen at checkout time.
import { toIso } from '../lib/dates.js';

export const ORDER_STATUSES = ['pending', 'paid', 'payment_failed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** orders joined with the customer's name and email (OrderRepository reads customers directly). */
export interface OrderRow {
  id: number;
  customer_id: number;
  customer_email: string;
  customer_name: string;
  status: OrderStatus;
  currency: string;
  subtotal_cents: number;
  discount_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
  shipping_address_id: number | null;
  promotion_code: string | null;
  line_count: number;
  created_at: Date;
  updated_at: Date;
}

export interface OrderLineRow {
  id: number;
  order_id: number;
  product_id: number;
  sku: string;
  product_name: string;
  category_slug: string | null;
  quantity: number;
  unit_price_cents: number;
  line_total_cents: number;
}

export interface OrderLine {
  productId: number;
  sku: string;
  name: string;
  category: string | null;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface OrderSummary {
  id: number;
  customerId: number;
  customerEmail: string;
  customerName: string;
  status: OrderStatus;
  currency: string;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  shippingAddressId: number | null;
  promotionCode: string | null;
  lineCount: number;
  createdAt: string | null;
}

export interface OrderDetail extends OrderSummary {
  lines: OrderLine[];
  payment: { id: number; status: string; amountCents: number } | null;
  shipment: { id: number; status: string; trackingNumber: string | null; carrier: string } | null;
}

export interface NewOrder {
  customerId: number;
  currency: string;
  shippingAddressId: number | null;
  promotionCode: string | null;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  lines: { productId: number; sku: string; name: string; quantity: number; unitPriceCents: number }[];
}

export function toOrderSummary(row: OrderRow): OrderSummary {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerEmail: row.customer_email,
    customerName: row.customer_name,
    status: row.status,
    currency: row.currency,
    subtotalCents: row.subtotal_cents,
    discountCents: row.discount_cents,
    shippingCents: row.shipping_cents,
    taxCents: row.tax_cents,
    totalCents: row.total_cents,
    shippingAddressId: row.shipping_address_id,
    promotionCode: row.promotion_code,
    lineCount: row.line_count,
    createdAt: toIso(row.created_at),
  };
}

export function toOrderLine(row: OrderLineRow): OrderLine {
  return {
    productId: row.product_id,
    sku: row.sku,
    name: row.product_name,
    category: row.category_slug,
    quantity: row.quantity,
    unitPriceCents: row.unit_price_cents,
    lineTotalCents: row.line_total_cents,
  };
}

export function isCancellable(status: OrderStatus): boolean {
  return status === 'pending' || status === 'paid' || status === 'payment_failed';
}
