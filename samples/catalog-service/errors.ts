/**
 * The catalog service's HTTP errors and its one error handler. Every error answers with the
 * monolith's body shape, `{ "error": "<sentence>" }`, so 404s compare equal under shadowing;
 * fastify's schema-validation failures become 400s in the same shape.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export const CatalogErrorCode = {
  NOT_FOUND: 'CATALOG_NOT_FOUND',
  DUPLICATE_SKU: 'CATALOG_DUPLICATE_SKU',
  UNKNOWN_CATEGORY: 'CATALOG_UNKNOWN_CATEGORY',
  INVALID_REQUEST: 'CATALOG_INVALID_REQUEST',
} as const;

export type CatalogErrorCode = (typeof CatalogErrorCode)[keyof typeof CatalogErrorCode];

export class CatalogError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409,
    readonly code: CatalogErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

export const productNotFound = (id: number | string): CatalogError =>
  new CatalogError(404, CatalogErrorCode.NOT_FOUND, `product ${id} not found`);

export const categoryNotFound = (slug: string): CatalogError =>
  new CatalogError(404, CatalogErrorCode.NOT_FOUND, `category ${slug} not found`);

export const duplicateSku = (sku: string): CatalogError =>
  new CatalogError(409, CatalogErrorCode.DUPLICATE_SKU, `sku ${sku} already exists`);

export const unknownCategory = (id: number): CatalogError =>
  new CatalogError(400, CatalogErrorCode.UNKNOWN_CATEGORY, `categoryId ${id} does not match any category`);

export const invalidRequest = (message: string): CatalogError =>
  new CatalogError(400, CatalogErrorCode.INVALID_REQUEST, message);

/** Fastify error handler: known errors and validation failures keep their status; the rest are 500s. */
export function handleError(err: FastifyError | CatalogError, request: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof CatalogError) {
    void reply.code(err.statusCode).send({ error: err.message });
    return;
  }
  if (err.validation !== undefined) {
    // fastify already names the place: "body/priceCents must be integer".
    void reply.code(400).send({ error: err.message });
    return;
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    void reply.code(err.statusCode).send({ error: err.message });
    return;
  }
  request.log.error({ err }, 'unhandled error');
  void reply.code(500).send({ error: 'internal error' });
}
