/**
 * Error codes of the reports (all prefixed RPT_): the input `ficus report` was given cannot be
 * read, is not a kind it renders, or breaks its contract (the message names the file and the
 * line or field).
 */
export const ReportErrorCode = {
  /** The input file or folder cannot be read. */
  INPUT_NOT_FOUND: 'RPT_INPUT_NOT_FOUND',
  /** A `.json` input that is not JSON. */
  INPUT_NOT_JSON: 'RPT_INPUT_NOT_JSON',
  /** JSON that is neither a decomposition nor a replay result, or a folder without diff or tally files. */
  INPUT_KIND: 'RPT_INPUT_KIND',
  /** A line of a diffs .ndjson or tally file that is not a DiffRecord or a ComparisonTally (file:line). */
  DIFFS_INVALID: 'RPT_DIFFS_INVALID',
  /** A replay.json that breaks the ReplayResult contract (the field named). */
  REPLAY_INVALID: 'RPT_REPLAY_INVALID',
  /** A format this kind of input has no renderer for (diffs and replays: html, md). */
  FORMAT: 'RPT_FORMAT',
} as const;

export type ReportErrorCodeValue = (typeof ReportErrorCode)[keyof typeof ReportErrorCode];
