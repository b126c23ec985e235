// Cart: a customer's open basket of products before checkout.

export interface CartRow {
  id: number;
  customer_id: number;
  status: 'open' | 'converted' | 'abandoned';
  created_at: Date;
  updated_at: Date;
}

/** cart_items joined with products and their first image. */
export interface CartItemRow {
  product_id: number;
  sku: string;
  name: string;
  price_cents: number;
  active: boolean;
  quantity: number;
  image_url: string | null;
}

export interface CartItem {
  productId: number;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
  imageUrl: string | null;
  active: boolean;
}

export interface Cart {
  id: number;
  customerId: number;
  items: CartItem[];
  itemCount: number;
  subtotalCents: number;
}

export function toCartItem(row: CartItemRow): CartItem {
  return {
    productId: row.product_id,
    sku: row.sku,
    name: row.name,
    unitPriceCents: row.price_cents,
    quantity: row.quantity,
    lineTotalCents: row.price_cents * row.quantity,
    imageUrl: row.image_url,
    active: row.active,
  };
}

export function toCart(cart: CartRow, rows: CartItemRow[]): Cart {
  const items = rows.map(toCartItem);
  return {
    id: cart.id,
    customerId: cart.customer_id,
    items,
    itemCount: items.reduce((n, i) => n + i.quantity, 0),
    subtotalCents: items.reduce((n, i) => n + i.lineTotalCents, 0),
  };
}

export const MAX_CART_QUANTITY = 99;
