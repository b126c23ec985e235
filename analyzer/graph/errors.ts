/**
 * Error codes of the graph stage (ANL_ prefix). Candidates to move into a shared
 * analyzer/errors.ts when the analyzer's face is assembled.
 */
export const GraphErrorCode = {
  /** A signal weight is negative, not finite, or names no signal. */
  SIGNAL_WEIGHT: 'ANL_SIGNAL_WEIGHT',
} as const;
