/**
 * The CDC part's core types. A `ChangeEvent` is one row change, normalised from a Debezium
 * envelope (Kafka source) or from Postgres logical decoding (built-in source): values already
 * decoded to JS types, plus the position to commit once the change is applied. Sinks apply
 * batches of them and store the positions in the same transaction (offsets/).
 */

/** A decoded column value. Exact decimals and integers beyond 2^53 stay strings; bytes are Buffers. */
export type CdcValue = null | boolean | number | string | Buffer | CdcValue[] | { readonly [k: string]: CdcValue } | typeof UNAVAILABLE;

/** Debezium's placeholder for an unchanged TOASTed column (`__debezium_unavailable_value`): leave the column as it is. */
export const UNAVAILABLE: unique symbol = Symbol.for('ficus.cdc.unavailable');

export type Row = Readonly<Record<string, CdcValue>>;

/** c create, u update, d delete, r snapshot read, t truncate, m logical message. */
export type Op = 'c' | 'u' | 'd' | 'r' | 't' | 'm';

/** Where an event came from, to commit after it is applied. */
export type Position = { readonly kind: 'kafka'; readonly topic: string; readonly partition: number; readonly offset: string } | PostgresPosition;

/**
 * A place in a Postgres logical replication stream (one slot). Changes of a transaction carry
 * the transaction's commit LSN and their 1-based `seq` in it; the end of a transaction carries
 * no `seq` and the `endLsn` of its commit record, where a restart resumes. So positions order
 * by (`lsn`, `seq`, whole transaction last), and a restart mid-transaction skips the `seq`
 * changes already applied. Snapshot reads carry `snapshot`: the table and the last key read.
 */
export interface PostgresPosition {
  readonly kind: 'postgres';
  /** The slot (stream) the position belongs to; positions of different slots are kept apart. */
  readonly slot?: string;
  /** Commit LSN of the change's transaction (snapshot reads: the slot's consistent point). */
  readonly lsn: string;
  readonly txId?: string;
  /** Changes of the transaction up to and including this one; absent when the whole transaction is meant. */
  readonly seq?: number;
  /** With no `seq`: the end of the commit record, i.e. where streaming resumes. */
  readonly endLsn?: string;
  /** Snapshot progress of one table (`schema.table`): the last key read, as text values, or done. */
  readonly snapshot?: { readonly table: string; readonly lastKey: readonly (string | null)[] | null; readonly done: boolean };
}

export interface TransactionInfo {
  readonly id: string;
  readonly totalOrder?: number;
  readonly dataCollectionOrder?: number;
}

export interface ChangeEvent {
  readonly op: Op;
  /** Source database, schema and table (schema is null for MySQL). */
  readonly db: string | null;
  readonly schema: string | null;
  readonly table: string;
  /** Primary-key columns and values (from the message key, or the source's replica identity). */
  readonly key: Row | null;
  readonly before: Row | null;
  readonly after: Row | null;
  /** Source commit time, ms since the epoch. */
  readonly tsMs: number | null;
  /** Snapshot marker: false, or 'true' | 'first' | 'last' | 'incremental' … */
  readonly snapshot: false | string;
  readonly transaction: TransactionInfo | null;
  readonly position: Position;
  /** Op 'm' only: the logical decoding message (`pg_logical_emit_message`), `{prefix, content}`. */
  readonly message?: Row;
}

/** A message that is not a row change but still moves the position on. */
export type ControlMessage =
  | { readonly kind: 'tombstone'; readonly key: Row | null; readonly position: Position }
  | {
      readonly kind: 'transaction';
      readonly status: 'BEGIN' | 'END';
      readonly id: string;
      /** END only: events in the transaction, in total and per table. */
      readonly eventCount?: number;
      readonly dataCollections?: readonly DataCollectionCount[];
      readonly tsMs?: number | null;
      readonly position: Position;
    }
  | { readonly kind: 'heartbeat'; readonly tsMs?: number | null; readonly position: Position }
  | {
      readonly kind: 'schema-change';
      readonly ddl: string | null;
      readonly db?: string | null;
      readonly schema?: string | null;
      /** Debezium's `tableChanges` (type, id, table columns), as decoded values. */
      readonly tableChanges?: CdcValue;
      readonly tsMs?: number | null;
      readonly position: Position;
    };

/** One table's share of a transaction (`data_collections` of a transaction END). */
export interface DataCollectionCount {
  readonly dataCollection: string;
  readonly eventCount: number;
}

export type DecodedMessage = { readonly kind: 'change'; readonly event: ChangeEvent } | ControlMessage;
