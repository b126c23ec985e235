/**
 * Markdown rendering of a Decomposition, for wikis and pull requests: the same content as the
 * HTML report, with a mermaid diagram of the dependencies between contexts.
 */
import type { Decomposition } from '../../analyzer/index.js';
import { METRIC_EXPLANATIONS, formatMetric } from './explain.js';

const esc = (s: string) => s.replace(/\|/g, '\\|');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function mermaid(d: Decomposition): string[] {
  const ids = new Map(d.contexts.map((c, i) => [c.id, `c${i}`]));
  const lines = ['```mermaid', 'graph LR'];
  for (const c of d.contexts) lines.push(`  ${ids.get(c.id)}["${c.name.replace(/"/g, "'")} (${c.members.length})"]`);
  for (const s of d.seams) lines.push(`  ${ids.get(s.from)} -->|${s.calls}| ${ids.get(s.to)}`);
  lines.push('```');
  return lines;
}

export function renderDecompositionMarkdown(d: Decomposition): string {
  const name = (id: string) => d.contexts.find((c) => c.id === id)?.name ?? id;
  const out: string[] = [];
  out.push(`# Decomposition of ${code(d.source.root)}`, '');
  out.push(
    `${d.contexts.filter((c) => c.kind === 'domain').length} candidate contexts from ${d.source.files} files ` +
      `(${d.source.lines.toLocaleString('en-US')} lines)${d.source.commit ? ` at commit ${code(d.source.commit.slice(0, 12))}` : ''}.`,
    '',
  );
  out.push('## Metrics', '', '| metric | value | better | meaning |', '| --- | --- | --- | --- |');
  for (const [key, m] of Object.entries(METRIC_EXPLANATIONS)) {
    const v = d.metrics[key as keyof typeof d.metrics];
    if (typeof v === 'number') out.push(`| ${m.label} | ${formatMetric(key, v)} | ${m.better} | ${m.text} |`);
  }
  out.push('', `SM, ICP, IFN and NED are computed on ${d.metrics.basis.replace(/-/g, ' ')}.`, '');
  out.push('## Contexts', '', '| context | files | lines | stability | cohesion | coupling | endpoints | tables |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of d.contexts) {
    const m = c.metrics;
    out.push(
      `| ${esc(c.name)} (${code(c.id)}) | ${m.files} | ${m.lines} | ${m.stability.toFixed(2)} | ${m.cohesion.toFixed(2)} | ${m.coupling.toFixed(2)} | ${c.endpoints.length} | ${c.tables.length} |`,
    );
  }
  out.push('', '### Dependencies between contexts', '', ...mermaid(d), '');
  for (const c of d.contexts) {
    out.push(`### ${c.name}`, '');
    if (c.naming.length) out.push(`Named after: ${c.naming.map(esc).join(', ')}.`, '');
    out.push('<details><summary>' + `${c.members.length} files` + '</summary>', '', ...c.members.map((m) => `- ${code(m)}`), '', '</details>', '');
    if (c.endpoints.length) out.push('Endpoints: ' + c.endpoints.map((e) => code(`${e.method} ${e.path}`)).join(', '), '');
    if (c.tables.length) out.push('Tables: ' + c.tables.map((t) => `${code(t.name)} (${t.access})`).join(', '), '');
  }
  out.push('## Seams', '', '| from | to | use sites | symbols |', '| --- | --- | --- | --- |');
  for (const s of d.seams) {
    const symbols = s.symbols.slice(0, 8).map(code).join(', ') + (s.symbols.length > 8 ? `, … (${s.symbols.length})` : '');
    out.push(`| ${esc(name(s.from))} | ${esc(name(s.to))} | ${s.calls} | ${symbols} |`);
  }
  out.push('', '## Data ownership', '', '| table | owner | used by | shared |', '| --- | --- | --- | --- |');
  for (const t of d.tables) {
    const users = t.usedBy.map((u) => `${esc(name(u))} (${t.access[u]})`).join(', ');
    out.push(`| ${code(t.name)} | ${t.owner ? esc(name(t.owner)) : '—'} | ${users} | ${t.shared ? '**yes**' : 'no'} |`);
  }
  out.push('', '## Extraction plan', '');
  for (const p of d.plan) {
    out.push(`${p.step}. **${esc(name(p.context))}** — ${p.reason}.`);
    for (const s of p.seamsToCut) out.push(`   - cut ${esc(name(s.from))} → ${esc(name(s.to))} (${s.calls} use sites)`);
  }
  out.push('', '## Decisions for the architect', '');
  if (d.lowConfidence.length === 0) out.push('No file was placed with low confidence.');
  else {
    out.push('Files the clustering was least sure of:', '', '| file | placed in | confidence | alternative |', '| --- | --- | --- | --- |');
    for (const f of d.lowConfidence) {
      out.push(`| ${code(f.path)} | ${esc(name(f.context))} | ${f.confidence.toFixed(2)} | ${f.alternative ? esc(name(f.alternative)) : '—'} |`);
    }
  }
  out.push('', '## How this was produced', '', '| signal | weight | edges | note |', '| --- | --- | --- | --- |');
  for (const s of d.signals) out.push(`| ${s.name} | ${s.weight} | ${s.edges} | ${s.note ? esc(s.note) : ''} |`);
  out.push('', `Reproduce with: ${code(d.run.command)} (ficus ${d.run.version}, seed ${d.run.seed}, ${d.run.runs} runs, resolution ${d.run.resolution.toFixed(3)}).`, '');
  return out.join('\n');
}
