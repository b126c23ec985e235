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
