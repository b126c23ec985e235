/**
 * pgoutput messages → change events, in commit order, with positions a restart can resume from
 * exactly (see PostgresPosition in cdc/model.ts):
 * - each change of a transaction gets the transaction's commit LSN and its 1-based `seq`; the
 *   LAST change of a transaction is held back until the Commit arrives and then carries the
 *   whole-transaction position (no `seq`, the commit's `endLsn`), so a committed position tells
 *   whether its transaction was applied completely;
 * - after a restart, transactions up to the resume position are dropped (the server may resend
 *   what was applied but not yet acknowledged), and inside a partly applied transaction the
 *   first `seq` changes are;
 * - transactions whose replication origin is in `skipOrigins` are dropped whole (changes that a
 *   ficus sink applied under that origin, so reverse sync does not loop);
 * - keys come from the table's primary key (catalog), else from the relation's replica-identity
 *   flags; `before` is the old row only under REPLICA IDENTITY FULL; an update that changes the
 *   key becomes a delete of the old key and a create of the new one (as Debezium does); an
 *   unchanged TOASTed value is UNAVAILABLE (filled from the old row under FULL).
 */
import type { Logger } from '../../../core/index.js';
import {
  UNAVAILABLE,
  type CdcValue,
  type ChangeEvent,
  type DecodedMessage,
  type Op,
  type PostgresPosition,
  type Row,
  type TransactionInfo,
} from '../../model.js';
import { lsnToBigInt } from '../../offsets/position.js';
import type { SourceTable } from './catalog.js';
import type { PgoutputMessage, Tuple } from './pgoutput.js';
import { decoderFor, type TypeInfo } from './pgoutput-values.js';
import { decodeTuple, fastKind, type TupleShape } from './tuples.js';

interface Relation extends TupleShape {
  readonly schema: string;
  readonly table: string;
  readonly keyIdx: readonly number[];
}

interface Transaction {
  readonly xid: string;
  readonly lsn: string;
  readonly lsnValue: bigint;
  /** Shared by the transaction's events: Debezium's `transaction.id` (`xid:commit LSN`). */
  readonly info: TransactionInfo;
  readonly tsMs: number;
  seq: number;
  /** Drop every change (already applied, or an origin to skip), or the first `skipFirst`. */
  skipAll: boolean;
  readonly skipFirst: number;
  held: ChangeEvent | null;
}

export interface ChangeBuilderOptions {
  readonly slot: string;
  readonly db: string;
  readonly tables: readonly SourceTable[];
  readonly types: ReadonlyMap<number, TypeInfo>;
  readonly skipOrigins: ReadonlySet<string>;
  readonly emit: (message: DecodedMessage) => void;
  readonly logger: Logger;
}

export interface ChangeBuilder {
  /** One pgoutput message (its tuples are decoded at once: the buffer is reused after). */
  handle(message: PgoutputMessage): void;
  /** Drop what was received up to (and including) this position from now on. */
  resumeAfter(position: PostgresPosition | null): void;
  /** Forget relations and the open transaction (a new replication connection starts). */
  reset(): void;
  /** A transaction is open (between Begin and Commit). */
  readonly inTransaction: boolean;
  /** Transactions dropped because of their origin. */
  readonly skippedByOrigin: number;
}

