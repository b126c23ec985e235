/**
 * Decodes one Kafka message written by Debezium through Kafka Connect's JsonConverter into a
 * DecodedMessage: a row change, or a control message (tombstone, transaction BEGIN/END,
 * heartbeat, schema change).
 *
 * Both converter settings are read. With `schemas.enable=true` each key and value is
 * `{schema, payload}` and values are decoded by their field schemas (see values.ts). Without
 * schemas the payload comes bare and types can only be inferred from JSON: integers stay
 * exact (numbers, or strings beyond 2^53), but a Decimal stays its base64 text, a date its
 * day count, a timestamp its epoch count, bytes their base64 text, Json its text, an EnumSet
 * its comma-separated text — what they mean is lost with the schema. Use
 * `schemas.enable=true`, or Debezium's `decimal.handling.mode=string` and
 * `time.precision.mode=connect` with ISO converters, to keep it. The unavailable-value
 * placeholder is still recognised.
 *
 *   decodeMessage({ topic: 'shop.public.orders', partition: 0, offset: '42', key, value })
 *   // { kind: 'change', event: { op: 'u', table: 'orders', key: { id: 7 }, before, after, … } }
 *
 * A message that cannot be decoded throws a CdcDecodeError (`retriable: false`) naming the
 * topic, partition, offset and field path, and what was expected there.
 */
import type { CdcValue, DecodedMessage, Position, Row } from '../model.js';
import { CdcDecodeError, CdcErrorCode } from '../errors.js';
import { changeEvent } from './envelope.js';
import { heartbeat, HEARTBEAT_TOPIC_PREFIX, isHeartbeat, isSchemaChange, isTransaction, schemaChange, transaction } from './control.js';
import { isRecord, row } from './fields.js';
import { inferValue, isObject } from './json.js';
import { DecodeProblem, expected } from './problem.js';
import { createSchemaCache, type SchemaCache, type Unwrapped } from './schema-cache.js';

/** One Kafka record as a consumer hands it over (kafkajs: offset is a string). */
export interface KafkaMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string | number | bigint;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
}

export interface DecodeOptions {
  /** Debezium's `topic.heartbeat.prefix` (default `__debezium-heartbeat`). */
  readonly heartbeatTopicPrefix?: string;
}

function decodeDoc(u: Unwrapped): CdcValue {
  return u.decode ? u.decode(u.payload, u.path) : inferValue(u.payload);
}

function keyOf(cache: SchemaCache, key: Buffer | string | null, topic: string): Row | null {
  const u = cache.read(key, 'key', topic);
  return u === null ? null : row(decodeDoc(u), u.path);
}

function schemaName(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.name === 'string' ? schema.name : undefined;
}

function decode(cache: SchemaCache, msg: KafkaMessage, position: Position, options: DecodeOptions): DecodedMessage {
  const u = cache.read(msg.value, 'value', msg.topic) ?? { schema: null, payload: null, path: 'value', decode: null };
  const name = schemaName(u.schema);
  const prefix = options.heartbeatTopicPrefix ?? HEARTBEAT_TOPIC_PREFIX;
  if (isHeartbeat(msg.topic, name, prefix)) {
    const decoded = u.payload === null ? null : decodeDoc(u);
    return heartbeat(isRecord(decoded) ? decoded : null, u.path, position);
  }
  const key = keyOf(cache, msg.key, msg.topic);
  if (u.payload === null) return { kind: 'tombstone', key, position };
  if (!isObject(u.payload)) expected(u.path, 'a Debezium envelope (JSON object)', u.payload, CdcErrorCode.DECODE);
  const decoded = decodeDoc(u);
  if (!isRecord(decoded)) return expected(u.path, 'a JSON object', decoded, CdcErrorCode.DECODE);
  if ('op' in decoded) return { kind: 'change', event: changeEvent(decoded, u.path, key, position, msg.topic) };
  if (isTransaction(decoded, name)) return transaction(decoded, u.path, position);
  if (isSchemaChange(decoded, name)) return schemaChange(decoded, u.path, position);
  throw new DecodeProblem(
    CdcErrorCode.DECODE,
    u.path,
    `expected a Debezium message: a change event {before, after, source, op}, a transaction BEGIN/END {status, id}, a schema change {ddl, tableChanges} or a heartbeat; got an object with ${Object.keys(decoded).slice(0, 8).join(', ') || 'no fields'}`,
  );
}

/** Where a message is, for error messages: `topic "t" partition 0 offset 42`. */
export function describePosition(position: Position): string {
  return position.kind === 'kafka' ? `topic "${position.topic}" partition ${position.partition} offset ${position.offset}` : `lsn ${position.lsn}`;
}

export interface MessageDecoder {
  /** Decodes one Kafka message; throws CdcDecodeError when it cannot. */
  decode(msg: KafkaMessage): DecodedMessage;
}

/**
 * A decoder for a stream of messages: it compiles each distinct schema once and, for messages
 * laid out as JsonConverter writes them, parses only the payload (schema-cache.ts). One per
 * consumer; the result is the same as decodeMessage's.
 */
export function createMessageDecoder(options: DecodeOptions = {}): MessageDecoder {
  const cache = createSchemaCache();
  return {
    decode(msg) {
      const position: Position = { kind: 'kafka', topic: msg.topic, partition: msg.partition, offset: String(msg.offset) };
      try {
        return decode(cache, msg, position, options);
      } catch (err) {
        if (err instanceof DecodeProblem)
          throw new CdcDecodeError(err.code, `cannot decode the message at ${describePosition(position)}: at ${err.path}: ${err.reason}`, position, err.path);
        throw err;
      }
    },
  };
}

/** Decodes one Kafka message; throws CdcDecodeError when it cannot. For a stream, createMessageDecoder is faster. */
export function decodeMessage(msg: KafkaMessage, options: DecodeOptions = {}): DecodedMessage {
  return createMessageDecoder(options).decode(msg);
}

/** Decodes a message key alone (`{schema, payload}` or bare) into its columns; null for no key. */
export function decodeKey(key: Buffer | string | null, position: Position = { kind: 'kafka', topic: '', partition: 0, offset: '0' }): Row | null {
  try {
    return keyOf(createSchemaCache(), key, position.kind === 'kafka' ? position.topic : '');
  } catch (err) {
    if (err instanceof DecodeProblem)
      throw new CdcDecodeError(err.code, `cannot decode the key at ${describePosition(position)}: at ${err.path}: ${err.reason}`, position, err.path);
    throw err;
  }
}
