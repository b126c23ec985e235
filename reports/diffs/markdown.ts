/**
 * Markdown rendering of shadow differences, for wikis and pull requests: the same content as
 * the HTML report — totals per route, the timeline of each route as a sparkline with its peak,
 * the paths that differ most, and an example per path with both answers side by side.
 */
import { bucketText, percent, timeLabel } from './chart.js';
import { cell, cellCode, code, differenceMd, requestMd, sideBySideMd, sparkline } from './md.js';
import { ALL_ROUTES, type DiffReportInput, type DiffView, type RouteView } from './model.js';
import { buildDiffView } from './view.js';

/** Examples written out in full; the table lists every kept path. */
const MAX_EXAMPLES = 30;

const count = (n: number | null): string => (n === null ? '—' : n.toLocaleString('en-US'));
const routeCell = (route: string): string => (route === ALL_ROUTES ? '**all routes**' : cellCode(route));

function peak(r: RouteView, long: boolean): string {
  let best: { v: number; at: string } | null = null;
  for (const b of r.timeline) {
    const v = r.tallied ? b.rate : b.different;
    if (v !== null && v > 0 && (best === null || v > best.v)) best = { v, at: b.start };
  }
  if (best === null) return '—';
  return `${r.tallied ? percent(best.v) : `${best.v}`} at ${timeLabel(best.at, long)}`;
}

function overview(v: DiffView, out: string[]): void {
  out.push('## Overview', '');
  if (!v.tallied) {
    out.push(
      '> **Counts only.** No comparison tallies were found beside these records, so this report counts the recorded differences but cannot say what share of traffic they are. Gateways write tallies (`tallies-<day>.ndjson`, or the `<table>_tallies` table) beside the records.',
      '',
    );
  }
  out.push('| route | comparisons | differing | diff rate | noise only | noise share | records |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of v.routes) {
    const t = r.totals;
    out.push(
      `| ${routeCell(r.route)} | ${count(t.compared)} | ${count(t.different)} | ${percent(t.rate)} | ${count(t.noise)} | ${percent(t.noiseShare)} | ${count(t.records)} |`,
    );
  }
  out.push('');
}

function timeline(v: DiffView, out: string[]): void {
  out.push(`## ${v.tallied ? 'Diff rate over time' : 'Differences over time'}`, '');
  if (v.span === null) {
    out.push('Nothing was compared or recorded.', '');
    return;
  }
  const long = v.span.from.slice(0, 10) !== v.span.to.slice(0, 10);
  out.push(
    `${bucketText(v.bucketMs)} buckets, UTC, ${v.span.from.slice(0, 16).replace('T', ' ')} to ${v.span.to.slice(0, 16).replace('T', ' ')}; ${v.tallied ? 'each character is the share of that bucket’s comparisons that differed (· no tally)' : 'each character counts the differences recorded in that bucket'}.`,
    '',
    `| route | over time | peak |`,
    '| --- | --- | --- |',
  );
  for (const r of v.routes)
    out.push(
      `| ${routeCell(r.route)} | ${code(sparkline(r.timeline.map((b) => (r.tallied ? (b.compared === null ? null : (b.rate ?? 0)) : b.different))))} | ${peak(r, long)} |`,
    );
  out.push('');
}

function paths(v: DiffView, out: string[]): void {
  out.push('## Paths that differ most', '');
  if (v.paths.length === 0) {
    out.push('No differences were recorded.', '');
    return;
  }
  out.push('Per route, the paths with the most differing records (array indices counted together as `[*]`).', '');
  out.push('| # | route | path | kinds | records | noise share | last seen |', '| ---: | --- | --- | --- | ---: | ---: | --- |');
  v.paths.forEach((p, i) =>
    out.push(
      `| ${i + 1} | ${cellCode(p.route)} | ${cellCode(p.path)} | ${cell(p.kinds.join(', '))} | ${count(p.records)} | ${percent(p.noiseShare)} | ${p.lastAt.slice(0, 16).replace('T', ' ')} |`,
    ),
  );
  if (v.pathsLeftOut > 0) out.push('', `${v.pathsLeftOut} less frequent paths are left out.`);
  out.push('', '## Examples', '');
  v.paths.slice(0, MAX_EXAMPLES).forEach((p, i) => {
    const e = p.example;
    out.push(`### ${i + 1}. ${code(p.path)} on ${code(p.route)}`, '');
    out.push(`Record ${code(e.id)} at ${e.at}${e.noise ? ' (noise only)' : ''}.`, '');
    out.push(differenceMd(e.difference, `primary (${e.primary.target})`, `shadow (${e.shadow.target})`), '');
    out.push(...requestMd(e.request), '');
    out.push(...sideBySideMd({ role: 'primary', response: e.primary }, { role: 'shadow', response: e.shadow }), '');
  });
  if (v.paths.length > MAX_EXAMPLES) out.push(`Examples for the other ${v.paths.length - MAX_EXAMPLES} paths are in the HTML report.`, '');
}

export function renderDiffViewMarkdown(v: DiffView): string {
  const all = v.routes[0] as RouteView;
  const out: string[] = [`# Shadow differences in ${code(v.source)}`, ''];
  out.push(
    `${v.routes.length - 1} routes · ${count(all.totals.records)} records${v.tallied ? ` · ${count(all.totals.compared)} comparisons` : ' · no tallies'}${v.generatedAt ? ` · generated ${v.generatedAt}` : ''}.`,
    '',
  );
  overview(v, out);
  timeline(v, out);
  paths(v, out);
  return out.join('\n');
}

export function renderDiffReportMarkdown(input: DiffReportInput): string {
  return renderDiffViewMarkdown(buildDiffView(input));
}
