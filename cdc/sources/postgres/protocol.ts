/**
 * The streaming replication protocol around logical decoding output (PostgreSQL docs,
 * "Streaming Replication Protocol", CopyBoth sub-protocol): the server's XLogData ('w') and
 * primary keepalive ('k') messages, and our standby status update ('r') that reports the
 * flushed LSN — the position up to which the slot may release WAL.
 *
 * LSNs travel as two uint32 halves and are kept as `%X/%X` text (as Postgres prints them);
 * timestamps are µs since 2000-01-01.
 */
import { lsnToBigInt } from '../../offsets/position.js';

/** ms between 1970-01-01 and 2000-01-01. */
const PG_EPOCH_MS = 946_684_800_000;

export function readLsn(buf: Buffer, offset: number): string {
  return `${buf.readUInt32BE(offset).toString(16).toUpperCase()}/${buf
    .readUInt32BE(offset + 4)
    .toString(16)
    .toUpperCase()}`;
}

/** An LSN as a number (exact below 2^53 bytes of WAL, i.e. 8 PiB): cheap to compare on the hot path. */
export function readLsnNumber(buf: Buffer, offset: number): number {
  return buf.readUInt32BE(offset) * 4_294_967_296 + buf.readUInt32BE(offset + 4);
}

let hiCache = -1;
let hiText = '';

export function lsnText(n: number): string {
  const hi = Math.floor(n / 4_294_967_296);
  if (hi !== hiCache) {
    hiCache = hi;
    hiText = `${hi.toString(16).toUpperCase()}/`;
  }
  return hiText + (n - hi * 4_294_967_296).toString(16).toUpperCase();
}

export function lsnNumber(lsn: string): number {
  const slash = lsn.indexOf('/');
  return parseInt(lsn.slice(0, slash), 16) * 4_294_967_296 + parseInt(lsn.slice(slash + 1), 16);
}

/** A Postgres timestamp (µs since 2000-01-01, int64) → ms since the epoch. */
export function readPgTimeMs(buf: Buffer, offset: number): number {
  const us = buf.readUInt32BE(offset) * 4_294_967_296 + buf.readUInt32BE(offset + 4);
  const signed = buf.readInt32BE(offset) < 0 ? us - 2 ** 64 : us;
  return Math.floor(signed / 1000) + PG_EPOCH_MS;
}

/** Tags of the CopyData messages the server sends. */
export const XLOG_DATA = 0x77; // w: XLogData — dataStart, walEnd (Int64 each), send time, then the plugin's message (from byte 25)
export const KEEPALIVE = 0x6b; // k: primary keepalive — walEnd, send time, reply requested (byte 17)
export const XLOG_PAYLOAD_OFFSET = 25;

function writeLsn(buf: Buffer, offset: number, lsn: string): void {
  const n = lsnToBigInt(lsn);
  buf.writeUInt32BE(Number(n >> 32n), offset);
  buf.writeUInt32BE(Number(n & 0xffffffffn), offset + 4);
}

/**
 * Standby status update: `written` is what was received, `flushed` what the sink committed (the
 * slot's confirmed_flush_lsn becomes it). Applied is reported as flushed.
 */
export function standbyStatus(written: string, flushed: string, nowMs: number, replyRequested = false): Buffer {
  const buf = Buffer.alloc(34);
  buf[0] = 0x72; // r
  writeLsn(buf, 1, written);
  writeLsn(buf, 9, flushed);
  writeLsn(buf, 17, flushed);
  const us = BigInt(nowMs - PG_EPOCH_MS) * 1000n;
  buf.writeBigInt64BE(us, 25);
  buf[33] = replyRequested ? 1 : 0;
  return buf;
}
