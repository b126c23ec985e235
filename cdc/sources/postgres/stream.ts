/**
 * One replication session: `START_REPLICATION SLOT … LOGICAL <lsn> (proto_version '1',
 * publication_names '…')` on a replication connection, then the CopyBoth stream. XLogData is
 * parsed (pgoutput.ts) and turned into events (changes.ts) synchronously, in order; a burst's
 * events are handed over at once after it (delivery.ts). When the backlog is full the socket is
 * paused, which is how the server learns to wait (TCP backpressure). Reads are coalesced
 * (coalesce.ts): after one that found little the socket waits `readCoalesceMs`.
 *
 * Acknowledgement: the standby status update reports as flushed only what the sink committed
 * (`committed()`), every `statusIntervalMs`, when the server asks, and at stop. When everything
 * received is committed and no transaction is open, a keepalive's WAL end counts as flushed
 * too, so a slot whose tables are quiet does not hold the WAL of the rest of the database.
 */
import type { Socket } from 'node:net';
import type pg from 'pg';
import type { Logger } from '../../../core/index.js';
import type { ChangeBuilder } from './changes.js';
import { coalesceReads } from './coalesce.js';
import type { Delivery } from './delivery.js';
import { pgSourceError, PgSourceErrorCode } from './errors.js';
import { parsePgoutput } from './pgoutput.js';
import { KEEPALIVE, lsnNumber, lsnText, readLsnNumber, standbyStatus, XLOG_DATA, XLOG_PAYLOAD_OFFSET } from './protocol.js';

export interface StreamOptions {
  readonly client: pg.Client;
  readonly slot: string;
  readonly publication: string;
  readonly startLsn: string;
  readonly builder: ChangeBuilder;
  readonly delivery: Delivery;
  readonly statusIntervalMs: number;
  /** After a read that found little, wait this long before the next (coalesce.ts); 0: read at once. */
  readonly readCoalesceMs: number;
  /** The flush LSN the sink has committed (end of the last fully applied transaction). */
  readonly committed: () => string;
  readonly logger: Logger;
}

export interface ReplicationStream {
  /** Settles when the stream ends: with null after stop(), with the error otherwise. */
  readonly ended: Promise<Error | null>;
  /** Sends a status update now. */
  sendStatus(replyRequested?: boolean): void;
  /** Stops taking messages in (what arrives is dropped, the server resends it next time). */
  halt(): void;
  /** Stops reading, reports the committed position, closes the connection. */
  stop(): Promise<void>;
}

interface Wire {
  stream: Socket;
  on(event: 'copyData', fn: (msg: { chunk: Buffer }) => void): void;
  once(event: 'replicationStart', fn: () => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
}

/** Starts streaming; resolves once the server switched to CopyBoth, rejects when it refused. */
export async function startStream(o: StreamOptions): Promise<ReplicationStream> {
  const { client, builder, delivery } = o;
  const wire = (client as unknown as { connection: Wire }).connection;
  let received = lsnNumber(o.startLsn);
  let idleFlushed = 0;
  let stopping = false;
  let halted = false;
  let paused = false;
  let flushQueued = false;
  let failure: Error | null = null;

  const flushed = (): string => lsnText(Math.max(lsnNumber(o.committed()), idleFlushed));
  const sendStatus = (reply = false): void => {
    try {
      wire.sendCopyFromChunk(standbyStatus(lsnText(received), flushed(), Date.now(), reply));
    } catch (err) {
      o.logger.debug({ err: (err as Error).message }, 'status update not sent');
    }
  };

  function afterBurst(): void {
    flushQueued = false;
    delivery.flush();
  }

  function backpressure(): void {
    if (paused || !delivery.full) return;
    paused = true;
    wire.stream.pause();
    void delivery.whenRoom().then(() => {
      paused = false;
      if (!halted) wire.stream.resume();
    });
  }

  function onCopyData({ chunk }: { chunk: Buffer }): void {
    if (halted || failure) return;
    const tag = chunk[0];
    try {
      if (tag === XLOG_DATA) {
        const dataStart = readLsnNumber(chunk, 1);
        const walEnd = readLsnNumber(chunk, 9);
        builder.handle(parsePgoutput(chunk, XLOG_PAYLOAD_OFFSET));
        const at = walEnd === 0 ? dataStart : walEnd;
        if (at > received) received = at;
      } else if (tag === KEEPALIVE) {
        const walEnd = readLsnNumber(chunk, 1);
        if (walEnd > received) received = walEnd;
        if (!builder.inTransaction && delivery.backlog === 0 && walEnd > idleFlushed) idleFlushed = walEnd;
        if (chunk[17] === 1) sendStatus();
        return;
      } else return;
    } catch (err) {
      failure = pgSourceError(PgSourceErrorCode.PROTOCOL, `the replication stream of slot ${o.slot} cannot be decoded: ${(err as Error).message}`, {
        cause: err,
      });
      client.end().catch(() => undefined);
      return;
    }
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(afterBurst);
    }
    backpressure();
  }

  wire.on('copyData', onCopyData);
  const coalescer = coalesceReads(wire.stream, o.readCoalesceMs, () => paused);
  const options = `proto_version '1', publication_names '${o.publication}'`;
  const started = new Promise<void>((resolve) => wire.once('replicationStart', resolve));
  const query = client.query(`START_REPLICATION SLOT "${o.slot}" LOGICAL ${o.startLsn} (${options})`);
  const ended = new Promise<Error | null>((resolve) => {
    const done = (err: Error | null): void =>
      resolve(
        stopping
          ? null
          : (failure ?? err ?? pgSourceError(PgSourceErrorCode.CONNECT, `the server ended the replication stream of slot ${o.slot}`, { retriable: true })),
      );
    query.then(
      () => done(null),
      (err: Error) => done(err),
    );
    client.once('error', (err: Error) => done(err));
    client.once('end', () => done(null));
  });
  const first = await Promise.race([
    started.then(() => null),
    query.then(
      () => new Error('the server ended the stream at once'),
      (err: Error) => err,
    ),
  ]);
  if (first) throw first;
  const timer = setInterval(() => sendStatus(), o.statusIntervalMs);
  timer.unref();
  o.logger.info({ slot: o.slot, from: o.startLsn }, 'streaming');

  return {
    ended,
    sendStatus,
    halt() {
      halted = true;
    },
    async stop() {
      clearInterval(timer);
      if (stopping) return;
      halted = true;
      sendStatus();
      stopping = true;
      coalescer.stop();
      if (paused) wire.stream.resume();
      await client.end().catch(() => undefined);
    },
  };
}
