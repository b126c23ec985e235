/**
 * Self-contained HTML rendering of a replay result (`ficus replay`): a verdict and the count per
 * class, the classes per route, the paths that still or newly differ, and every outcome that
 * needs a look — each opening onto its paths (new ones marked) and the baseline's and target's
 * answers side by side. Same rules as the diff report: one file, inline CSS and script, no
 * network; the script only filters outcomes by class.
 */
import type { ReplayOutcome, ReplayResult } from '../../gateway/index.js';
import { DIFFS_CLIENT_JS } from '../assets/generated/client.js';
import { escapeHtml } from '../decomposition/html.js';
import { percent } from './chart.js';
import { showValue } from './body.js';
import { sideBySide } from './html-example.js';
import { page } from './html.js';
import { buildReplayView, CLASS_LABEL, type ReplayView } from './replay-view.js';

const CLASS_CSS = { fixed: 'k-fixed', 'still-different': 'k-different', 'newly-different': 'k-different', error: 'k-error', skipped: 'k-skipped' } as const;

function summary(v: ReplayView): string {
  const r = v.result;
  const h: string[] = ['<section id="summary"><h2>Summary</h2>'];
  const bad = v.classes.filter((c) => c.cls === 'still-different' || c.cls === 'newly-different' || c.cls === 'error').reduce((n, c) => n + c.count, 0);
  h.push(
    v.passed
      ? `<p class="k-fixed" id="verdict"><b>Nothing still differs.</b> Every re-sent request matched the baseline, noise aside${r.outcomes.length === 0 ? ' (no records were replayed)' : ''}.</p>`
      : `<p class="k-different" id="verdict"><b>${bad} of ${r.outcomes.length} records are not fixed</b>: they still differ, newly differ, or got no answer.</p>`,
  );
  h.push('<div class="cards">');
  for (const c of v.classes)
    h.push(
      `<div class="card" data-class="${c.cls}"><span class="muted">${CLASS_LABEL[c.cls]}</span><b class="${CLASS_CSS[c.cls]}">${c.count}</b><span class="muted">${percent(c.share)} of ${r.outcomes.length}</span></div>`,
    );
  h.push('</div>');
  h.push('<table id="replay-routes"><tr><th>route</th><th class="num">records</th>');
  for (const c of v.classes) h.push(`<th class="num">${CLASS_LABEL[c.cls]}</th>`);
  h.push('</tr>');
  for (const route of v.routes) {
    h.push(`<tr><td><code>${escapeHtml(route.route)}</code></td><td class="num">${route.total}</td>`);
    for (const c of v.classes) h.push(`<td class="num">${route.counts[c.cls]}</td>`);
    h.push('</tr>');
  }
  h.push('</table></section>');
  return h.join('');
}

function paths(v: ReplayView): string {
  if (v.paths.length === 0) return '';
  const h = [
    '<section id="replay-paths"><h2>Paths that still differ</h2><table><tr><th>route</th><th>path</th><th class="num">still different</th><th class="num">newly different</th></tr>',
  ];
  for (const p of v.paths)
    h.push(
      `<tr><td><code>${escapeHtml(p.route)}</code></td><td><code>${escapeHtml(p.path)}</code></td><td class="num">${p.still}</td><td class="num">${p.newly}</td></tr>`,
    );
  h.push('</table></section>');
  return h.join('');
}

function outcome(o: ReplayOutcome, r: ReplayResult): string {
  const fresh = new Set(o.newPaths);
  const h: string[] = [];
  h.push(`<details class="path outcome" data-class="${o.class}" data-route="${escapeHtml(o.route)}" data-id="${escapeHtml(o.id)}"><summary>`);
  h.push(
    `<span><span class="caret"></span><span class="${CLASS_CSS[o.class]}">${CLASS_LABEL[o.class]}</span> <code>${escapeHtml(`${o.request.method} ${o.request.url}`)}</code> <span class="muted">on</span> <code>${escapeHtml(o.route)}</code></span>`,
  );
  h.push(
    `<span class="num">${o.differences.length} <span class="muted">now</span></span><span class="num">${o.recorded.length} <span class="muted">recorded</span></span>`,
  );
  h.push(`<span class="muted">${escapeHtml(o.recordedAt.slice(0, 16).replace('T', ' '))}</span></summary><div class="body">`);
  h.push(`<p class="muted">Record <code>${escapeHtml(o.id)}</code>, captured ${escapeHtml(o.recordedAt)}.${o.reason ? ` ${escapeHtml(o.reason)}` : ''}</p>`);
  if (o.differences.length > 0) {
    h.push(`<h4>differing now</h4><table class="paths-now"><tr><th>path</th><th>kind</th><th>${r.baseline ? 'baseline' : 'recorded'}</th><th>target</th></tr>`);
    for (const d of o.differences) {
      h.push(
        `<tr><td>${fresh.has(d.path) ? '<span class="tag new">new</span> ' : ''}<code>${escapeHtml(d.path)}</code></td><td>${escapeHtml(d.kind)}</td><td><code>${escapeHtml(showValue(d.primary))}</code></td><td><code>${escapeHtml(showValue(d.shadow))}</code></td></tr>`,
      );
    }
    h.push('</table>');
  }
  if (o.recorded.length > 0) h.push(`<h4>differed when recorded</h4><div>${o.recorded.map((d) => `<code>${escapeHtml(d.path)}</code>`).join(', ')}</div>`);
  if (o.noise.length > 0) h.push(`<h4>noise (not counted)</h4><div>${o.noise.map((d) => `<code>${escapeHtml(d.path)}</code>`).join(', ')}</div>`);
  if (o.class !== 'skipped') h.push(sideBySide({ role: 'baseline', response: o.baseline }, { role: 'target', response: o.target }, o.differences[0]?.path));
  h.push('</div></details>');
  return h.join('');
}

function outcomes(v: ReplayView): string {
  const h: string[] = ['<section id="outcomes"><h2>Records to look at</h2>'];
  if (v.listed.length === 0) return `${h.join('')}<p>None: every replayed record is fixed.</p></section>`;
  h.push('<div class="pills" id="class-pills"><button type="button" data-class="*" class="active">all</button>');
  for (const c of v.classes)
    if (c.cls !== 'fixed' && c.count > 0)
      h.push(`<button type="button" data-class="${c.cls}">${CLASS_LABEL[c.cls]} <span class="muted">${c.count}</span></button>`);
  h.push('</div><div id="outcome-list">');
  for (const o of v.listed) h.push(outcome(o, v.result));
  h.push('</div><p id="outcomes-empty" class="muted" hidden>No record of this class.</p>');
  if (v.leftOut > 0) h.push(`<p class="muted">${v.leftOut} more records are left out; see the replay.json.</p>`);
  h.push('</section>');
  return h.join('');
}

export function renderReplayHtml(result: ReplayResult): string {
  const v = buildReplayView(result);
  const header =
    `<h1>Replay against <code>${escapeHtml(result.target)}</code></h1>` +
    `<div class="muted">records from <code>${escapeHtml(result.source)}</code>${result.route ? ` · route <code>${escapeHtml(result.route)}</code>` : ''} · baseline ${result.baseline ? `<code>${escapeHtml(result.baseline)}</code>` : 'the recorded monolith answers'} · replayed ${escapeHtml(result.at)}</div>` +
    '<nav><a href="#summary">Summary</a><a href="#replay-paths">Paths</a><a href="#outcomes">Records</a></nav>';
  return page(`ficus — replay against ${result.target}`, header, summary(v) + paths(v) + outcomes(v), DIFFS_CLIENT_JS);
}
