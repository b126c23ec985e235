// Error classes shared by every layer; the HTTP error handler maps them to status codes.

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 404 with the message "<entity> <id> not found", e.g. "product 999 not found". */
export class NotFoundError extends AppError {
  constructor(entity: string, id: string | number) {
    super(404, 'SHOP_NOT_FOUND', `${entity} ${id} not found`);
  }
}

export class ValidationError extends AppError {
  constructor(message: string) {
    super(400, 'SHOP_INVALID', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'SHOP_CONFLICT', message);
  }
}

export class InsufficientStockError extends ConflictError {
  constructor(
    readonly productId: number,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`insufficient stock for product ${productId}: requested ${requested}, available ${available}`);
  }
}

export class PaymentDeclinedError extends AppError {
  constructor(
    readonly orderId: number,
    reason: string,
  ) {
    super(402, 'SHOP_PAYMENT_DECLINED', `payment for order ${orderId} declined: ${reason}`);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'authentication required') {
    super(401, 'SHOP_UNAUTHORIZED', message);
  }
}

/** Postgres unique_violation (23505) from pg or PGlite. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** Postgres foreign_key_violation (23503) from pg or PGlite. */
export function isForeignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23503';
}
