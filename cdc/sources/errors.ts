/**
 * Error codes of CDC sources (CDC_SOURCE_*): bad options are refused at once, with a sentence.
 */
import { FicusError } from '../../core/index.js';

export const SourceErrorCode = {
  /** The source options are invalid (no brokers, both or neither of topics/topicPattern, a bad regex). */
  OPTIONS: 'CDC_SOURCE_OPTIONS',
  /** The source could not connect or subscribe. */
  CONNECT: 'CDC_SOURCE_CONNECT',
  /** The Kafka consumer crashed with an error it does not restart after (the pipeline stops). */
  CRASHED: 'CDC_SOURCE_CRASHED',
  /** Logged (not thrown) when a stalled Kafka consumer is replaced. */
  STALLED: 'CDC_SOURCE_STALLED',
} as const;

export function sourceOptionsError(message: string): FicusError {
  return new FicusError(SourceErrorCode.OPTIONS, message, { exitCode: 2 });
}
