/**
 * One example exchange in HTML: the differing value on each side, the request, and the two
 * answers side by side (status and time, the part of the body around the path, the body cut
 * to a readable length, headers). Records arrive redacted by the gateway; everything is
 * escaped here. Shared by the diff report and the replay report.
 */
import type { Difference, RecordedRequest, RecordedResponse } from '../../gateway/index.js';
import { escapeHtml } from '../decomposition/html.js';
import { contextAt, showBody, showHeaders, showValue, statusLine, type ShownText } from './body.js';

export interface Side {
  /** `primary`, `shadow`, `baseline`, `target`. */
  readonly role: string;
  readonly response: RecordedResponse;
}

function pre(shown: ShownText, cls = ''): string {
  const body = shown.text === '' ? '' : `<pre${cls ? ` class="${cls}"` : ''}>${escapeHtml(shown.text)}</pre>`;
  return `${body}${shown.note === null ? '' : `<div class="muted">${escapeHtml(shown.note)}</div>`}`;
}

export function requestHtml(request: RecordedRequest): string {
  const head = `${request.method} ${request.url}${Object.keys(request.headers).length ? `\n${showHeaders(request.headers)}` : ''}`;
  const body = request.body === null ? '' : `<div class="muted">body</div>${pre(showBody(request.body))}`;
  return `<h4>request</h4><pre class="request">${escapeHtml(head)}</pre>${body}`;
}

function sideHtml(side: Side, path: string | undefined): string {
  const r = side.response;
  const h: string[] = [`<div class="side-${escapeHtml(side.role)}"><h4>${escapeHtml(side.role)} — ${escapeHtml(r.target)}</h4>`];
  h.push(`<div><b>${escapeHtml(statusLine(r))}</b></div>`);
  const context = path === undefined ? null : contextAt(r.body, path);
  if (context !== null) h.push(`<div class="muted">around <code>${escapeHtml(context.path)}</code></div>${pre(context.shown, 'context')}`);
  h.push(`<div class="muted">body</div>${pre(showBody(r.body), 'body')}`);
  if (Object.keys(r.headers).length > 0) h.push(`<details><summary>headers</summary><pre>${escapeHtml(showHeaders(r.headers))}</pre></details>`);
  h.push('</div>');
  return h.join('');
}

/** The two answers next to each other; `path` picks the body context shown above each. */
export function sideBySide(left: Side, right: Side, path?: string): string {
  return `<div class="side">${sideHtml(left, path)}${sideHtml(right, path)}</div>`;
}

/** The values a difference found on each side. */
export function differenceHtml(d: Difference, left: string, right: string): string {
  return (
    `<div class="value"><span class="muted">path</span><code>${escapeHtml(d.path)}</code><span class="muted">kind</span><span>${escapeHtml(d.kind)}</span>` +
    `<span class="muted">${escapeHtml(left)}</span><code>${escapeHtml(showValue(d.primary))}</code><span class="muted">${escapeHtml(right)}</span><code>${escapeHtml(showValue(d.shadow))}</code></div>`
  );
}
