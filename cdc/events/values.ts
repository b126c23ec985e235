/**
 * Schema-driven decoding of one Connect value to a CdcValue, by the field schema's semantic
 * `name` first and its `type` second:
 *
 * | schema | JSON payload | decoded |
 * | --- | --- | --- |
 * | `org.apache.kafka.connect.data.Decimal` (also Postgres money) | base64 two's-complement unscaled, `parameters.scale` | exact decimal string, `scale` fraction digits ('-12.50') |
 * | `io.debezium.data.VariableScaleDecimal` | `{scale, value: base64}` | exact decimal string |
 * | `io.debezium.time.Date`, `org.apache.kafka.connect.data.Date` | days since 1970-01-01 | 'YYYY-MM-DD' |
 * | `io.debezium.time.Time` (ms), `MicroTime` (µs), `NanoTime` (ns), `org.apache.kafka.connect.data.Time` (ms) | since midnight | 'HH:MM:SS.ffffff' |
 * | `io.debezium.time.Timestamp` (ms), `MicroTimestamp` (µs), `NanoTimestamp` (ns), `org.apache.kafka.connect.data.Timestamp` (ms) | since the epoch | 'YYYY-MM-DDTHH:MM:SS.ffffff', no zone |
 * | `io.debezium.time.ZonedTimestamp` | ISO-8601 text with an offset | the same instant in UTC, '…Z' |
 * | `io.debezium.data.Json` | JSON text | the parsed JSON value (a JSON `null` document becomes null) |
 * | `io.debezium.data.Uuid`, `Enum` | text | string |
 * | `io.debezium.data.EnumSet` | comma-separated text | string[] |
 * | `io.debezium.data.geometry.*` | `{wkb: base64, srid}` | `{wkb: base64 string, srid}` passed through |
 * | int8/16/32 · int64 | number | number · number when safe, else exact decimal string |
 * | float/double (float32/64) · boolean · string | | number · boolean · string |
 * | bytes | base64 | Buffer |
 * | array · map · struct | | element-wise by `items` · object by `values` · object by `fields` |
 *
 * Timestamps without a zone (`Timestamp`, `MicroTimestamp`, `NanoTimestamp`, Connect's
 * `Timestamp`) are what Debezium means by them: the column's local wall-clock time (Postgres
 * `timestamp`, MySQL `DATETIME`) encoded as if it were UTC. They print without a zone so nobody
 * mistakes them for instants; only `ZonedTimestamp` is an instant, printed in UTC.
 *
 * `__debezium_unavailable_value` (an unchanged TOASTed column) in a text field, its base64 form
 * in a bytes field, or an array holding only it, decodes to the UNAVAILABLE symbol.
 * Optionality is not enforced: a row image may legitimately lack values (a delete's `before`
 * under REPLICA IDENTITY DEFAULT holds only the key); a missing field takes its schema default,
 * else null. Payload fields the schema does not list are kept, decoded by inference.
 */
import { isLosslessNumber } from 'lossless-json';
import { UNAVAILABLE, type CdcValue } from '../model.js';
import { CdcErrorCode } from '../errors.js';
import { inferValue, isObject, parseJson, setMember, UNAVAILABLE_PLACEHOLDER, UNAVAILABLE_PLACEHOLDER_BASE64 } from './json.js';
import { decimalFromBytes, decimalFromText, exactInteger } from './numeric.js';
import { expected } from './problem.js';
import { asSchema, intParameter, type ConnectSchema } from './schema.js';
import {
  formatDate,
  formatInstant,
  formatLocalTimestamp,
  formatLocalTimestampOf,
  formatTimeOfDay,
  isTimeOfDay,
  NS_PER,
  parseZoned,
  type Unit,
} from './temporal.js';

/** A compiled decoder for one schema: the payload value and its path (for errors) → the value. */
export type ValueDecoder = (raw: unknown, path: string) => CdcValue;
type Factory = (schema: ConnectSchema) => ValueDecoder;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function numberText(raw: unknown): string | undefined {
  if (isLosslessNumber(raw)) return raw.toString();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return undefined;
}

