/**
 * Error codes of CDC mapping (CDC_MAP_*). A mapping error on one event is a data problem: the
 * pipeline sends the event to the dead-letter table with the error's code and message and goes on.
 */
import { FicusError } from '../../core/index.js';

export const MapErrorCode = {
  /** A SQL expression in the mapping uses something outside the allowed subset. */
  EXPRESSION: 'CDC_MAP_EXPRESSION',
  /** A `where` filter does not parse. */
  FILTER: 'CDC_MAP_FILTER',
  /** A value cannot be coerced to the mapping's `type`. */
  COERCE: 'CDC_MAP_COERCE',
  /** An insert carries an unchanged-TOAST placeholder, so the full row is unknown. */
  UNAVAILABLE_ON_INSERT: 'CDC_MAP_UNAVAILABLE_ON_INSERT',
  /** The event lacks a value for a target key column. */
  MISSING_KEY: 'CDC_MAP_MISSING_KEY',
  /** The event does not belong to the mapping, or has no row image where one is needed. */
  BAD_EVENT: 'CDC_MAP_BAD_EVENT',
} as const;

export function mapError(code: string, message: string, details: Record<string, unknown> = {}): FicusError {
  return new FicusError(code, message, { retriable: false, details });
}
