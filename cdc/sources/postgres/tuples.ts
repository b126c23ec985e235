/**
 * Decoding a pgoutput row image (a Tuple in the received buffer) straight into a row object:
 * per column its text goes through the column type's decoder (pgoutput-values.ts), except for
 * the commonest types, read from the bytes without making a string first — smallint, integer,
 * oid (digits to a number), bigint up to 15 digits, boolean, and timestamps in the usual
 * `YYYY-MM-DD HH:MM:SS.ffffff[+00]` shape (re-cut into ISO text). Types whose text is always
 * ASCII (numbers, dates, times, uuid, …) are read as Latin-1, which skips UTF-8 validation. SQL
 * NULL is null, an unchanged TOASTed value is UNAVAILABLE.
 */
import { UNAVAILABLE, type CdcValue } from '../../model.js';
import type { Tuple, Utf8Buffer } from './pgoutput.js';
import type { TextDecoder } from './pgoutput-values.js';

/**
 * How a column is read: 0 by its text decoder (UTF-8), 1 as a small integer, 2 as a bigint,
 * 3 as a boolean, 4 timestamptz, 5 timestamp, 6 by its text decoder from ASCII text.
 */
export type FastKind = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const FAST: ReadonlyMap<number, FastKind> = new Map<number, FastKind>([
  [21, 1], // int2
  [23, 1], // int4
  [26, 1], // oid
  [20, 2], // int8
  [16, 3], // bool
  [1184, 4], // timestamptz
  [1114, 5], // timestamp
  ...[700, 701, 1700, 790, 1082, 1083, 1266, 1186, 2950, 869, 650, 829].map((oid): [number, FastKind] => [oid, 6]),
]);

export function fastKind(typeOid: number): FastKind {
  return FAST.get(typeOid) ?? 0;
}

/** Digits (with an optional minus) at buf[o, end) as a number. */
function digits(buf: Buffer, o: number, end: number): number {
  let neg = false;
  if (buf[o] === 45) {
    neg = true;
    o++;
  }
  let v = 0;
  for (; o < end; o++) v = v * 10 + ((buf[o] as number) - 48);
  return neg ? -v : v;
}

export interface TupleShape {
  readonly names: readonly string[];
  readonly decoders: readonly TextDecoder[];
  readonly fast: readonly FastKind[];
}

/** The row a tuple holds; columns beyond the relation's are ignored. */
export function decodeTuple(t: Tuple, shape: TupleShape): Record<string, CdcValue> {
  const buf = t.buf as Utf8Buffer;
  const { names, decoders, fast } = shape;
  const n = Math.min(buf.readInt16BE(t.offset), names.length);
  const out: Record<string, CdcValue> = {};
  let o = t.offset + 2;
  for (let i = 0; i < n; i++) {
    const kind = buf[o++];
    const name = names[i] as string;
    if (kind === 0x74 || kind === 0x62) {
      const len = buf.readInt32BE(o);
      o += 4;
      const end = o + len;
      const f = fast[i];
      if (f === 1 || (f === 2 && len <= 15)) out[name] = digits(buf, o, end);
      else if (f === 3)
        out[name] = buf[o] === 116; // 't'
      else if (f === 4 && len === 29 && buf[o + 10] === 32 && buf[o + 26] === 43 && buf[o + 27] === 48 && buf[o + 28] === 48) {
        out[name] = `${buf.latin1Slice(o, o + 10)}T${buf.latin1Slice(o + 11, o + 26)}Z`; // …+00, 6 fraction digits
      } else if (f === 5 && len === 26 && buf[o + 10] === 32 && buf[o + 19] === 46 && (buf[end - 1] as number) <= 57)
        out[name] = `${buf.latin1Slice(o, o + 10)}T${buf.latin1Slice(o + 11, end)}`;
      else if (f !== 0 && f !== 2) out[name] = (decoders[i] as TextDecoder)(buf.latin1Slice(o, end));
      else out[name] = (decoders[i] as TextDecoder)(buf.utf8Slice(o, end));
      o = end;
    } else out[name] = kind === 0x75 ? UNAVAILABLE : null;
  }
  return out;
}
