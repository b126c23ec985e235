/**
 * The built-in Postgres source: logical replication with pgoutput, no Kafka. On start it
 * checks the server (wal_level), resolves the tables, creates or extends the publication and,
 * when missing, the slot — with an exported snapshot that the initial snapshot reads (op 'r',
 * snapshot.ts) before streaming starts from the slot's consistent point (stream.ts). Events go
 * to the pipeline already decoded (DecodedBatch); their positions come back from the sink
 * (`positions()`), which commits them with the rows, and the stream resumes from there:
 * restarts neither lose nor repeat changes. The slot is told only what the sink committed.
 *
 * Failures: a lost connection is retried with backoff (resuming from what was handed over);
 * a slot still held by a process that is going away is waited for; what retrying cannot fix is
 * reported through `events.fail`, which stops the pipeline.
 *
 * @example
 *   const source = createPostgresSource({ ...config.source.postgres, tables, positions: () => sink.lastPositions(), logger });
 *   const pipeline = createPipeline({ config, sink, source, logger });
 *   await pipeline.start();
 */
import type pg from 'pg';
import { childLogger, FicusError, silentLogger, type Logger } from '../../../core/index.js';
import type { DecodedMessage, Position, PostgresPosition } from '../../model.js';
import { positionKey } from '../../offsets/position.js';
import type { Source, SourceHandler } from '../types.js';
import { describeTables, ensurePublication, loadTypes, type SourceTable } from './catalog.js';
import { createChangeBuilder, type ChangeBuilder } from './changes.js';
import { databaseOf, openQueryConnection, openReplicationConnection } from './connection.js';
import { createDelivery, type Delivery } from './delivery.js';
import { isTransient, pgSourceError, PgSourceErrorCode, sqlState } from './errors.js';
import type { TypeInfo } from './pgoutput-values.js';
import { checkSlot, createSlot, slotInfo } from './slot.js';
import { runSnapshot, snapshotReset, type SnapshotProgress, type SnapshotTable } from './snapshot.js';
import { startStream, type ReplicationStream } from './stream.js';

export interface PostgresSourceOptions {
  readonly url: string;
  readonly publication: string;
  readonly slot: string;
  /** Source tables, `schema.table` (or `table`, resolved by search_path). */
  readonly tables: readonly string[];
  readonly snapshot?: 'initial' | 'never';
  readonly snapshotChunkRows?: number;
  /** events' `source.db` (default: the URL's database). */
  readonly serverName?: string;
  readonly statusIntervalMs?: number;
  /** Wait after a read that found little before reading again (default 1 ms; 0: never). */
  readonly readCoalesceMs?: number;
  /** Replication origins whose transactions are not captured (changes ficus itself applied). */
  readonly skipOrigins?: readonly string[];
  /** The positions the sink stored, read at start and before each reconnect. */
  readonly positions: () => Promise<ReadonlyMap<string, Position>>;
  readonly logger?: Logger;
  readonly onSnapshotProgress?: (p: SnapshotProgress) => void;
  /** Messages per handed-over batch (default 2000) and at most waiting or in flight (default 20000). */
  readonly batchSize?: number;
  readonly maxBacklog?: number;
  /** Reconnect attempts after a lost connection before the pipeline is stopped (default 10). */
  readonly reconnects?: number;
}

const SLOT_NAME = /^[a-z0-9_]{1,63}$/;

