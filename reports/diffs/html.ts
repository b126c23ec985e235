/**
 * Self-contained HTML rendering of shadow differences (DiffRecords plus comparison tallies):
 * one file with CSS, inline SVG charts and a small script inlined, no network requests, opens
 * from file://. Sections: an overview (totals and a table per route), the diff rate over time
 * per route (counts only, and a notice saying so, when the store kept no tallies), and the
 * paths that differ most, each opening onto an example request with both answers side by side.
 * Everything is plain HTML; the script (reports/assets/client/diffs.ts) only picks a route,
 * filters paths and reads out the column under the pointer.
 */
import { DIFFS_CLIENT_JS } from '../assets/generated/client.js';
import { escapeHtml } from '../decomposition/html.js';
import { bucketText, percent, timelineSvg } from './chart.js';
import { differenceHtml, requestHtml, sideBySide } from './html-example.js';
import { ALL_ROUTES, type DiffReportInput, type DiffView, type PathView, type RouteView, type Totals } from './model.js';
import { CSS } from './style.js';
import { buildDiffView } from './view.js';

const CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`;

export function page(title: string, header: string, body: string, script: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${CSP}` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><header>${header}</header><main>${body}</main><script>${script}</script></body></html>\n`
  );
}

const routeName = (route: string): string => (route === ALL_ROUTES ? 'all routes' : route);
const count = (n: number | null): string => (n === null ? '—' : n.toLocaleString('en-US'));

function cards(t: Totals, tallied: boolean): string {
  const card = (label: string, value: string, note: string, cls = ''): string =>
    `<div class="card"><span class="muted">${label}</span><b${cls ? ` class="${cls}"` : ''}>${escapeHtml(value)}</b><span class="muted">${note}</span></div>`;
  return (
    '<div class="cards">' +
    (tallied ? card('diff rate', percent(t.rate), 'comparisons whose answers differed (noise not counted)', t.rate ? 'bad' : '') : '') +
    card('comparisons', count(t.compared), tallied ? 'shadow comparisons made' : 'unknown: no tallies') +
    card('differing', count(t.different), tallied ? 'comparisons that differed' : 'recorded differences') +
    card('noise share', percent(t.noiseShare), 'of those that differed, differences only on paths learnt to be noise') +
    card('records', count(t.records), 'DiffRecords kept') +
    '</div>'
  );
}

function overview(v: DiffView): string {
  const all = v.routes[0] as RouteView;
  const h: string[] = ['<section id="overview"><h2>Overview</h2>'];
  if (!v.tallied) {
    h.push(
      '<p class="notice" id="no-tallies"><b>Counts only.</b> No comparison tallies were found beside these records, so the report counts the recorded differences but cannot say what share of traffic they are. Gateways write tallies (<code>tallies-&lt;day&gt;.ndjson</code>, or the <code>&lt;table&gt;_tallies</code> table) beside the records.</p>',
    );
  }
  h.push(cards(all.totals, v.tallied));
  h.push(
    '<table id="routes-table"><tr><th>route</th><th class="num">comparisons</th><th class="num">differing</th><th class="num">diff rate</th><th class="num">noise only</th><th class="num">noise share</th><th class="num">records</th></tr>',
  );
  for (const r of v.routes) {
    const t = r.totals;
    h.push(
      `<tr data-select-route="${escapeHtml(r.route)}"><td>${r.route === ALL_ROUTES ? '<b>all routes</b>' : `<code>${escapeHtml(r.route)}</code>`}</td><td class="num">${count(t.compared)}</td><td class="num">${count(t.different)}</td>` +
        `<td class="num">${percent(t.rate)}</td><td class="num">${count(t.noise)}</td><td class="num">${percent(t.noiseShare)}</td><td class="num">${count(t.records)}</td></tr>`,
    );
  }
  h.push('</table></section>');
  return h.join('');
}

function timeline(v: DiffView): string {
  const h: string[] = [`<section id="timeline"><h2>${v.tallied ? 'Diff rate over time' : 'Differences over time'}</h2>`];
  if (v.span === null) return `${h.join('')}<p>Nothing was compared or recorded.</p></section>`;
  h.push(
    `<p class="muted">${bucketText(v.bucketMs)} buckets, UTC, ${escapeHtml(v.span.from.slice(0, 16).replace('T', ' '))} to ${escapeHtml(v.span.to.slice(0, 16).replace('T', ' '))}. ${v.tallied ? 'Each column is the share of that bucket’s comparisons that differed.' : 'Each column counts the differences recorded in that bucket.'}</p>`,
  );
  h.push('<div class="pills" id="route-pills">');
  for (const r of v.routes)
    h.push(
      `<button type="button" data-route="${escapeHtml(r.route)}"${r.route === ALL_ROUTES ? ' class="active"' : ''}>${escapeHtml(routeName(r.route))}</button>`,
    );
  h.push('</div><div class="chart-wrap">');
  for (const r of v.routes)
    h.push(
      `<figure class="timeline" data-route="${escapeHtml(r.route)}"><figcaption class="muted">${escapeHtml(routeName(r.route))}${r.tallied || !v.tallied ? '' : ' — no tallies for this route: counts only'}</figcaption>${timelineSvg(r)}</figure>`,
    );
  h.push(
    `<div class="legend"><span><i style="background:#d64545"></i>differing</span><span><i style="background:#e0a100"></i>noise only</span>${v.tallied ? '<span><i style="background:#c9ced6"></i>recorded, no tally</span>' : ''}</div>`,
  );
  h.push('<div id="readout" class="muted">Point at a column for its numbers.</div></div></section>');
  return h.join('');
}

function pathItem(p: PathView, rank: number): string {
  const e = p.example;
  const kinds = p.kinds.map((k) => `<span class="tag">${escapeHtml(k)}</span>`).join(' ');
  const h: string[] = [];
  h.push(`<details class="path" data-route="${escapeHtml(p.route)}" data-path="${escapeHtml(p.path)}" data-rank="${rank}"><summary>`);
  h.push(
    `<span><span class="caret"></span><code>${escapeHtml(p.path)}</code> <span class="muted">on</span> <code>${escapeHtml(p.route)}</code> ${kinds}</span>`,
  );
  h.push(`<span class="num"><b>${count(p.records)}</b> <span class="muted">records</span></span>`);
  h.push(
    `<span title="share of these records that were noise only"><span class="share" style="width:${Math.round(p.noiseShare * 60)}px"></span>${percent(p.noiseShare)}</span>`,
  );
  h.push(`<span class="muted">${escapeHtml(p.lastAt.slice(0, 16).replace('T', ' '))}</span></summary><div class="body">`);
  h.push(
    `<p class="muted">Example: record <code>${escapeHtml(e.id)}</code> at ${escapeHtml(e.at)}${e.noise ? ' (noise only)' : ''}; first seen ${escapeHtml(p.firstAt)}, last ${escapeHtml(p.lastAt)}.</p>`,
  );
  h.push(differenceHtml(e.difference, `primary (${e.primary.target})`, `shadow (${e.shadow.target})`));
  h.push(requestHtml(e.request));
  h.push(sideBySide({ role: 'primary', response: e.primary }, { role: 'shadow', response: e.shadow }, e.difference.path));
  h.push('</div></details>');
  return h.join('');
}

function paths(v: DiffView): string {
  const h: string[] = ['<section id="paths"><h2>Paths that differ most</h2>'];
  if (v.paths.length === 0) return `${h.join('')}<p>No differences were recorded.</p></section>`;
  h.push(
    '<p class="muted">Per route, the paths with the most differing records (array indices counted together as <code>[*]</code>), their noise share, and one example each — open a path for the request and both answers side by side. Secrets were redacted when the records were made.</p>',
  );
  h.push('<input id="path-filter" type="search" placeholder="filter paths, e.g. price" autocomplete="off"><div id="path-list">');
  v.paths.forEach((p, i) => h.push(pathItem(p, i)));
  h.push('</div><p id="paths-empty" class="muted" hidden>No path matches.</p>');
  if (v.pathsLeftOut > 0) h.push(`<p class="muted">${v.pathsLeftOut} less frequent paths are left out.</p>`);
  h.push('</section>');
  return h.join('');
}

export function renderDiffViewHtml(v: DiffView): string {
  const all = v.routes[0] as RouteView;
  const header =
    `<h1>Shadow differences in <code>${escapeHtml(v.source)}</code></h1>` +
    `<div class="muted">${v.routes.length - 1} routes · ${count(all.totals.records)} records${v.tallied ? ` · ${count(all.totals.compared)} comparisons` : ' · no tallies'}${v.generatedAt ? ` · generated ${escapeHtml(v.generatedAt)}` : ''}</div>` +
    '<nav><a href="#overview">Overview</a><a href="#timeline">Over time</a><a href="#paths">Paths</a></nav>';
  return page(`ficus — shadow differences in ${v.source}`, header, overview(v) + timeline(v) + paths(v), DIFFS_CLIENT_JS);
}

/** @example writeFile('diffs.html', renderDiffReportHtml({ source: dir, records, tallies })) */
export function renderDiffReportHtml(input: DiffReportInput): string {
  return renderDiffViewHtml(buildDiffView(input));
}
