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

/** Records made as JSON elsewhere (the shadow judge's thread), and their UTF-8 text. */
const texts = new WeakMap<DiffRecord, Buffer>();

/** What a record made as text says of itself outside the text (the columns stores index by). */
export interface RecordHead {
  readonly id: string;
  readonly at: string;
  readonly route: string;
  readonly noise: boolean;
}

/**
 * A DiffRecord known by its JSON as UTF-8 bytes, as the shadow judge's thread sends it (its
 * buffer is transferred, not copied; the object it stands for would be cloned field by field,
 * which cost more than making it). Its head is plain; the rest is parsed from the text on first
 * read, and `serialisedBytes` returns the bytes as they are. The caller vouches that `json` is
 * the record whose head is `head` (the judge made both).
 */
export function recordFromText(head: RecordHead, json: Uint8Array): DiffRecord {
  const bytes = Buffer.from(json.buffer, json.byteOffset, json.byteLength);
  let body: DiffRecord | undefined;
  const full = (): DiffRecord => (body ??= JSON.parse(bytes.toString('utf8')) as DiffRecord);
  const record: DiffRecord = {
    ...head,
    get request() {
      return full().request;
    },
    get primary() {
      return full().primary;
    },
    get shadow() {
      return full().shadow;
    },
    get differences() {
      return full().differences;
    },
  } as DiffRecord;
  Object.defineProperty(record, 'toJSON', { value: full, enumerable: false });
  texts.set(record, bytes);
  return record;
}

/** The record as one JSON text (no newline); throws a non-retriable GW_DIFF_STORE error for a bad record. */
export function serialiseRecord(record: DiffRecord): string {
  const bytes = texts.get(record);
  if (bytes !== undefined) return bytes.toString('utf8');
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

/** The record as UTF-8 JSON (no newline): the bytes it came as, or `serialiseRecord`'s text encoded; throws as that does. */
export function serialisedBytes(record: DiffRecord): Buffer {
  return texts.get(record) ?? Buffer.from(serialiseRecord(record));
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