function integer(raw: unknown, path: string, what: string): bigint {
  const text = numberText(raw);
  if (text === undefined || !/^-?\d+$/.test(text)) expected(path, `an integer (${what})`, raw);
  return BigInt(text);
}

function text(raw: unknown, path: string, what: string): string {
  if (typeof raw !== 'string') expected(path, `a string (${what})`, raw);
  return raw;
}

function bytes(raw: unknown, path: string, what: string): Buffer {
  if (typeof raw !== 'string' || !BASE64.test(raw)) expected(path, `base64 text (${what})`, raw);
  return Buffer.from(raw, 'base64');
}

/** A safe integer from the native parser (its text is String(n): no point, no exponent). */
const safeInteger = (raw: unknown): raw is number => typeof raw === 'number' && Number.isSafeInteger(raw) && !Object.is(raw, -0);

function boundedInt(min: number, max: number, type: string): Factory {
  return () => (raw, path) => {
    if (safeInteger(raw) && raw >= min && raw <= max) return raw;
    const n = integer(raw, path, type);
    if (n < BigInt(min) || n > BigInt(max)) expected(path, `an ${type} (${min}..${max})`, raw);
    return Number(n);
  };
}

const float: Factory = () => (raw, path) => {
  if (typeof raw === 'number') return raw;
  if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') return Number(raw);
  const t = numberText(raw);
  if (t === undefined) expected(path, 'a number (float)', raw);
  return Number(t);
};

const decimal: Factory = (schema) => {
  const scale = intParameter(schema, 'scale');
  return (raw, path) => {
    if (scale === undefined)
      expected(`${path} (schema).parameters.scale`, 'an integer scale for a Decimal', schema.parameters?.scale, CdcErrorCode.DECODE_SCHEMA);
    // JsonConverter's decimal.format=NUMERIC writes decimals as JSON numbers; the text is exact.
    const t = numberText(raw);
    if (t !== undefined) return decimalFromText(t, scale) as string;
    return decimalFromBytes(bytes(raw, path, `unscaled value of a Decimal with scale ${scale}`), scale);
  };
};

const variableScaleDecimal: Factory = () => (raw, path) => {
  if (!isObject(raw)) expected(path, 'a VariableScaleDecimal struct {scale, value}', raw);
  if (raw.value === UNAVAILABLE_PLACEHOLDER_BASE64) return UNAVAILABLE;
  const scale = Number(integer(raw.scale, `${path}.scale`, 'VariableScaleDecimal scale'));
  return decimalFromBytes(bytes(raw.value, `${path}.value`, 'VariableScaleDecimal unscaled value'), scale);
};

const date: Factory = () => (raw, path) => formatDate(safeInteger(raw) ? raw : Number(integer(raw, path, 'days since 1970-01-01')));

function time(unit: Unit): Factory {
  return () => (raw, path) => {
    const ns = integer(raw, path, `${unit} since midnight`) * NS_PER[unit];
    if (!isTimeOfDay(ns)) expected(path, `a time of day in ${unit} (0..24h)`, raw);
    return formatTimeOfDay(ns);
  };
}

function timestamp(unit: Unit): Factory {
  return () => (raw, path) => {
    if (unit !== 'ns' && safeInteger(raw)) return formatLocalTimestampOf(raw, unit);
    return formatLocalTimestamp(integer(raw, path, `${unit} since the epoch`) * NS_PER[unit]);
  };
}

const zonedTimestamp: Factory = () => (raw, path) => {
  const t = text(raw, path, 'ZonedTimestamp');
  if (t === 'infinity' || t === '-infinity') return t;
  const ns = parseZoned(t);
  if (ns === undefined) expected(path, 'an ISO-8601 timestamp with an offset, e.g. 2024-05-01T10:15:30.123456+02:00 (ZonedTimestamp)', raw);
  return formatInstant(ns);
};

const json: Factory = () => (raw, path) => inferValue(parseJson(text(raw, path, 'JSON text of io.debezium.data.Json'), path), false);

const enumSet: Factory = () => (raw, path) => {
  const t = text(raw, path, 'comma-separated EnumSet');
  return t === '' ? [] : t.split(',');
};

