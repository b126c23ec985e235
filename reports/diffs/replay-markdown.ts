/**
 * Markdown rendering of a replay result, for pull requests and CI summaries: the verdict, the
 * count per class, the classes per route, the paths that still or newly differ, then the
 * records to look at with their paths (new ones marked), and for the first of them the
 * baseline's and target's answers side by side.
 */
import type { ReplayOutcome, ReplayResult } from '../../gateway/index.js';
import { percent } from './chart.js';
import { cellCode, code, differenceMd, sideBySideMd } from './md.js';
import { buildReplayView, CLASS_LABEL, type ReplayView } from './replay-view.js';

/** Outcomes shown with their answers side by side; the others get a line each. */
const MAX_DETAILED = 10;

function outcomeLine(o: ReplayOutcome): string {
  const fresh = new Set(o.newPaths);
  const paths = o.differences.map((d) => `${code(d.path)}${fresh.has(d.path) ? ' (new)' : ''}`);
  const what =
    o.class === 'error' || o.class === 'skipped'
      ? (o.reason ?? CLASS_LABEL[o.class])
      : paths.length > 0
        ? paths.slice(0, 12).join(', ') + (paths.length > 12 ? `, … ${paths.length - 12} more` : '')
        : '—';
  return `- ${code(`${o.request.method} ${o.request.url}`)} on ${code(o.route)} (record ${code(o.id)}): ${what}`;
}

function detail(o: ReplayOutcome, r: ReplayResult, n: number): string[] {
  const fresh = new Set(o.newPaths);
  const out = [`#### ${n}. ${code(`${o.request.method} ${o.request.url}`)} — ${CLASS_LABEL[o.class]}`, ''];
  for (const d of o.differences) out.push(`- ${fresh.has(d.path) ? '**new** ' : ''}${differenceMd(d, r.baseline ? 'baseline' : 'recorded', 'target')}`);
  if (o.recorded.length > 0) out.push(`- differed when recorded: ${o.recorded.map((d) => code(d.path)).join(', ')}`);
  out.push('', ...sideBySideMd({ role: 'baseline', response: o.baseline }, { role: 'target', response: o.target }), '');
  return out;
}

function sections(v: ReplayView, out: string[]): void {
  const r = v.result;
  out.push('## Summary', '', '| class | records | share |', '| --- | ---: | ---: |');
  for (const c of v.classes) out.push(`| ${CLASS_LABEL[c.cls]} | ${c.count} | ${percent(c.share)} |`);
  out.push(
    '',
    '## Per route',
    '',
    `| route | records | ${v.classes.map((c) => CLASS_LABEL[c.cls]).join(' | ')} |`,
    `| --- | ---: | ${v.classes.map(() => '---:').join(' | ')} |`,
  );
  for (const route of v.routes) out.push(`| ${cellCode(route.route)} | ${route.total} | ${v.classes.map((c) => route.counts[c.cls]).join(' | ')} |`);
  out.push('');
  if (v.paths.length > 0) {
    out.push('## Paths that still differ', '', '| route | path | still different | newly different |', '| --- | --- | ---: | ---: |');
    for (const p of v.paths) out.push(`| ${cellCode(p.route)} | ${cellCode(p.path)} | ${p.still} | ${p.newly} |`);
    out.push('');
  }
  out.push('## Records to look at', '');
  if (v.listed.length === 0) out.push('None: every replayed record is fixed.', '');
  for (const cls of ['still-different', 'newly-different', 'error', 'skipped'] as const) {
    const of = v.listed.filter((o) => o.class === cls);
    if (of.length === 0) continue;
    out.push(`### ${CLASS_LABEL[cls]} (${of.length})`, '', ...of.map(outcomeLine), '');
  }
  if (v.leftOut > 0) out.push(`${v.leftOut} more records are left out; see the replay.json.`, '');
  const detailed = v.listed.filter((o) => o.class === 'still-different' || o.class === 'newly-different').slice(0, MAX_DETAILED);
  if (detailed.length > 0) {
    out.push('### Answers side by side', '');
    detailed.forEach((o, i) => out.push(...detail(o, r, i + 1)));
  }
}

export function renderReplayMarkdown(result: ReplayResult): string {
  const v = buildReplayView(result);
  const out = [`# Replay against ${code(result.target)}`, ''];
  out.push(
    `Records from ${code(result.source)}${result.route ? `, route ${code(result.route)}` : ''}; baseline ${result.baseline ? code(result.baseline) : 'the recorded monolith answers'}; replayed ${result.at}.`,
    '',
  );
  const bad = result.outcomes.length - v.classes.filter((c) => c.cls === 'fixed' || c.cls === 'skipped').reduce((n, c) => n + c.count, 0);
  out.push(v.passed ? '**Nothing still differs.**' : `**${bad} of ${result.outcomes.length} records are not fixed.**`, '');
  sections(v, out);
  return out.join('\n');
}
