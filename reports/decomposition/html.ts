/**
 * Self-contained HTML rendering of a Decomposition: one file with CSS, data and script inlined
 * (the script is sigma.js + graphology + report.ts, bundled at build time), no network
 * requests, opens from file://. Sections: overview (metrics explained, contexts), an
 * interactive graph with a context panel and file search, the dependency matrix, data
 * ownership, the extraction plan, decisions for the architect and how it was produced.
 * Everything but the graph is plain HTML, so the report reads even without JavaScript.
 */
import type { Decomposition } from '../../analyzer/index.js';
import { DECOMPOSITION_CLIENT_JS } from '../assets/generated/client.js';
import { contextColors } from './colors.js';
import { METRIC_EXPLANATIONS, formatMetric } from './explain.js';
import { CSS } from './style.js';
import { buildView, scriptJson } from './view.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

interface Ctx {
  readonly d: Decomposition;
  readonly color: ReadonlyMap<string, string>;
  name(id: string): string;
  sw(id: string): string;
}

function overview({ d, sw }: Ctx, h: string[]): void {
  h.push('<section id="overview"><h2>Metrics</h2><div class="cards">');
  for (const [key, m] of Object.entries(METRIC_EXPLANATIONS)) {
    const v = d.metrics[key as keyof typeof d.metrics];
    if (typeof v === 'number') h.push(`<div class="card"><span class="muted">${escapeHtml(m.label)} · ${m.better} is better</span><b>${formatMetric(key, v)}</b><span class="muted">${escapeHtml(m.text)}</span></div>`);
  }
  h.push(`</div><p class="muted">SM, ICP, IFN and NED are computed on ${escapeHtml(d.metrics.basis.replace(/-/g, ' '))}; modularity on the combined multi-signal graph.</p>`);
  h.push('<h2>Contexts</h2><table id="contexts"><tr><th>context</th><th class="num">files</th><th class="num">lines</th><th class="num">stability</th><th class="num">cohesion</th><th class="num">coupling</th><th>endpoints</th><th>tables</th></tr>');
  for (const c of d.contexts) {
    const m = c.metrics;
    h.push(`<tr data-select-context="${escapeHtml(c.id)}"><td>${sw(c.id)}<b>${escapeHtml(c.name)}</b>${c.kind === 'shared-kernel' ? ' <span class="tag kernel">shared kernel</span>' : ''}<br><span class="muted">${escapeHtml(c.naming.join(', '))}</span>`);
    h.push(`<details><summary>${c.members.length} members</summary>${c.members.map((f) => `<div><code>${escapeHtml(f)}</code></div>`).join('')}</details></td>`);
    h.push(`<td class="num">${m.files}</td><td class="num">${m.lines}</td><td class="num">${m.stability.toFixed(2)}</td><td class="num">${m.cohesion.toFixed(2)}</td><td class="num">${m.coupling.toFixed(2)}</td>`);
    h.push(`<td>${c.endpoints.slice(0, 8).map((e) => `<div><code>${escapeHtml(`${e.method} ${e.path}`)}</code></div>`).join('')}${c.endpoints.length > 8 ? `<div class="muted">… ${c.endpoints.length - 8} more</div>` : ''}</td>`);
    h.push(`<td>${c.tables.map((t) => `<div><code>${escapeHtml(t.name)}</code> ${t.access}</div>`).join('')}</td></tr>`);
  }
  h.push('</table></section>');
}

function explorer({ d, sw }: Ctx, h: string[]): void {
  h.push('<section id="explore"><h2>Explore the coupling graph</h2>');
  h.push(`<p class="muted">Each dot is a file, coloured by its context, placed by ForceAtlas2 on the combined coupling graph${d.graph.truncated ? ' (weakest edges left out)' : ''}. Hover for the file, click a file or a context, or search.</p>`);
  h.push('<div class="explorer"><div class="graph-wrap"><div id="graph" role="img" aria-label="coupling graph of the files"></div><div id="tooltip" hidden></div></div><aside id="panel">');
  h.push('<label for="search" class="muted">Find a file</label><input id="search" type="search" placeholder="e.g. OrderService" autocomplete="off"><ul id="search-results"></ul>');
  h.push('<div id="context-list">');
  for (const c of d.contexts) h.push(`<button type="button" data-select-context="${escapeHtml(c.id)}">${sw(c.id)}${escapeHtml(c.name)} <span class="muted">${c.members.length}</span></button>`);
  h.push('</div><div id="details"></div></aside></div></section>');
}

function matrix({ d, sw, name }: Ctx, h: string[]): void {
  const ids = d.contexts.map((c) => c.id);
  const max = Math.max(1, ...d.seams.map((s) => s.calls));
  h.push('<section id="matrix"><h2>Dependencies between contexts</h2><p class="muted">Row uses column; the number is static use sites crossing the seam (hover for the symbols).</p><div class="scroll"><table class="heat"><tr><th></th>');
  for (const id of ids) h.push(`<th>${sw(id)}${name(id)}</th>`);
  h.push('</tr>');
  for (const from of ids) {
    h.push(`<tr><th>${sw(from)}${name(from)}</th>`);
    for (const to of ids) {
      const s = d.seams.find((x) => x.from === from && x.to === to);
      const a = s ? 0.12 + 0.78 * (s.calls / max) : 0;
      h.push(`<td class="cell" style="background:rgba(225,87,89,${a.toFixed(2)})" title="${s ? escapeHtml(s.symbols.slice(0, 12).join(', ')) : ''}">${s ? s.calls : ''}</td>`);
    }
    h.push('</tr>');
  }
  h.push('</table></div></section>');
}

