/** Error codes of the graph stage (ANL_ prefix). */
export const GraphErrorCode = {
  /** A signal weight is negative, not finite, or names no signal. */
  SIGNAL_WEIGHT: 'ANL_SIGNAL_WEIGHT',
  /** A git-layer option is out of range. */
  GIT_LAYER_OPTION: 'ANL_GIT_LAYER_OPTION',
  /** A semantic-layer option is out of range. */
  SEMANTIC_LAYER_OPTION: 'ANL_SEMANTIC_LAYER_OPTION',
} as const;
