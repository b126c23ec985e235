/**
 * reports: pure renderers from result contracts to text, picked by format from a map
 * (dependency-cruiser's reporter shape). Nothing here touches the file system.
 */
import { validateDecomposition, type Decomposition } from '../analyzer/index.js';
import { renderDecompositionHtml } from './decomposition/html.js';
import { renderDecompositionMarkdown } from './decomposition/markdown.js';

/** The contract itself, pretty-printed, after checking it against its JSON Schema (ANL_DECOMPOSITION_INVALID when it does not match). */
export function renderDecompositionJson(d: Decomposition): string {
  return `${JSON.stringify(validateDecomposition(d), null, 2)}\n`;
}

export type ReportFormat = 'json' | 'html' | 'md';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'html', 'md'];

export type Renderer<T> = (input: T) => string;

export const decompositionRenderers: Readonly<Record<ReportFormat, Renderer<Decomposition>>> = {
  json: renderDecompositionJson,
  html: renderDecompositionHtml,
  md: renderDecompositionMarkdown,
};

export { renderDecompositionHtml, renderDecompositionMarkdown };
export { METRIC_EXPLANATIONS } from './decomposition/explain.js';
export { renderVerifyHtml } from './cdc/verify-html.js';
export { renderVerifyMarkdown } from './cdc/verify-markdown.js';

// Shadow differences (DiffRecords + comparison tallies) and replay results: html and md.
import type { ReplayResult } from '../gateway/index.js';
import { renderDiffReportHtml } from './diffs/html.js';
import { renderDiffReportMarkdown } from './diffs/markdown.js';
import type { DiffReportInput } from './diffs/model.js';
import { renderReplayHtml } from './diffs/replay-html.js';
import { renderReplayMarkdown } from './diffs/replay-markdown.js';

export type DiffReportFormat = 'html' | 'md';
export const DIFF_REPORT_FORMATS: readonly DiffReportFormat[] = ['html', 'md'];
export const diffReportRenderers: Readonly<Record<DiffReportFormat, Renderer<DiffReportInput>>> = { html: renderDiffReportHtml, md: renderDiffReportMarkdown };
export const replayRenderers: Readonly<Record<DiffReportFormat, Renderer<ReplayResult>>> = { html: renderReplayHtml, md: renderReplayMarkdown };
export { renderDiffReportHtml, renderDiffReportMarkdown, renderReplayHtml, renderReplayMarkdown, type DiffReportInput };
export { buildDiffView } from './diffs/view.js';
export { buildReplayView } from './diffs/replay-view.js';
export { checkReplayResult } from './diffs/replay-check.js';
export { ReportErrorCode } from './errors.js';
