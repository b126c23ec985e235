/**
 * The Sink port: applies a batch of mapped changes and the positions they consumed in one
 * transaction, and reads the positions back at start. Every implementation passes the contract
 * in sink.case.ts.
 */
import type { Position } from '../model.js';
import type { TargetChange } from '../transform/types.js';

/** An event that could not be mapped or applied, kept with its position and reason. */
export interface DeadLetter {
  readonly position: Position;
  readonly reason: string;
  readonly code?: string;
  /** Source table (`schema.table`), when known. */
  readonly source?: string;
  /** Target table, when known. */
  readonly target?: string;
  /** The decoded event, or the raw message text when it did not decode. */
  readonly event: unknown;
}

export interface SinkBatch {
  readonly changes: readonly TargetChange[];
  /** Every position the batch consumed, including skipped and dead-lettered events. */
  readonly positions: readonly Position[];
  /** Events that failed before the sink (decoding, mapping): stored in the same transaction. */
  readonly deadLetters?: readonly DeadLetter[];
}

export interface ApplyResult {
  /** Changes applied (after a fallback, those that did not fail). */
  readonly applied: number;
  /** Dead letters written (given plus failed changes). */
  readonly deadLettered: number;
  /** True when a data error made the sink apply the batch change by change. */
  readonly fellBack: boolean;
  /** Positions dropped because the stored ones were past them already (sinks/fence.ts). */
  readonly fenced?: number;
}

export interface Sink {
  /** Applies the batch and stores its positions atomically; rejects with a FicusError (`retriable` set for transient failures). */
  apply(batch: SinkBatch): Promise<ApplyResult>;
  /** Stored positions by stream (`kafka:<topic>:<partition>` → next offset; `postgres` → last LSN). */
  lastPositions(): Promise<Map<string, Position>>;
  close(): Promise<void>;
}
