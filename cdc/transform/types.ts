/**
 * What mapping produces and sinks apply: a change to one target table, in target column
 * names. Values are decoded JS values (never the UNAVAILABLE placeholder: such columns are
 * left out of `columns` and listed in `unchanged`).
 */
import type { CdcValue, ChangeEvent } from '../model.js';
import type { SqlExpression } from './sql-expression.js';

export interface TargetColumn {
  /** The (coerced) source value; null for computed columns. */
  readonly value: Exclude<CdcValue, symbol>;
  /** A SQL expression computing the stored value (from `value`, or from nothing for computed columns). */
  readonly expr?: SqlExpression;
  /** A computed column (`computed:`), set on every insert and update. */
  readonly computed?: boolean;
}

/** A mapped row image in target column names: plain and expression columns, never computed ones or placeholders. */
export type TargetImage = Readonly<Record<string, TargetColumn>>;

interface Base {
  /** Target table, `table` or `schema.table`. */
  readonly table: string;
  /** The change event this came from (dead-lettered as is when the change fails). */
  readonly event: ChangeEvent;
}

export interface UpsertChange extends Base {
  readonly kind: 'upsert';
  /** Target key columns, in order. */
  readonly key: readonly string[];
  readonly columns: Readonly<Record<string, TargetColumn>>;
  /** Target columns whose source value was an unchanged-TOAST placeholder: left as they are. */
  readonly unchanged: readonly string[];
  /** The mapped old row (source REPLICA IDENTITY FULL), for conflict policies; absent when the source sent none. */
  readonly before?: TargetImage;
}

export interface DeleteChange extends Base {
  readonly kind: 'delete';
  readonly key: readonly string[];
  readonly keyValues: Readonly<Record<string, Exclude<CdcValue, symbol>>>;
  /** The mapped old row (source REPLICA IDENTITY FULL), for conflict policies; absent when the source sent none. */
  readonly before?: TargetImage;
}

export interface TruncateChange extends Base {
  readonly kind: 'truncate';
}

export type TargetChange = UpsertChange | DeleteChange | TruncateChange;
