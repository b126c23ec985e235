/**
 * What a value decoder throws when its input does not fit: the field path, what was expected
 * and what came. `decodeMessage` turns it into a CdcDecodeError naming the message's position,
 * so the decoders themselves know nothing of Kafka.
 */
import { isLosslessNumber } from 'lossless-json';
import { CdcErrorCode, type CdcDecodeErrorCode } from '../errors.js';

export class DecodeProblem extends Error {
  constructor(
    readonly code: CdcDecodeErrorCode,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`at ${path}: ${reason}`);
    this.name = 'DecodeProblem';
  }
}

/** A short, bounded rendering of a parsed JSON value for error messages. */
export function show(value: unknown): string {
  let text: string;
  if (value === undefined) return 'nothing';
  if (isLosslessNumber(value)) text = value.toString();
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (isLosslessNumber(v) ? Number(v.toString()) : v)) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Throws a DecodeProblem saying what `path` should have been. */
export function expected(path: string, what: string, got: unknown, code: CdcDecodeErrorCode = CdcErrorCode.DECODE_VALUE): never {
  throw new DecodeProblem(code, path, `expected ${what}, got ${show(got)}`);
}
