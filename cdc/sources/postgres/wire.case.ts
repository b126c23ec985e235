/**
 * Test fixtures: pgoutput messages and replication CopyData frames built byte by byte as the
 * server sends them (PostgreSQL docs, "Logical Replication Message Formats"), for the parser,
 * tuple and change-builder tests. Not part of the build (`*.case.ts`).
 */
const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
const u8 = (n: number): Buffer => Buffer.from([n]);
const ch = (c: string): Buffer => Buffer.from(c, 'latin1');
function i16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}
function i32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
function lsn(text: string): Buffer {
  const [hi = '0', lo = '0'] = text.split('/');
  return Buffer.concat([u32(parseInt(hi, 16)), u32(parseInt(lo, 16))]);
}
/** ms since the epoch → µs since 2000-01-01 as int64. */
function pgTime(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(ms - 946_684_800_000) * 1000n);
  return b;
}

/** A column value: text, null (n) or an unchanged TOASTed value (u). */
export type WireValue = string | null | 'UNCHANGED';

export function tuple(values: readonly WireValue[]): Buffer {
  return Buffer.concat([
    i16(values.length),
    ...values.map((v) => {
      if (v === null) return ch('n');
      if (v === 'UNCHANGED') return ch('u');
      const b = Buffer.from(v, 'utf8');
      return Buffer.concat([ch('t'), i32(b.length), b]);
    }),
  ]);
}

export const wire = {
  begin: (finalLsn: string, xid: number, commitMs = 1_700_000_000_000): Buffer => Buffer.concat([ch('B'), lsn(finalLsn), pgTime(commitMs), u32(xid)]),
  commit: (commitLsn: string, endLsn: string, commitMs = 1_700_000_000_000): Buffer =>
    Buffer.concat([ch('C'), u8(0), lsn(commitLsn), lsn(endLsn), pgTime(commitMs)]),
  origin: (name: string, at = '0/1'): Buffer => Buffer.concat([ch('O'), lsn(at), cstr(name)]),
  relation: (oid: number, schema: string, name: string, columns: readonly { name: string; type: number; key?: boolean }[], identity = 'd'): Buffer =>
    Buffer.concat([
      ch('R'),
      u32(oid),
      cstr(schema),
      cstr(name),
      ch(identity),
      i16(columns.length),
      ...columns.map((c) => Buffer.concat([u8(c.key ? 1 : 0), cstr(c.name), u32(c.type), i32(-1)])),
    ]),
  type: (oid: number, schema: string, name: string): Buffer => Buffer.concat([ch('Y'), u32(oid), cstr(schema), cstr(name)]),
  insert: (rel: number, values: readonly WireValue[]): Buffer => Buffer.concat([ch('I'), u32(rel), ch('N'), tuple(values)]),
  update: (rel: number, values: readonly WireValue[], old?: { kind: 'K' | 'O'; values: readonly WireValue[] }): Buffer =>
    Buffer.concat([ch('U'), u32(rel), ...(old ? [ch(old.kind), tuple(old.values)] : []), ch('N'), tuple(values)]),
  delete: (rel: number, kind: 'K' | 'O', values: readonly WireValue[]): Buffer => Buffer.concat([ch('D'), u32(rel), ch(kind), tuple(values)]),
  truncate: (rels: readonly number[], options = 0): Buffer => Buffer.concat([ch('T'), i32(rels.length), u8(options), ...rels.map(u32)]),
  message: (prefix: string, content: string, transactional = true, at = '0/5'): Buffer =>
    Buffer.concat([ch('M'), u8(transactional ? 1 : 0), lsn(at), cstr(prefix), i32(Buffer.byteLength(content)), Buffer.from(content)]),
};

/** An XLogData CopyData frame around a pgoutput message. */
export function xlogData(payload: Buffer, dataStart = '0/10', walEnd = '0/20'): Buffer {
  return Buffer.concat([ch('w'), lsn(dataStart), lsn(walEnd), Buffer.alloc(8), payload]);
}

export function keepalive(walEnd: string, replyRequested = false): Buffer {
  return Buffer.concat([ch('k'), lsn(walEnd), Buffer.alloc(8), u8(replyRequested ? 1 : 0)]);
}