export function createChangeBuilder(options: ChangeBuilderOptions): ChangeBuilder {
  const { slot, db, emit } = options;
  const primaryKeys = new Map(options.tables.map((t) => [t.id, t.primaryKey]));
  const relations = new Map<number, Relation>();
  let resume: { lsn: bigint; seq: number | undefined } | null = null;
  let tx: Transaction | null = null;
  let skippedByOrigin = 0;

  function relationOf(oid: number): Relation {
    const r = relations.get(oid);
    if (!r) throw new Error(`pgoutput sent a change for relation ${oid} before describing it`);
    return r;
  }

  const row = (rel: Relation, t: Tuple): Record<string, CdcValue> => decodeTuple(t, rel);

  function keyOf(rel: Relation, image: Row): Row | null {
    if (rel.keyIdx.length === 0) return null;
    const out: Record<string, CdcValue> = {};
    for (const i of rel.keyIdx) {
      const name = rel.names[i] as string;
      out[name] = image[name] ?? null;
    }
    return out;
  }

  function sameKey(rel: Relation, a: Row, b: Row): boolean {
    for (const i of rel.keyIdx) {
      const name = rel.names[i] as string;
      const x = a[name];
      const y = b[name];
      if (x === y || x === UNAVAILABLE || y === UNAVAILABLE) continue;
      if (JSON.stringify(x) !== JSON.stringify(y)) return false;
    }
    return true;
  }

  function event(t: Transaction, rel: Relation, op: Op, key: Row | null, before: Row | null, after: Row | null): ChangeEvent {
    t.seq++;
    const position: PostgresPosition = { kind: 'postgres', slot, lsn: t.lsn, txId: t.xid, seq: t.seq };
    return {
      op,
      db,
      schema: rel.schema,
      table: rel.table,
      key,
      before,
      after,
      tsMs: t.tsMs,
      snapshot: false,
      transaction: t.info,
      position,
    };
  }

  function push(t: Transaction, e: ChangeEvent): void {
    if (t.skipAll || (e.position as PostgresPosition).seq! <= t.skipFirst) return;
    if (t.held) emit({ kind: 'change', event: t.held });
    t.held = e;
  }

  function change(t: Transaction, m: PgoutputMessage): void {
    switch (m.tag) {
      case 'insert': {
        const rel = relationOf(m.relation);
        const after = row(rel, m.after);
        push(t, event(t, rel, 'c', keyOf(rel, after), null, after));
        return;
      }
      case 'update': {
        const rel = relationOf(m.relation);
        const after = row(rel, m.after);
        const old = m.before ? row(rel, m.before) : null;
        const before = m.oldKind === 'O' ? old : null;
        if (before)
          for (const k in after) if (after[k] === UNAVAILABLE && before[k] !== undefined && before[k] !== UNAVAILABLE) after[k] = before[k] as CdcValue;
        if (old && !sameKey(rel, old, after)) {
          push(t, event(t, rel, 'd', keyOf(rel, old), before, null));
          push(t, event(t, rel, 'c', keyOf(rel, after), null, after));
          return;
        }
        push(t, event(t, rel, 'u', keyOf(rel, after), before, after));
        return;
      }
      case 'delete': {
        const rel = relationOf(m.relation);
        const old = row(rel, m.before);
        push(t, event(t, rel, 'd', keyOf(rel, old), m.oldKind === 'O' ? old : null, null));
        return;
      }
      case 'truncate':
        for (const oid of m.relations) push(t, event(t, relationOf(oid), 't', null, null, null));
        return;
      default:
        return;
    }
  }

  return {
    handle(m) {
      switch (m.tag) {
        case 'begin': {
          const lsnValue = lsnToBigInt(m.finalLsn);
          const done = resume !== null && (lsnValue < resume.lsn || (lsnValue === resume.lsn && resume.seq === undefined));
          const skipFirst = resume !== null && lsnValue === resume.lsn ? (resume.seq ?? 0) : 0;
          tx = {
            xid: String(m.xid),
            lsn: m.finalLsn,
            lsnValue,
            info: { id: `${m.xid}:${lsnValue}` },
            tsMs: m.commitTimeMs,
            seq: 0,
            skipAll: done,
            skipFirst,
            held: null,
          };
          return;
        }
        case 'origin':
          if (tx && options.skipOrigins.has(m.name)) {
            if (!tx.skipAll) skippedByOrigin++;
            tx.skipAll = true;
          }
          return;
        case 'commit': {
          const t = tx;
          tx = null;
          if (!t?.held) return;
          const held = t.held;
          const whole: PostgresPosition = { kind: 'postgres', slot, lsn: t.lsn, txId: t.xid, endLsn: m.endLsn };
          emit({ kind: 'change', event: { ...held, position: whole } });
          return;
        }
        case 'relation': {
          const pk = primaryKeys.get(`${m.schema}.${m.name}`);
          const names = m.columns.map((c) => c.name);
          const byPk = pk && pk.length > 0 ? pk.map((k) => names.indexOf(k)).filter((i) => i >= 0) : [];
          const keyIdx = byPk.length > 0 && byPk.length === pk?.length ? byPk : m.columns.flatMap((c, i) => (c.key ? [i] : []));
          const unknown = m.columns.filter((c) => c.typeOid >= 16_384 && !options.types.has(c.typeOid));
          if (unknown.length > 0) {
            options.logger.warn({ table: `${m.schema}.${m.name}`, columns: unknown.map((c) => c.name) }, 'columns of types unknown at start decode as text');
          }
          relations.set(m.oid, {
            schema: m.schema,
            table: m.name,
            names,
            decoders: m.columns.map((c) => decoderFor(c.typeOid, options.types)),
            fast: m.columns.map((c) => fastKind(c.typeOid)),
            keyIdx,
          });
          return;
        }
        case 'type':
        case 'message':
          return;
        default:
          if (!tx) throw new Error(`pgoutput sent a ${m.tag} outside a transaction`);
          change(tx, m);
      }
    },
    resumeAfter(position) {
      resume = position ? { lsn: lsnToBigInt(position.lsn), seq: position.seq } : null;
    },
    reset() {
      relations.clear();
      tx = null;
    },
    get inTransaction() {
      return tx !== null;
    },
    get skippedByOrigin() {
      return skippedByOrigin;
    },
  };
}
