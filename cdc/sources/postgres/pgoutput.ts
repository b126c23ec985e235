/**
 * A parser for pgoutput, Postgres's built-in logical decoding output plugin, protocol version 1
 * (PostgreSQL docs, "Logical Replication Message Formats"): Begin, Commit, Origin, Relation,
 * Type, Insert, Update, Delete, Truncate and Message. Row images are not decoded here: a Tuple
 * points into the received buffer, and tuples.ts decodes it straight into a row object (text
 * values by type OID, pgoutput-values.ts; 'n' SQL NULL; 'u' an unchanged TOASTed value, which
 * becomes UNAVAILABLE) — one pass, no intermediate strings for numbers.
 *
 * The connection reuses its buffer: decode a message's tuples before the next message arrives.
 * Everything else the parser keeps is copied out.
 */
import { UNAVAILABLE } from '../../model.js';
import { pgSourceError, PgSourceErrorCode } from './errors.js';
import { readLsn, readPgTimeMs } from './protocol.js';

export type TupleValue = string | null | typeof UNAVAILABLE;

/** A row image still in the received buffer, at `offset` (its Int16 column count). */
export interface Tuple {
  readonly buf: Buffer;
  readonly offset: number;
}

export interface RelationColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typmod: number;
  /** Part of the replica identity (with REPLICA IDENTITY FULL: every column). */
  readonly key: boolean;
}

export type PgoutputMessage =
  | { readonly tag: 'begin'; readonly finalLsn: string; readonly commitTimeMs: number; readonly xid: number }
  | { readonly tag: 'commit'; readonly commitLsn: string; readonly endLsn: string; readonly commitTimeMs: number }
  | { readonly tag: 'origin'; readonly lsn: string; readonly name: string }
  | {
      readonly tag: 'relation';
      readonly oid: number;
      readonly schema: string;
      readonly name: string;
      /** d default, n nothing, f full, i index. */
      readonly replicaIdentity: string;
      readonly columns: readonly RelationColumn[];
    }
  | { readonly tag: 'type'; readonly oid: number; readonly schema: string; readonly name: string }
  | { readonly tag: 'insert'; readonly relation: number; readonly after: Tuple }
  | {
      readonly tag: 'update';
      readonly relation: number;
      /** K: the old key (the key changed), O: the whole old row (REPLICA IDENTITY FULL), null: neither sent. */
      readonly oldKind: 'K' | 'O' | null;
      readonly before: Tuple | null;
      readonly after: Tuple;
    }
  | { readonly tag: 'delete'; readonly relation: number; readonly oldKind: 'K' | 'O'; readonly before: Tuple }
  | { readonly tag: 'truncate'; readonly relations: readonly number[]; readonly cascade: boolean; readonly restartIdentity: boolean }
  | { readonly tag: 'message'; readonly transactional: boolean; readonly lsn: string; readonly prefix: string; readonly content: Buffer };

export type Utf8Buffer = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

class Reader {
  constructor(
    readonly buf: Buffer,
    public offset: number,
  ) {}

