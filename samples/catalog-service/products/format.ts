/**
 * The product's wire shape. It matches the monolith's JSON except for two deliberate changes
 * listed in the README: `price` is a two-decimal string ("12.50", not 12.5) and there is an
 * extra `slug` (kebab-case of the name). A compat build (`compat: true`, the squad's fix) answers
 * `price` as the monolith's number again.
 *
 * @example
 *   toProductJson(record).price  // "34.99"
 *   kebabCase('Cast Iron Skillet 26cm') // "cast-iron-skillet-26cm"
 */
import type { ProductRecord } from './repository.js';

export const CURRENCY = 'USD';

export interface ProductJson {
  id: number;
  sku: string;
  name: string;
  slug: string;
  description: string;
  price: string | number;
  currency: string;
  category: { id: number; slug: string; name: string };
  active: boolean;
  createdAt: string;
}

/** 1250 → "12.50", 2000 → "20.00", 5 → "0.05"; integer arithmetic, no float rounding. */
export function formatPrice(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Lower-case ASCII words joined by "-", accents folded, everything else dropped. */
export function kebabCase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function toProductJson(p: ProductRecord, compat = false): ProductJson {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    slug: kebabCase(p.name),
    description: p.description,
    price: compat ? p.priceCents / 100 : formatPrice(p.priceCents),
    currency: CURRENCY,
    category: {
      id: p.category.id,
      slug: p.category.slug,
      name: p.category.name,
    },
    active: p.active,
    createdAt: p.createdAt,
  };
}
