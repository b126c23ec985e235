/**
 * CDC error codes and the decode error. Every CDC error is a FicusError with a `CDC_` code that
 * tests assert on and a `retriable` flag the pipeline's retry loop reads (kafkajs style): a
 * message that cannot be decoded never becomes decodable by retrying, so decode errors are not
 * retriable and the pipeline dead-letters the message with the error's message as the reason.
 */
import { FicusError } from '../core/index.js';
import type { Position } from './model.js';

export const CdcErrorCode = {
  /** A message that is none of: change event, tombstone, transaction BEGIN/END, heartbeat, schema change. */
  DECODE: 'CDC_DECODE',
  /** The key or value bytes are not JSON text. */
  DECODE_JSON: 'CDC_DECODE_JSON',
  /** The Debezium envelope is malformed: bad or missing `op`, `before`/`after` not rows, bad `source` or `transaction`. */
  DECODE_ENVELOPE: 'CDC_DECODE_ENVELOPE',
  /** The Kafka Connect schema sent with the message is malformed or names a type that does not exist. */
  DECODE_SCHEMA: 'CDC_DECODE_SCHEMA',
  /** A value does not match its field schema (e.g. a Decimal that is not base64, an int32 that is text). */
  DECODE_VALUE: 'CDC_DECODE_VALUE',
} as const;

export type CdcDecodeErrorCode = (typeof CdcErrorCode)[keyof typeof CdcErrorCode];

/** A message that cannot be decoded: names the message's position and the field path. */
export class CdcDecodeError extends FicusError {
  constructor(
    code: CdcDecodeErrorCode,
    message: string,
    readonly position: Position,
    /** Where in the message, e.g. `value.payload.after.price`. */
    readonly path: string,
    cause?: unknown,
  ) {
    super(code, message, {
      retriable: false,
      cause,
      details:
        position.kind === 'kafka' ? { topic: position.topic, partition: position.partition, offset: position.offset, path } : { lsn: position.lsn, path },
    });
    this.name = 'CdcDecodeError';
  }
}