const geometry: Factory = (schema) => {
  const struct = decodeStruct(schema);
  return (raw, path) => {
    if (!isObject(raw)) expected(path, `a geometry struct {wkb, srid} (${schema.name ?? 'geometry'})`, raw);
    const wkb = raw.wkb;
    if (typeof wkb !== 'string' || !BASE64.test(wkb)) expected(`${path}.wkb`, 'base64 WKB', wkb);
    const out: Record<string, CdcValue> = { ...(struct(raw, path) as Record<string, CdcValue>) };
    out.wkb = wkb;
    out.srid = raw.srid === undefined || raw.srid === null ? null : Number(integer(raw.srid, `${path}.srid`, 'SRID'));
    return out;
  };
};

const stringOf =
  (what: string): Factory =>
  () =>
  (raw, path) =>
    text(raw, path, what);

const SEMANTIC: Readonly<Record<string, Factory>> = {
  'org.apache.kafka.connect.data.Decimal': decimal,
  'io.debezium.data.VariableScaleDecimal': variableScaleDecimal,
  'io.debezium.time.Date': date,
  'org.apache.kafka.connect.data.Date': date,
  'io.debezium.time.Time': time('ms'),
  'org.apache.kafka.connect.data.Time': time('ms'),
  'io.debezium.time.MicroTime': time('us'),
  'io.debezium.time.NanoTime': time('ns'),
  'io.debezium.time.Timestamp': timestamp('ms'),
  'org.apache.kafka.connect.data.Timestamp': timestamp('ms'),
  'io.debezium.time.MicroTimestamp': timestamp('us'),
  'io.debezium.time.NanoTimestamp': timestamp('ns'),
  'io.debezium.time.ZonedTimestamp': zonedTimestamp,
  'io.debezium.data.Json': json,
  'io.debezium.data.Uuid': stringOf('UUID'),
  'io.debezium.data.Enum': stringOf('enum value'),
  'io.debezium.data.EnumSet': enumSet,
};

const BY_TYPE: Readonly<Record<string, Factory>> = {
  int8: boundedInt(-128, 127, 'int8'),
  int16: boundedInt(-32768, 32767, 'int16'),
  int32: boundedInt(-2147483648, 2147483647, 'int32'),
  int64: () => (raw, path) => {
    if (safeInteger(raw)) return raw;
    const n = integer(raw, path, 'int64');
    if (n < -(2n ** 63n) || n >= 2n ** 63n) expected(path, 'an int64', raw);
    return exactInteger(n.toString()) as number | string;
  },
  float: float,
  double: float,
  float32: float,
  float64: float,
  boolean: () => (raw, path) => {
    if (typeof raw !== 'boolean') expected(path, 'true or false (boolean)', raw);
    return raw;
  },
  string: stringOf('string'),
  bytes: () => (raw, path) => bytes(raw, path, 'bytes'),
  array: decodeArray,
  map: decodeMap,
  struct: decodeStruct,
};

/**
 * Compiles a decoder for one Connect schema: the schema is read and checked once, and the
 * decoder only walks the payload. A schema that is not valid compiles to a decoder that
 * throws its DecodeProblem (at the path it is called with) when it is used, as reading the
 * schema on the way would.
 *
 *   const dec = compileValue(schema);   // once per distinct schema
 *   dec(payload, 'value.payload');      // per message
 */
export function compileValue(schemaRaw: unknown): ValueDecoder {
  let schema: ConnectSchema;
  try {
    schema = asSchema(schemaRaw, '');
  } catch {
    return (_raw, path) => {
      asSchema(schemaRaw, path);
      throw new Error('unreachable: the schema was refused when compiled');
    };
  }
  const name = schema.name ?? '';
  const factory = SEMANTIC[name] ?? (name.startsWith('io.debezium.data.geometry.') ? geometry : (BY_TYPE[schema.type] as Factory));
  const decode = factory(schema);
  const isBytes = schema.type === 'bytes';
  return (raw, path) => {
    if (raw === null || raw === undefined) return null;
    // `__debezium_unavailable_value` (an unchanged TOASTed column), or its base64 form in a bytes field.
    if (raw === UNAVAILABLE_PLACEHOLDER || (isBytes && raw === UNAVAILABLE_PLACEHOLDER_BASE64)) return UNAVAILABLE;
    return decode(raw, path);
  };
}