function ownership({ d, sw, name }: Ctx, h: string[]): void {
  const ids = d.contexts.map((c) => c.id);
  h.push('<section id="data"><h2>Data ownership</h2><p class="muted">Tables × contexts: <b>W</b> writes, <b>r</b> reads; the owner is outlined. Shared tables are the coupling a split must break first.</p><div class="scroll"><table id="ownership"><tr><th>table</th><th>owner</th>');
  for (const id of ids) h.push(`<th class="vert">${sw(id)}${name(id)}</th>`);
  h.push('<th></th></tr>');
  for (const t of d.tables) {
    h.push(`<tr><td><code>${escapeHtml(t.name)}</code></td><td>${t.owner ? sw(t.owner) + name(t.owner) : '—'}</td>`);
    for (const id of ids) {
      const acc = t.access[id];
      h.push(`<td class="cell${t.owner === id ? ' owner' : ''}${acc === 'write' ? ' w' : acc ? ' r' : ''}">${acc === 'write' ? 'W' : acc ? 'r' : ''}</td>`);
    }
    h.push(`<td>${t.shared ? '<span class="tag">shared</span>' : ''}</td></tr>`);
  }
  h.push('</table></div></section>');
}

function plan({ d, sw, name }: Ctx, h: string[]): void {
  h.push('<section id="plan"><h2>Extraction plan</h2><ol class="plan">');
  for (const p of d.plan) {
    h.push(`<li>${sw(p.context)}<b>${name(p.context)}</b> — ${escapeHtml(p.reason)}`);
    if (p.sharedWriteTables.length) h.push(`<div class="muted">shared tables it writes: ${p.sharedWriteTables.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')}</div>`);
    if (p.seamsToCut.length) h.push(`<ul>${p.seamsToCut.map((s) => `<li>cut ${name(s.from)} → ${name(s.to)} (${s.calls} use sites)</li>`).join('')}</ul>`);
    h.push('</li>');
  }
  h.push('</ol></section>');
}

function decisions({ d, sw, name }: Ctx, h: string[]): void {
  h.push('<section id="decisions"><h2>Decisions for the architect</h2>');
  if (d.lowConfidence.length === 0) h.push('<p>No file was placed with low confidence.</p>');
  else {
    h.push('<p class="muted">Files the seeded runs disagreed on: check where they belong, then pin them in ficus.analyze.yaml.</p><table><tr><th>file</th><th>placed in</th><th class="num">confidence</th><th>alternative</th></tr>');
    for (const f of d.lowConfidence) h.push(`<tr><td><code>${escapeHtml(f.path)}</code></td><td>${sw(f.context)}${name(f.context)}</td><td class="num">${f.confidence.toFixed(2)}</td><td>${f.alternative ? sw(f.alternative) + name(f.alternative) : '—'}</td></tr>`);
    h.push('</table>');
  }
  h.push('</section>');
}

function provenance({ d }: Ctx, h: string[]): void {
  h.push('<section id="provenance"><h2>How this was produced</h2><table><tr><th>signal</th><th class="num">weight</th><th class="num">edges</th><th>note</th></tr>');
  for (const s of d.signals) h.push(`<tr><td>${escapeHtml(s.name)}</td><td class="num">${s.weight}</td><td class="num">${s.edges}</td><td>${escapeHtml(s.note ?? '')}</td></tr>`);
  h.push(`</table><p>Reproduce with <code>${escapeHtml(d.run.command)}</code> (ficus ${escapeHtml(d.run.version)}, seed ${d.run.seed}, ${d.run.runs} runs, resolution ${d.run.resolution.toFixed(3)}).</p>`);
  if (d.source.failed.length) h.push(`<details><summary>${d.source.failed.length} files could not be analysed</summary>${d.source.failed.map((f) => `<div><code>${escapeHtml(f.path)}</code> ${escapeHtml(f.reason)}</div>`).join('')}</details>`);
  h.push('</section>');
}

export function renderDecompositionHtml(d: Decomposition): string {
  const color = contextColors(d);
  const names = new Map(d.contexts.map((c) => [c.id, c.name]));
  const ctx: Ctx = {
    d,
    color,
    name: (id) => escapeHtml(names.get(id) ?? id),
    sw: (id) => `<span class="swatch" style="background:${color.get(id) ?? '#ccc'}"></span>`,
  };
  const domains = d.contexts.filter((c) => c.kind === 'domain').length;
  const h: string[] = [];
  h.push('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">');
  h.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`);
  h.push(`<title>ficus — decomposition of ${escapeHtml(d.source.root)}</title><style>${CSS}</style></head><body>`);
  h.push(`<header><h1>Decomposition of <code>${escapeHtml(d.source.root)}</code></h1>`);
  h.push(`<div class="muted">${domains} candidate contexts · ${d.source.files} files · ${d.source.lines.toLocaleString('en-US')} lines${d.source.commit ? ` · commit <code>${escapeHtml(d.source.commit.slice(0, 12))}</code>` : ''} · generated ${escapeHtml(d.run.generatedAt)}</div>`);
  h.push('<nav><a href="#overview">Overview</a><a href="#explore">Graph</a><a href="#matrix">Dependencies</a><a href="#data">Data</a><a href="#plan">Plan</a><a href="#decisions">Decisions</a><a href="#provenance">Provenance</a></nav></header><main>');
  overview(ctx, h);
  explorer(ctx, h);
  matrix(ctx, h);
  ownership(ctx, h);
  plan(ctx, h);
  decisions(ctx, h);
  provenance(ctx, h);
  h.push('</main>');
  h.push(`<script type="application/json" id="ficus-data">${scriptJson(buildView(d, color))}</script>`);
  h.push(`<script>${DECOMPOSITION_CLIENT_JS}</script></body></html>\n`);
  return h.join('');
}
