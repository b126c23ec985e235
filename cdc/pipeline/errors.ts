/**
 * Error codes of the CDC pipeline (CDC_PIPELINE_*): a sink failure that retrying cannot fix
 * stops the pipeline with the sink's reason.
 */
import { FicusError } from '../../core/index.js';

export const PipelineErrorCode = {
  /** A batch could not be applied (a non-retriable sink error, or retries used up): the pipeline stopped. */
  STOPPED: 'CDC_PIPELINE_STOPPED',
  /** The pipeline was started twice, or used after it stopped. */
  STATE: 'CDC_PIPELINE_STATE',
} as const;

export function pipelineStopped(reason: unknown, attempts: number): FicusError {
  const code = reason instanceof FicusError ? ` [${reason.code}]` : '';
  const message = reason instanceof Error ? reason.message : String(reason);
  return new FicusError(
    PipelineErrorCode.STOPPED,
    `the CDC pipeline stopped: a batch could not be applied after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${message}${code}; nothing of that batch was committed, so a restart resumes from it`,
    { cause: reason, details: { attempts, ...(reason instanceof FicusError && { cause: reason.code }) } },
  );
}