/** One payload value decoded by its Connect schema; `path` names it in errors. */
export function decodeValue(schemaRaw: unknown, raw: unknown, path: string): CdcValue {
  return compileValue(schemaRaw)(raw, path);
}

function decodeArray(schema: ConnectSchema): ValueDecoder {
  const item = compileValue(schema.items);
  return (raw, path) => {
    if (!Array.isArray(raw)) expected(path, 'an array', raw);
    // Debezium sends an unchanged TOASTed array column as an array holding only the placeholder.
    if (raw.length === 1 && (raw[0] === UNAVAILABLE_PLACEHOLDER || raw[0] === UNAVAILABLE_PLACEHOLDER_BASE64)) return UNAVAILABLE;
    return raw.map((v, i) => item(v, `${path}[${i}]`));
  };
}

function decodeMap(schema: ConnectSchema): ValueDecoder {
  const keys = compileValue(schema.keys);
  const values = compileValue(schema.values);
  return (raw, path) => {
    const out: Record<string, CdcValue> = {};
    if (isObject(raw)) {
      for (const [k, v] of Object.entries(raw)) setMember(out, k, values(v, `${path}.${k}`));
      return out;
    }
    // JsonConverter writes maps with non-string keys as [[key, value], ...].
    if (!Array.isArray(raw)) expected(path, 'a map (JSON object, or array of [key, value] pairs)', raw);
    raw.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) expected(`${path}[${i}]`, 'a [key, value] pair', pair);
      const key = keys(pair[0], `${path}[${i}][0]`);
      setMember(out, typeof key === 'string' ? key : inferJsonKey(key), values(pair[1], `${path}[${i}][1]`));
    });
    return out;
  };
}

function inferJsonKey(key: CdcValue): string {
  return typeof key === 'symbol' ? 'unavailable' : Buffer.isBuffer(key) ? key.toString('base64') : JSON.stringify(key);
}

/** One field of a compiled struct; `refuse` re-reads a field schema that is not valid, at the runtime path, and throws. */
type StructField =
  | { readonly name: string; readonly suffix: string; readonly fallback: unknown; readonly decode: ValueDecoder; readonly refuse?: undefined }
  | { readonly refuse: (path: string) => never };

function structField(fieldRaw: unknown, i: number): StructField {
  const refuse = (path: string): never => {
    const field = asSchema(fieldRaw, `${path}.fields[${i}]`);
    return expected(`${path} (schema).fields[${i}].field`, 'the field name', field.field, CdcErrorCode.DECODE_SCHEMA);
  };
  try {
    const field = asSchema(fieldRaw, '');
    if (typeof field.field !== 'string') return { refuse };
    return { name: field.field, suffix: `.${field.field}`, fallback: field.default, decode: compileValue(field) };
  } catch {
    return { refuse };
  }
}

function decodeStruct(schema: ConnectSchema): ValueDecoder {
  const fields = (schema.fields ?? []).map(structField);
  const names = fields.flatMap((f) => (f.refuse ? [] : [f.name]));
  const listed = new Set(names);
  const unique = listed.size === names.length;
  return (raw, path) => {
    if (!isObject(raw)) expected(path, `a struct (JSON object)${schema.name ? ` of ${schema.name}` : ''}`, raw);
    const out: Record<string, CdcValue> = {};
    let present = 0;
    for (const f of fields) {
      if (f.refuse) return f.refuse(path);
      let value = f.fallback;
      if (Object.hasOwn(raw, f.name)) {
        value = raw[f.name];
        present++;
      }
      setMember(out, f.name, f.decode(value, path + f.suffix));
    }
    // Payload fields the schema does not list are kept, decoded by inference.
    const own = Object.keys(raw);
    if (!unique || own.length !== present) for (const k of own) if (!listed.has(k)) setMember(out, k, inferValue(raw[k]));
    return out;
  };
}
