/**
 * Self-contained HTML rendering of a Decomposition: one file, CSS inlined, no network
 * requests, opens from file://. This is the static report (overview, contexts, dependency
 * matrix, data ownership, plan, decisions, provenance); the interactive graph view builds on it.
 */
import type { Decomposition } from '../../analyzer/index.js';
import { METRIC_EXPLANATIONS, formatMetric } from './explain.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const CSS = `
:root{--fg:#1d2433;--muted:#5b6475;--line:#e3e6ec;--bg:#fafbfc;--accent:#2f6f4f}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:24px 32px;background:#fff;border-bottom:1px solid var(--line)}h1{margin:0 0 4px;font-size:22px}
main{padding:8px 32px 48px;max-width:1280px}h2{margin:32px 0 8px;font-size:18px}p.muted,.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}.card b{font-size:20px;display:block}
table{border-collapse:collapse;background:#fff;border:1px solid var(--line);width:100%;margin:8px 0}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{background:#f3f5f8;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.heat td.cell{text-align:center;min-width:44px}.tag{display:inline-block;padding:0 6px;border-radius:4px;background:#fde8e8;color:#9b1c1c;font-size:12px}
details{margin:4px 0}summary{cursor:pointer;color:var(--accent)}
`;

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#2ca02c'];

export function renderDecompositionHtml(d: Decomposition): string {
  const color = new Map(d.contexts.map((c, i) => [c.id, c.kind === 'shared-kernel' ? '#8a8f98' : (PALETTE[i % PALETTE.length] as string)]));
  const name = (id: string) => escapeHtml(d.contexts.find((c) => c.id === id)?.name ?? id);
  const sw = (id: string) => `<span class="swatch" style="background:${color.get(id) ?? '#ccc'}"></span>`;
  const h: string[] = [];
  h.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  h.push(`<title>ficus — decomposition of ${escapeHtml(d.source.root)}</title><style>${CSS}</style></head><body>`);
  h.push(`<header><h1>Decomposition of <code>${escapeHtml(d.source.root)}</code></h1>`);
  h.push(`<div class="muted">${d.contexts.filter((c) => c.kind === 'domain').length} candidate contexts · ${d.source.files} files · ${d.source.lines.toLocaleString('en-US')} lines${d.source.commit ? ` · commit <code>${escapeHtml(d.source.commit.slice(0, 12))}</code>` : ''} · generated ${escapeHtml(d.run.generatedAt)}</div></header><main>`);
  h.push('<h2>Metrics</h2><div class="cards">');
  for (const [key, m] of Object.entries(METRIC_EXPLANATIONS)) {
    const v = d.metrics[key as keyof typeof d.metrics];
    if (typeof v === 'number') h.push(`<div class="card"><span class="muted">${escapeHtml(m.label)} (${m.better} is better)</span><b>${formatMetric(key, v)}</b><span class="muted">${escapeHtml(m.text)}</span></div>`);
  }
  h.push('</div>');
  h.push('<h2>Contexts</h2><table id="contexts"><tr><th>context</th><th>files</th><th>lines</th><th>stability</th><th>cohesion</th><th>coupling</th><th>endpoints</th><th>tables</th></tr>');
  for (const c of d.contexts) {
    const m = c.metrics;
    h.push(`<tr data-context="${escapeHtml(c.id)}"><td>${sw(c.id)}<b>${escapeHtml(c.name)}</b><br><span class="muted">${escapeHtml(c.naming.join(', '))}</span>`);
    h.push(`<details><summary>members</summary>${c.members.map((f) => `<div><code>${escapeHtml(f)}</code></div>`).join('')}</details></td>`);
    h.push(`<td class="num">${m.files}</td><td class="num">${m.lines}</td><td class="num">${m.stability.toFixed(2)}</td><td class="num">${m.cohesion.toFixed(2)}</td><td class="num">${m.coupling.toFixed(2)}</td>`);
    h.push(`<td>${c.endpoints.map((e) => `<div><code>${escapeHtml(`${e.method} ${e.path}`)}</code></div>`).join('')}</td>`);
    h.push(`<td>${c.tables.map((t) => `<div><code>${escapeHtml(t.name)}</code> ${t.access}</div>`).join('')}</td></tr>`);
  }
  h.push('</table>');
  const domain = d.contexts.map((c) => c.id);
  const max = Math.max(1, ...d.seams.map((s) => s.calls));
  h.push('<h2>Dependencies between contexts</h2><p class="muted">Row uses column; number = static use sites crossing the seam.</p><table class="heat"><tr><th></th>');
  for (const id of domain) h.push(`<th>${sw(id)}${name(id)}</th>`);
  h.push('</tr>');
  for (const from of domain) {
    h.push(`<tr><th>${sw(from)}${name(from)}</th>`);
    for (const to of domain) {
      const s = d.seams.find((x) => x.from === from && x.to === to);
      const a = s ? 0.12 + 0.78 * (s.calls / max) : 0;
      h.push(`<td class="cell" style="background:rgba(225,87,89,${a.toFixed(2)})" title="${s ? escapeHtml(s.symbols.slice(0, 12).join(', ')) : ''}">${s ? s.calls : ''}</td>`);
    }
    h.push('</tr>');
  }
  h.push('</table>');
  h.push('<h2>Data ownership</h2><table><tr><th>table</th><th>owner</th><th>used by</th><th></th></tr>');
  for (const t of d.tables) {
    const users = t.usedBy.map((u) => `${sw(u)}${name(u)} (${t.access[u]})`).join('<br>');
    h.push(`<tr><td><code>${escapeHtml(t.name)}</code></td><td>${t.owner ? sw(t.owner) + name(t.owner) : '—'}</td><td>${users}</td><td>${t.shared ? '<span class="tag">shared</span>' : ''}</td></tr>`);
  }
  h.push('</table><h2>Extraction plan</h2><ol>');
  for (const p of d.plan) {
    h.push(`<li>${sw(p.context)}<b>${name(p.context)}</b> — ${escapeHtml(p.reason)}`);
    if (p.seamsToCut.length) h.push(`<ul>${p.seamsToCut.map((s) => `<li>cut ${name(s.from)} → ${name(s.to)} (${s.calls} use sites)</li>`).join('')}</ul>`);
    h.push('</li>');
  }
  h.push('</ol><h2>Decisions for the architect</h2>');
  if (d.lowConfidence.length === 0) h.push('<p>No file was placed with low confidence.</p>');
  else {
    h.push('<table><tr><th>file</th><th>placed in</th><th>confidence</th><th>alternative</th></tr>');
    for (const f of d.lowConfidence) h.push(`<tr><td><code>${escapeHtml(f.path)}</code></td><td>${sw(f.context)}${name(f.context)}</td><td class="num">${f.confidence.toFixed(2)}</td><td>${f.alternative ? name(f.alternative) : '—'}</td></tr>`);
    h.push('</table>');
  }
  h.push('<h2>How this was produced</h2><table><tr><th>signal</th><th>weight</th><th>edges</th><th>note</th></tr>');
  for (const s of d.signals) h.push(`<tr><td>${escapeHtml(s.name)}</td><td class="num">${s.weight}</td><td class="num">${s.edges}</td><td>${escapeHtml(s.note ?? '')}</td></tr>`);
  h.push(`</table><p>Reproduce with <code>${escapeHtml(d.run.command)}</code> (ficus ${escapeHtml(d.run.version)}, seed ${d.run.seed}, ${d.run.runs} runs, resolution ${d.run.resolution.toFixed(3)}).</p>`);
  h.push('</main></body></html>\n');
  return h.join('');
}
