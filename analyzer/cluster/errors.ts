/**
 * Error codes of the cluster stage (ANL_ prefix). Candidates to move into a shared
 * analyzer/errors.ts when the analyzer's face is assembled.
 */
export const ClusterErrorCode = {
  /** runs, seed, resolution or contexts out of range. */
  OPTIONS: 'ANL_CLUSTER_OPTIONS',
  /** Constraints that cannot all hold (a file pinned twice, kept together and apart). */
  CONSTRAINT_CONFLICT: 'ANL_CONSTRAINT_CONFLICT',
} as const;
