/**
 * The Source port: delivers messages, batch by batch, in stream order per partition, and
 * treats a batch as consumed only when the handler's promise resolves — which the pipeline lets
 * happen only after the sink committed the batch's rows and positions. A source never commits
 * positions of its own; on start and on every reassignment it resumes from the positions the
 * sink stored.
 *
 * Two kinds of batch: raw Kafka messages (`SourceBatch`, decoded by the pipeline), or messages a
 * source decoded itself (`DecodedBatch`, the built-in Postgres capture): change events and
 * control messages that only move the position on (transaction ends, heartbeats), each with
 * its position.
 */
import type { DecodedMessage } from '../model.js';

export interface SourceMessage {
  readonly topic: string;
  readonly partition: number;
  /** Offset as a decimal string (int64). */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Broker timestamp, ms since the epoch, as a string (kafkajs style). */
  readonly timestamp?: string;
}

/** Messages of one partition, in offset order. */
export interface SourceBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly SourceMessage[];
  /** The partition's high watermark when fetched (for lag), if known. */
  readonly highWatermark?: string;
}

/** Messages a source decoded itself, in stream order (one stream: apply them in this order). */
export interface DecodedBatch {
  readonly decoded: readonly DecodedMessage[];
}

/** Resolves once every message of the batch is applied and its position committed; rejects otherwise. */
export type SourceHandler = (batch: SourceBatch | DecodedBatch) => Promise<void>;

/** What a source reports outside a batch: a failure it cannot recover from (the pipeline stops). */
export interface SourceEvents {
  fail(err: unknown): void;
}

export interface Source {
  /** Connects and starts delivering batches to the handler; resolves once running. */
  start(handler: SourceHandler, events?: SourceEvents): Promise<void>;
  /** Stops fetching, waits for the in-flight handler calls to settle, disconnects. */
  stop(): Promise<void>;
}
