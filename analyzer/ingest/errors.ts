/**
 * Error codes the ingest stage throws (all prefixed ANL_). Only problems with the whole run are
 * errors; a single unreadable or unparsable file is reported in `IngestResult.failed` instead.
 */
export const IngestErrorCode = {
  /** The root directory does not exist. */
  ROOT_NOT_FOUND: 'ANL_ROOT_NOT_FOUND',
  /** The root exists but is not a directory. */
  ROOT_NOT_DIR: 'ANL_ROOT_NOT_DIR',
  /** No source file is left after extension, default-skip, include and exclude filters. */
  NO_SOURCES: 'ANL_NO_SOURCES',
  /** A tsconfig file is missing, unreadable or not valid JSON/compiler options. */
  TSCONFIG: 'ANL_TSCONFIG',
  /** An include/exclude glob cannot be compiled. */
  BAD_GLOB: 'ANL_BAD_GLOB',
  /** A co-change history option is out of range. */
  HISTORY_OPTION: 'ANL_HISTORY_OPTION',
} as const;

export type IngestErrorCodeValue = (typeof IngestErrorCode)[keyof typeof IngestErrorCode];
