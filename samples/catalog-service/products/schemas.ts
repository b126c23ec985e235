/**
 * JSON Schemas for the product routes' input, validated once by fastify at the edge. Defaults
 * (limit 20, offset 0) live here; query-string numbers are coerced, bodies are not (see
 * ../validation.ts). A limit above MAX_LIMIT is capped by the route, not refused, as in the
 * monolith; strings are trimmed by the route and must not be blank.
 */
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
const MAX_PRICE_CENTS = 100_000_000;
const MAX_ID = 2_147_483_647;

export const listQuerySchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    category: { type: 'string', maxLength: 100 },
    q: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, default: DEFAULT_LIMIT },
    offset: { type: 'integer', minimum: 0, maximum: MAX_ID, default: 0 },
  },
} as const;

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: MAX_ID } },
} as const;

const fields = {
  sku: { type: 'string', maxLength: 64, pattern: '\\S' },
  name: { type: 'string', maxLength: 200, pattern: '\\S' },
  description: { type: ['string', 'null'], maxLength: 4000 },
  priceCents: { type: 'integer', minimum: 0, maximum: MAX_PRICE_CENTS },
  categoryId: { type: 'integer', minimum: 1, maximum: MAX_ID },
  active: { type: 'boolean' },
} as const;

export const createBodySchema = {
  type: 'object',
  required: ['sku', 'name', 'priceCents', 'categoryId'],
  properties: {
    sku: fields.sku,
    name: fields.name,
    description: fields.description,
    priceCents: fields.priceCents,
    categoryId: fields.categoryId,
  },
} as const;

export const updateBodySchema = {
  type: 'object',
  properties: {
    name: fields.name,
    description: fields.description,
    priceCents: fields.priceCents,
    categoryId: fields.categoryId,
    active: fields.active,
    // Allowed through only so the route can refuse it with a sentence, like the monolith.
    sku: {},
  },
} as const;

export interface ListQuery {
  category?: string;
  q?: string;
  limit: number;
  offset: number;
}

export interface IdParams {
  id: number;
}

export interface CreateBody {
  sku: string;
  name: string;
  description?: string | null;
  priceCents: number;
  categoryId: number;
}

export interface UpdateBody {
  sku?: unknown;
  name?: string;
  description?: string | null;
  priceCents?: number;
  categoryId?: number;
  active?: boolean;
}
