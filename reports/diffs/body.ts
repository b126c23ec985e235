/**
 * Recorded bodies, headers and difference values made readable and short for the reports:
 * JSON pretty-printed, cut after a number of lines or characters with a note of how much was
 * left out; binary bodies (`base64:` in records) described, not shown; the part of a JSON body
 * around a differing path picked out. Text only — the HTML and Markdown renderers escape it.
 */
import type { RecordedResponse } from '../../gateway/index.js';
import { parsePath, renderPath, valueAt } from './paths.js';

export interface Limits {
  readonly lines: number;
  readonly chars: number;
}

export const BODY_LIMITS: Limits = { lines: 60, chars: 4_000 };
const CONTEXT_LIMITS: Limits = { lines: 16, chars: 1_200 };
const VALUE_CHARS = 240;

export interface ShownText {
  readonly text: string;
  /** What is not shown, or why there is nothing, in a few words; null when all is shown. */
  readonly note: string | null;
}

/** Cuts `text` after `limits` lines or characters. */
export function cut(text: string, limits: Limits): ShownText {
  const lines = text.split('\n');
  let kept = lines.length > limits.lines ? lines.slice(0, limits.lines).join('\n') : text;
  if (kept.length > limits.chars) kept = kept.slice(0, limits.chars);
  if (kept.length === text.length) return { text, note: null };
  const moreLines = text.slice(kept.length).split('\n').length - 1;
  const more = moreLines > 0 ? `${moreLines} more lines` : `${text.length - kept.length} more characters`;
  return { text: kept, note: `… ${more} not shown` };
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A recorded body for display: pretty JSON or text, cut to `limits`. */
export function showBody(body: string | null, limits: Limits = BODY_LIMITS): ShownText {
  if (body === null) return { text: '', note: 'no body (empty, over the recording cap, or no answer)' };
  if (body.startsWith('base64:')) return { text: '', note: `binary body, ${Buffer.from(body.slice(7), 'base64').length} bytes` };
  if (body === '') return { text: '', note: 'empty body' };
  try {
    return cut(pretty(JSON.parse(body)), limits);
  } catch {
    return cut(body, limits);
  }
}

/** A difference's value on one side, as compact JSON; `(absent)` when that side has none. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}…` : text;
}

/**
 * The object or array holding `path` in a JSON body, pretty and short — the context of a
 * difference deep in a large body. Null when the body is not JSON, the path is not a JSON path
 * below the root, or the body has nothing there.
 */
export function contextAt(body: string | null, path: string): { path: string; shown: ShownText } | null {
  const segments = parsePath(path);
  if (body === null || body.startsWith('base64:') || segments === null || segments.length < 2) return null;
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch {
    return null;
  }
  const parent = segments.slice(0, -1);
  const value = valueAt(root, parent);
  if (value === undefined || value === null || typeof value !== 'object') return null;
  return { path: renderPath(parent), shown: cut(pretty(value), CONTEXT_LIMITS) };
}

/** Headers as `name: value` lines, by name. */
export function showHeaders(headers: Readonly<Record<string, string>>): string {
  return Object.keys(headers)
    .sort()
    .map((k) => `${k}: ${headers[k] ?? ''}`)
    .join('\n');
}

/** `200 · 12.5 ms`, or the error when there was no answer. */
export function statusLine(r: RecordedResponse): string {
  const status = r.status === 0 ? `no answer${r.error !== undefined ? ` (${r.error})` : ''}` : `${r.status}${r.error !== undefined ? ` (${r.error})` : ''}`;
  return `${status} · ${r.ms} ms`;
}
