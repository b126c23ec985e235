/**
 * Markdown pieces the diff and replay reports share: escaping for table cells and inline code,
 * fences that cannot be closed by the text inside them, sparklines for timelines, and two
 * answers side by side as an HTML table (GitHub renders it; each cell one line, so no blank
 * line can end the HTML block early).
 */
import type { Difference, RecordedRequest, RecordedResponse } from '../../gateway/index.js';
import { escapeHtml } from '../decomposition/html.js';
import { showBody, showHeaders, showValue, statusLine, type ShownText } from './body.js';

/** Text for a table cell: pipes escaped, line breaks as spaces. */
export function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that holds any text (a longer backtick run around it when it has backticks). */
export function code(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** Inline code inside a table cell: its pipes escaped too (GFM splits cells on them even in code). */
export function cellCode(s: string): string {
  return code(s).replace(/\|/g, '\\|');
}

/** A fenced block the text cannot close. */
export function fence(text: string, lang = ''): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = '`'.repeat(longest + 1);
  return [`${ticks}${lang}`, text, ticks];
}

const LEVELS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled to the largest; `·` for unknown. */
export function sparkline(values: readonly (number | null)[]): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return values
    .map((v) => {
      if (v === null) return '·';
      if (v <= 0 || max === 0) return LEVELS[0];
      return LEVELS[Math.max(1, Math.ceil((v / max) * (LEVELS.length - 1)))];
    })
    .join('');
}

function preCell(shown: ShownText): string {
  const text = escapeHtml(shown.text).replace(/\r?\n/g, '&#10;');
  const note = shown.note === null ? '' : `<br><i>${escapeHtml(shown.note)}</i>`;
  return `${text === '' ? '' : `<pre>${text}</pre>`}${note}`;
}

export function requestMd(request: RecordedRequest): string[] {
  const head = `${request.method} ${request.url}${Object.keys(request.headers).length ? `\n${showHeaders(request.headers)}` : ''}`;
  const body = showBody(request.body);
  const out = ['Request:', '', ...fence(head, 'http')];
  if (request.body !== null) out.push('', 'Request body:', '', ...fence(body.text || '(none shown)'), ...(body.note === null ? [] : ['', `_${body.note}_`]));
  return out;
}

/** The two answers next to each other, with status, body and headers. */
export function sideBySideMd(left: { role: string; response: RecordedResponse }, right: { role: string; response: RecordedResponse }): string[] {
  const head = (s: { role: string; response: RecordedResponse }): string =>
    `<th>${escapeHtml(`${s.role} (${s.response.target}) — ${statusLine(s.response)}`)}</th>`;
  const body = (s: { response: RecordedResponse }): string => `<td>${preCell(showBody(s.response.body))}</td>`;
  const headers = (s: { response: RecordedResponse }): string => `<td>${preCell({ text: showHeaders(s.response.headers), note: null })}</td>`;
  return [`<table><tr>${head(left)}${head(right)}</tr><tr>${body(left)}${body(right)}</tr><tr>${headers(left)}${headers(right)}</tr></table>`];
}

export function differenceMd(d: Difference, left: string, right: string): string {
  return `${code(d.path)} (${d.kind}): ${left} ${code(showValue(d.primary))} · ${right} ${code(showValue(d.shadow))}`;
}
