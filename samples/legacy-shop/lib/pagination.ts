// limit/offset parsing shared by list endpoints: limit defaults to 20 and is capped at 100.
import { defaultConfig } from './config.js';
import { ValidationError } from './errors.js';

export interface Page {
  limit: number;
  offset: number;
}

export interface PageOf<T> extends Page {
  items: T[];
  total: number;
}

function parseNonNegative(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw new ValidationError(`${name} must be a non-negative integer, got "${String(raw)}"`);
  return n;
}

/**
 * Reads ?limit and ?offset. Missing → defaults; limit 0 → 400; limit above the maximum is capped.
 * @example parsePage({ limit: '500' }) // { limit: 100, offset: 0 }
 */
export function parsePage(query: Record<string, unknown>, defaults = defaultConfig): Page {
  const limit = parseNonNegative(query.limit, 'limit') ?? defaults.defaultPageSize;
  const offset = parseNonNegative(query.offset, 'offset') ?? 0;
  if (limit < 1) throw new ValidationError('limit must be at least 1');
  return { limit: Math.min(limit, defaults.maxPageSize), offset };
}

export function pageOf<T>(items: T[], total: number, page: Page): PageOf<T> {
  return { items, total, limit: page.limit, offset: page.offset };
}
