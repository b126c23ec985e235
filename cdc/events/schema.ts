/**
 * The Kafka Connect schema that JsonConverter sends beside each payload when
 * `schemas.enable=true`: `{type, optional, name, version, parameters, default, field, fields,
 * items, keys, values}`. Read as given (lossless tree), checked where the decoder uses it.
 */
import { CdcErrorCode } from '../errors.js';
import { isObject } from './json.js';
import { expected } from './problem.js';

// JsonConverter writes Connect's FLOAT32/FLOAT64 as "float"/"double" (Debezium's tutorial: `"type":"double"`);
// the enum names float32/float64 are accepted too.
export const CONNECT_TYPES = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float',
  'double',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
  'array',
  'map',
  'struct',
] as const;
export type ConnectType = (typeof CONNECT_TYPES)[number];

export interface ConnectSchema {
  readonly type: ConnectType;
  readonly optional?: boolean;
  /** The semantic type, e.g. `org.apache.kafka.connect.data.Decimal`, `io.debezium.time.MicroTimestamp`. */
  readonly name?: string;
  /** Connect parameters: string values (`scale`, `allowed`, `connect.decimal.precision`). */
  readonly parameters?: { readonly [k: string]: unknown };
  readonly default?: unknown;
  /** The field name, when this schema is a struct's field. */
  readonly field?: string;
  readonly fields?: readonly unknown[];
  readonly items?: unknown;
  readonly keys?: unknown;
  readonly values?: unknown;
}

/** `raw` as a ConnectSchema, or a DecodeProblem (CDC_DECODE_SCHEMA) at `path`. */
export function asSchema(raw: unknown, path: string): ConnectSchema {
  if (!isObject(raw)) expected(`${path} (schema)`, 'a Connect schema object {type, ...}', raw, CdcErrorCode.DECODE_SCHEMA);
  const type = raw.type;
  if (typeof type !== 'string' || !(CONNECT_TYPES as readonly string[]).includes(type))
    expected(`${path} (schema).type`, `a Connect type (${CONNECT_TYPES.join(', ')})`, type, CdcErrorCode.DECODE_SCHEMA);
  if (type === 'struct' && !Array.isArray(raw.fields))
    expected(`${path} (schema).fields`, 'an array of field schemas for a struct', raw.fields, CdcErrorCode.DECODE_SCHEMA);
  if (type === 'array' && !isObject(raw.items)) expected(`${path} (schema).items`, 'the element schema of an array', raw.items, CdcErrorCode.DECODE_SCHEMA);
  if (raw.name !== undefined && raw.name !== null && typeof raw.name !== 'string')
    expected(`${path} (schema).name`, 'a string', raw.name, CdcErrorCode.DECODE_SCHEMA);
  return raw as unknown as ConnectSchema;
}

/** True for a schema object worth decoding with (the docs print `schema: {}` for "elided"). */
export function hasSchema(raw: unknown): boolean {
  return isObject(raw) && typeof raw.type === 'string';
}

/** An integer Connect parameter (e.g. Decimal's `scale`), or undefined. */
export function intParameter(schema: ConnectSchema, name: string): number | undefined {
  const v = schema.parameters?.[name];
  if (v === undefined || v === null) return undefined;
  const n = Number(String(v));
  return Number.isInteger(n) ? n : undefined;
}
