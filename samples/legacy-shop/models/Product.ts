// Product: a sellable catalog item; price kept in cents, exposed in major units on the API.
import { centsToMajor } from '../lib/money.js';
import { toIso } from '../lib/dates.js';
import type { CategoryRef } from './Category.js';

/** A row of `products` joined with its category (see ProductRepository.BASE_SELECT). */
export interface ProductRow {
  id: number;
  sku: string;
  name: string;
  description: string | null;
  price_cents: number;
  category_id: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  category_slug: string;
  category_name: string;
}

/** The product as the API returns it. Stock is deliberately not part of it. */
export interface Product {
  id: number;
  sku: string;
  name: string;
  description: string | null;
  price: number;
  currency: string;
  category: CategoryRef;
  active: boolean;
  createdAt: string;
}

export interface NewProduct {
  sku: string;
  name: string;
  description: string | null;
  priceCents: number;
  categoryId: number;
}

export interface ProductChanges {
  name?: string;
  description?: string | null;
  priceCents?: number;
  categoryId?: number;
  active?: boolean;
}

export interface ProductFilter {
  categoryId?: number;
  q?: string;
}

export function toProduct(row: ProductRow, currency: string): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    price: centsToMajor(row.price_cents),
    currency,
    category: { id: row.category_id, slug: row.category_slug, name: row.category_name },
    active: row.active,
    createdAt: toIso(row.created_at) ?? '',
  };
}

export const SKU_PATTERN = /^[A-Z]{3}-\d{4,}$/;