  byte(): number {
    const b = this.buf[this.offset];
    if (b === undefined) throw protocolError('the message ends early');
    this.offset += 1;
    return b;
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  uint32(): number {
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  lsn(): string {
    const v = readLsn(this.buf, this.offset);
    this.offset += 8;
    return v;
  }
  timeMs(): number {
    const v = readPgTimeMs(this.buf, this.offset);
    this.offset += 8;
    return v;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) throw protocolError('a string is not terminated');
    const s = this.buf.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return s;
  }
  bytes(n: number): Buffer {
    const b = Buffer.from(this.buf.subarray(this.offset, this.offset + n));
    this.offset += n;
    return b;
  }
}

function protocolError(reason: string): Error {
  return pgSourceError(PgSourceErrorCode.PROTOCOL, `unexpected pgoutput message: ${reason}`);
}

/** Skips over a tuple, checking its framing; returns where it starts. */
function tuple(r: Reader): Tuple {
  const start = r.offset;
  const buf = r.buf;
  const n = buf.readInt16BE(start);
  let o = start + 2;
  for (let i = 0; i < n; i++) {
    const kind = buf[o++];
    if (kind === 0x74 /* t */ || kind === 0x62 /* b */) o += 4 + buf.readInt32BE(o);
    else if (kind !== 0x6e /* n */ && kind !== 0x75 /* u */) {
      throw protocolError(`column ${i} has kind ${kind === undefined ? 'none (the message ends early)' : String.fromCharCode(kind)}`);
    }
  }
  if (o > buf.length) throw protocolError('a row image ends early');
  r.offset = o;
  return { buf, offset: start };
}

/** A tuple's values as text (null for NULL, UNAVAILABLE for an unchanged TOASTed value). */
export function tupleValues(t: Tuple): TupleValue[] {
  const buf = t.buf as Utf8Buffer;
  const n = buf.readInt16BE(t.offset);
  const out = new Array<TupleValue>(n);
  let o = t.offset + 2;
  for (let i = 0; i < n; i++) {
    const kind = buf[o++];
    if (kind === 0x74 || kind === 0x62) {
      const len = buf.readInt32BE(o);
      o += 4;
      out[i] = buf.utf8Slice(o, o + len);
      o += len;
    } else out[i] = kind === 0x75 ? UNAVAILABLE : null;
  }
  return out;
}

function relation(r: Reader): PgoutputMessage {
  const oid = r.uint32();
  const schema = r.cstring();
  const name = r.cstring();
  const replicaIdentity = String.fromCharCode(r.byte());
  const count = r.int16();
  const columns: RelationColumn[] = [];
  for (let i = 0; i < count; i++) {
    const flags = r.byte();
    columns.push({ name: r.cstring(), typeOid: r.uint32(), typmod: r.int32(), key: (flags & 1) === 1 });
  }
  return { tag: 'relation', oid, schema, name, replicaIdentity, columns };
}

function update(r: Reader): PgoutputMessage {
  const rel = r.uint32();
  let kind = String.fromCharCode(r.byte());
  let before: Tuple | null = null;
  let oldKind: 'K' | 'O' | null = null;
  if (kind === 'K' || kind === 'O') {
    oldKind = kind;
    before = tuple(r);
    kind = String.fromCharCode(r.byte());
  }
  if (kind !== 'N') throw protocolError(`an update's new row is marked ${kind}, not N`);
  return { tag: 'update', relation: rel, oldKind, before, after: tuple(r) };
}

/** Parses one pgoutput message (the payload of an XLogData message, from `offset`); throws CDC_PG_PROTOCOL. */
export function parsePgoutput(buf: Buffer, offset = 0): PgoutputMessage {
  try {
    return parse(new Reader(buf, offset));
  } catch (err) {
    if (err instanceof RangeError) throw protocolError(`the message ends early (${err.message})`);
    throw err;
  }
}

function parse(r: Reader): PgoutputMessage {
  const tag = r.byte();
  switch (tag) {
    case 0x42 /* B */:
      return { tag: 'begin', finalLsn: r.lsn(), commitTimeMs: r.timeMs(), xid: r.uint32() };
    case 0x43 /* C */: {
      r.byte(); // flags, unused
      return { tag: 'commit', commitLsn: r.lsn(), endLsn: r.lsn(), commitTimeMs: r.timeMs() };
    }
    case 0x4f /* O */:
      return { tag: 'origin', lsn: r.lsn(), name: r.cstring() };
    case 0x52 /* R */:
      return relation(r);
    case 0x59 /* Y */:
      return { tag: 'type', oid: r.uint32(), schema: r.cstring(), name: r.cstring() };
    case 0x49 /* I */: {
      const rel = r.uint32();
      const n = String.fromCharCode(r.byte());
      if (n !== 'N') throw protocolError(`an insert's row is marked ${n}, not N`);
      return { tag: 'insert', relation: rel, after: tuple(r) };
    }
    case 0x55 /* U */:
      return update(r);
    case 0x44 /* D */: {
      const rel = r.uint32();
      const kind = String.fromCharCode(r.byte());
      if (kind !== 'K' && kind !== 'O') throw protocolError(`a delete's old row is marked ${kind}, not K or O`);
      return { tag: 'delete', relation: rel, oldKind: kind, before: tuple(r) };
    }
    case 0x54 /* T */: {
      const count = r.int32();
      const options = r.byte();
      const relations: number[] = [];
      for (let i = 0; i < count; i++) relations.push(r.uint32());
      return { tag: 'truncate', relations, cascade: (options & 1) === 1, restartIdentity: (options & 2) === 2 };
    }
    case 0x4d /* M */: {
      const flags = r.byte();
      const lsn = r.lsn();
      const prefix = r.cstring();
      return { tag: 'message', transactional: (flags & 1) === 1, lsn, prefix, content: r.bytes(r.int32()) };
    }
    default:
      throw protocolError(`tag ${tag === undefined ? 'none (empty message)' : JSON.stringify(String.fromCharCode(tag))} is not one of B C O R Y I U D T M`);
  }
}