function validate(o: PostgresSourceOptions): void {
  const bad = (m: string): never => {
    throw pgSourceError(PgSourceErrorCode.OPTIONS, m);
  };
  if (!/^postgres(ql)?:\/\//.test(o.url)) bad(`the Postgres source needs a postgres:// url, got "${o.url.slice(0, 20)}"`);
  if (!SLOT_NAME.test(o.slot)) bad(`slot "${o.slot}" is not a valid slot name (lower-case letters, digits, _; at most 63)`);
  if (!SLOT_NAME.test(o.publication)) bad(`publication "${o.publication}" is not a valid name (lower-case letters, digits, _; at most 63)`);
  if (o.tables.length === 0) bad('the Postgres source needs at least one table (source.postgres.tables or tables[].from)');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createPostgresSource(options: PostgresSourceOptions): Source {
  validate(options);
  const log = childLogger(options.logger ?? silentLogger(), { part: 'cdc', component: 'source.postgres', slot: options.slot });
  const slot = options.slot;
  const db = options.serverName ?? databaseOf(options.url);
  const streamKey = positionKey({ kind: 'postgres', slot, lsn: '0/0' });
  let stopping = false;
  let started = false;
  let query: pg.Client | undefined;
  let replication: pg.Client | undefined;
  let stream: ReplicationStream | undefined;
  let delivery: Delivery | undefined;
  let running: Promise<void> | undefined;
  /** End of the last transaction the sink committed completely: what the slot may release. */
  let committedLsn = '0/0';

  function onCommitted(p: Position): void {
    if (p.kind === 'postgres' && p.endLsn !== undefined && p.seq === undefined && !p.snapshot) committedLsn = p.endLsn;
  }

  async function prepare(): Promise<{ tables: SourceTable[]; types: Map<number, TypeInfo> }> {
    const c = (query = await openQueryConnection(options.url));
    const wal = await c.query<{ wal_level: string }>('SHOW wal_level');
    if (wal.rows[0]?.wal_level !== 'logical') {
      throw pgSourceError(
        PgSourceErrorCode.SERVER,
        `the source server has wal_level = ${wal.rows[0]?.wal_level ?? '?'}; logical replication needs wal_level = logical (ALTER SYSTEM SET wal_level = logical, then restart Postgres)`,
      );
    }
    const tables = await describeTables(c, options.tables, databaseOf(options.url));
    const types = await loadTypes(
      c,
      tables.flatMap((t) => t.columns.map((col) => col.typeOid)),
    );
    const did = await ensurePublication(c, options.publication, tables);
    if (did !== 'present') log.info({ publication: options.publication, tables: tables.map((t) => t.id) }, `publication ${did}`);
    return { tables, types };
  }

  /** Delivers messages and waits until the sink committed them. */
  async function commitNow(d: Delivery, messages: readonly DecodedMessage[]): Promise<void> {
    for (const m of messages) d.push(m);
    await d.drain();
  }

  async function openReplication(): Promise<pg.Client> {
    const c = await openReplicationConnection(options.url);
    c.on('error', (err: Error) => log.debug({ err: err.message }, 'replication connection error'));
    return c;
  }

  /** START_REPLICATION, waiting while a process that is going away still holds the slot. */
  async function openStream(builder: ChangeBuilder, d: Delivery, client: pg.Client | undefined, startLsn: string): Promise<ReplicationStream> {
    for (let attempt = 1; ; attempt++) {
      const c = client ?? (await openReplication());
      client = undefined;
      replication = c;
      builder.reset();
      try {
        return await startStream({
          client: c,
          slot,
          publication: options.publication,
          startLsn,
          builder,
          delivery: d,
          statusIntervalMs: options.statusIntervalMs ?? 10_000,
          readCoalesceMs: options.readCoalesceMs ?? 1,
          committed: () => committedLsn,
          logger: log,
        });
      } catch (err) {
        await c.end().catch(() => undefined);
        if (sqlState(err) === '55006' && attempt < 60 && !stopping) {
          if (attempt === 1) log.info({ err: (err as Error).message }, 'slot busy; waiting for the other process to let go');
          await sleep(500);
          continue;
        }
        throw pgSourceError(PgSourceErrorCode.SLOT, `cannot stream from replication slot ${slot}: ${(err as Error).message}`, {
          cause: err,
          retriable: isTransient(err) && sqlState(err) !== '55006',
        });
      }
    }
  }

  interface Plan {
    readonly tables: SourceTable[];
    readonly types: Map<number, TypeInfo>;
    readonly delivery: Delivery;
    readonly streamPos: PostgresPosition | null;
    readonly toSnapshot: SnapshotTable[];
    readonly snapshotName: string | null;
    readonly consistentPoint: string;
    /** The replication connection that created the slot (its exported snapshot lives while it idles). */
    readonly replication: pg.Client | undefined;
  }

  /** Everything before the first event: server, tables, publication, positions, slot. */
  async function setup(handler: SourceHandler): Promise<Plan> {
    const { tables, types } = await prepare();
    const d = (delivery = createDelivery({
      handler,
      batchSize: options.batchSize ?? 2000,
      maxBacklog: options.maxBacklog ?? 20_000,
      onCommitted,
      onFailed: (err) => log.debug({ err: (err as Error).message }, 'a batch was not applied'),
    }));
    const stored = await options.positions();
    const resumeFrom = stored.get(streamKey);
    const streamPos = resumeFrom?.kind === 'postgres' && !resumeFrom.snapshot ? resumeFrom : null;
    if (streamPos?.endLsn !== undefined && streamPos.seq === undefined) committedLsn = streamPos.endLsn;
    const wantSnapshot = (options.snapshot ?? 'initial') === 'initial';
    const existing = await slotInfo(query as pg.Client, slot);
    if (existing) {
      checkSlot(existing, databaseOf(options.url));
      const toSnapshot: SnapshotTable[] = [];
      if (wantSnapshot) {
        for (const t of tables) {
          const p = stored.get(positionKey({ kind: 'postgres', slot, lsn: '0/0', snapshot: { table: t.id, lastKey: null, done: false } }));
          const s = p?.kind === 'postgres' ? p.snapshot : undefined;
          if (!s?.done) toSnapshot.push({ table: t, after: s?.lastKey ?? null });
        }
      }
      log.info({ confirmedFlush: existing.confirmedFlushLsn, resume: streamPos, snapshot: toSnapshot.map((t) => t.table.id) }, 'slot found');
      return { tables, types, delivery: d, streamPos, toSnapshot, snapshotName: null, consistentPoint: '0/0', replication: undefined };
    }
    if (streamPos) {
      log.warn(
        { resume: streamPos },
        wantSnapshot
          ? `replication slot ${slot} is gone though positions of it are stored: it is created anew and the tables snapshotted again; rows deleted from the source in between stay in the target`
          : `replication slot ${slot} is gone though positions of it are stored: it is created anew; changes made in between are not captured (snapshot: never)`,
      );
    }
    // Forget earlier snapshot progress BEFORE the slot exists, so a crash right after creating it cannot skip the snapshot.
    if (wantSnapshot)
      await commitNow(
        d,
        tables.map((t) => snapshotReset(slot, t.id)),
      );
    const repl = (replication = await openReplication());
    const created = await createSlot(repl, slot, wantSnapshot);
    log.info({ consistentPoint: created.consistentPoint, snapshot: created.snapshotName }, 'replication slot created');
    return {
      tables,
      types,
      delivery: d,
      streamPos,
      toSnapshot: wantSnapshot ? tables.map((t) => ({ table: t, after: null })) : [],
      snapshotName: created.snapshotName,
      consistentPoint: created.consistentPoint,
      replication: repl,
    };
  }

  /** The snapshot (if any), then streaming until stop(); reconnects after a lost connection. */
  async function run(plan: Plan): Promise<void> {
    const d = plan.delivery;
    let repl = plan.replication;
    if (plan.toSnapshot.length > 0 && !stopping) {
      log.info({ tables: plan.toSnapshot.map((t) => t.table.id), exported: plan.snapshotName !== null }, 'snapshot started');
      const result = await runSnapshot({
        client: query as pg.Client,
        snapshotName: plan.snapshotName,
        tables: plan.toSnapshot,
        chunkRows: options.snapshotChunkRows ?? 10_000,
        slot,
        lsn: plan.consistentPoint,
        db,
        types: plan.types,
        deliver: async (messages) => {
          for (const m of messages) d.push(m);
          d.flush();
          await d.whenRoom();
        },
        ...(options.onSnapshotProgress && { onProgress: options.onSnapshotProgress }),
        stopped: () => stopping || d.failed,
      });
      log.info({ rows: result.rows }, stopping ? 'snapshot interrupted' : 'snapshot read');
    }
    await query?.end().catch(() => undefined);
    query = undefined;
    if (stopping || d.failed) return;
    const builder = createChangeBuilder({
      slot,
      db,
      tables: plan.tables,
      types: plan.types,
      skipOrigins: new Set(options.skipOrigins ?? []),
      emit: (m) => d.push(m),
      logger: log,
    });
    builder.resumeAfter(plan.streamPos);
    let startLsn = plan.streamPos?.endLsn ?? '0/0';
    let failures = 0;
    const max = options.reconnects ?? 10;
    const backoff = (n: number): Promise<void> => sleep(Math.min(30_000, 250 * 2 ** n));
    for (;;) {
      let s: ReplicationStream;
      try {
        s = stream = await openStream(builder, d, repl, startLsn);
      } catch (err) {
        repl = undefined;
        if (stopping) return;
        if (!isTransient(err) || ++failures > max) throw err;
        log.warn({ err: (err as Error).message, attempt: failures }, 'cannot stream from the source; retrying');
        await backoff(failures);
        continue;
      }
      repl = undefined;
      if (stopping) {
        await s.stop();
        return;
      }
      const opened = Date.now();
      const err = await s.ended;
      if (err === null || stopping || d.failed) return;
      if (Date.now() - opened > 60_000) failures = 0; // a stream that ran a while resets the count
      if (!isTransient(err) || ++failures > max) throw err;
      log.warn({ err: err.message, attempt: failures }, 'replication connection lost; reconnecting');
      await d.drain().catch(() => undefined);
      d.discardPending();
      const last = d.lastDelivered;
      builder.resumeAfter(last?.kind === 'postgres' && !last.snapshot ? last : plan.streamPos);
      startLsn = committedLsn;
      await backoff(failures);
    }
  }

  async function closeAll(): Promise<void> {
    await replication?.end().catch(() => undefined);
    await query?.end().catch(() => undefined);
    replication = undefined;
    query = undefined;
  }

  return {
    async start(handler, events) {
      if (started) throw new FicusError(PgSourceErrorCode.OPTIONS, 'the Postgres source is started already');
      started = true;
      let plan: Plan;
      try {
        plan = await setup(handler);
      } catch (err) {
        await closeAll();
        throw err;
      }
      running = run(plan).catch(async (err: unknown) => {
        await closeAll();
        if (stopping) return;
        log.error({ err: (err as Error).message, code: (err as FicusError).code }, 'the Postgres source stopped');
        events?.fail(err);
      });
    },
    async stop() {
      stopping = true;
      stream?.halt();
      try {
        await delivery?.drain();
      } catch {
        // the pipeline reports the batch's failure
      }
      await stream?.stop();
      await running;
      // A snapshot chunk read while stopping was still handed over: let it commit too.
      await delivery?.drain().catch(() => undefined);
      await closeAll();
      if (started) {
        log.warn(
          `replication slot ${slot} stays, so the next run resumes where this one stopped; meanwhile it holds WAL on the source — drop it (ficus cdc slot drop ${slot}) if no capture will resume`,
        );
      }
    },
  };
}
