// Hand-rolled request validation used by the older controllers (newer routes use JSON schema).
import { ValidationError } from './errors.js';

export type Body = Record<string, unknown>;

export function asBody(value: unknown): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('request body must be a JSON object');
  }
  return value as Body;
}

export function requireString(body: Body, field: string, opts: { max?: number; pattern?: RegExp } = {}): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(`${field} is required and must be a non-empty string`);
  }
  return checkString(field, value.trim(), opts);
}

export function optionalString(body: Body, field: string, opts: { max?: number; pattern?: RegExp } = {}): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string`);
  return checkString(field, value.trim(), opts);
}

function checkString(field: string, value: string, opts: { max?: number; pattern?: RegExp }): string {
  if (opts.max !== undefined && value.length > opts.max) {
    throw new ValidationError(`${field} must be at most ${opts.max} characters`);
  }
  if (opts.pattern && !opts.pattern.test(value)) {
    throw new ValidationError(`${field} must match ${opts.pattern.source}`);
  }
  return value;
}

export function requireInt(body: Body, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${field} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function optionalInt(body: Body, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  return body[field] === undefined ? undefined : requireInt(body, field, min, max);
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ValidationError(`${field} must be true or false`);
  return value;
}

/** Path/query integer such as ":id"; throws a 400 naming the parameter. */
export function parseId(raw: unknown, name = 'id'): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ValidationError(`${name} must be a positive integer, got "${String(raw)}"`);
  }
  return n;
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
