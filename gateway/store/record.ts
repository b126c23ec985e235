/**
 * One DiffRecord as stored text: the light shape check both stores apply before writing (so a
 * bad record is refused at once instead of poisoning a file or a batch), JSON serialisation,
 * and parsing a stored line back. Errors are FicusErrors with code GW_DIFF_STORE; a record that
 * cannot be stored is `retriable: false` — retrying the same bytes would fail the same way.
 */
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { DiffRecord } from '../model.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Why `value` is not a DiffRecord, or null when it has the contract's shape. */
export function diffRecordProblem(value: unknown): string | null {
  if (!isObject(value)) return 'is not a JSON object';
  if (!isText(value.id)) return 'has no id (a non-empty string)';
  if (!isText(value.at) || Number.isNaN(Date.parse(value.at))) return `has no valid at (an ISO-8601 time), got ${JSON.stringify(value.at)}`;
  if (typeof value.route !== 'string') return 'has no route (a string)';
  if (typeof value.noise !== 'boolean') return 'has no noise (true or false)';
  for (const part of ['request', 'primary', 'shadow'] as const) {
    if (!isObject(value[part])) return `has no ${part} (an object)`;
  }
  if (!Array.isArray(value.differences)) return 'has no differences (an array)';
  return null;
}

/** The record as one JSON text (no newline); throws a non-retriable GW_DIFF_STORE error for a bad record. */
export function serialiseRecord(record: DiffRecord): string {
  const problem = diffRecordProblem(record);
  const id = isObject(record) && typeof record.id === 'string' ? record.id : '?';
  if (problem !== null)
    throw new FicusError(GatewayErrorCode.DIFF_STORE, `diff record ${id} ${problem}; records follow the DiffRecord contract`, { details: { id } });
  try {
    return JSON.stringify(record);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new FicusError(GatewayErrorCode.DIFF_STORE, `diff record ${id} cannot be serialised as JSON (${why}); values must be plain JSON`, {
      cause: err,
      details: { id },
    });
  }
}

/** Parses one stored JSON text; returns the record, or the reason it is not one. */
export function parseRecord(text: string): { record: DiffRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: `is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const problem = diffRecordProblem(value);
  return problem === null ? { record: value as DiffRecord } : { problem };
}
