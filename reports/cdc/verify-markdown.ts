/**
 * Markdown rendering of a `ficus cdc verify` result, for pull requests and runbooks: a
 * summary table, then per table the key, what was and was not compared, and the missing,
 * extra and different rows by key (different rows with their column values on each side).
 */
import type { TableVerifyResult, VerifyResult } from '../../cdc/index.js';
import { LISTED, clip, counts, keyText, recheckText, repairText, verdict } from './verify-view.js';

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

function more(n: number): string[] {
  return n > LISTED ? [`- … and ${n - LISTED} more (see the JSON result)`] : [];
}

function table(t: TableVerifyResult): string[] {
  const out: string[] = [`## ${code(t.from)} → ${code(t.to)}: ${t.status}`, ''];
  if (t.problem) out.push(`**${t.problem.code}**: ${cell(t.problem.message)}`, '');
  if (t.key.length) out.push(`Key: ${t.key.map(code).join(', ')}. Compared: ${t.compared.map(code).join(', ') || '(none)'}.`, '');
  if (t.notCompared.length) {
    out.push('Not compared:', '');
    for (const n of t.notCompared) out.push(`- ${code(n.column)}: ${n.reason}`);
    out.push('');
  }
  if (t.filter) out.push(`Filter on the source: ${code(t.filter)}`, '');
  if (t.status === 'refused' || t.status === 'error') return out;
  out.push(
    `${t.rows.source} source rows, ${t.rows.target} target rows; ${t.chunks.total} chunks (${t.chunks.method}, ${t.chunks.chunkRows} rows each), ${t.chunks.mismatched} mismatched; ` +
      `narrowing ran ${t.narrowing.queries} queries and fetched ${t.narrowing.rowsFetched} rows; ${recheckText(t)}; ${t.durationMs} ms.`,
    '',
  );
  const repair = repairText(t);
  if (repair) out.push(`${repair[0]?.toUpperCase()}${repair.slice(1)}.`, '');
  const m = t.mismatches;
  if (m.truncated) out.push(`More rows differ than were listed: the lists hold the first ${m.missing.length + m.extra.length + m.different.length}.`, '');
  if (m.missing.length) {
    out.push(`### Missing in the target (${m.missing.length})`, '');
    for (const k of m.missing.slice(0, LISTED)) out.push(`- ${code(keyText(k))}`);
    out.push(...more(m.missing.length), '');
  }
  if (m.extra.length) {
    out.push(`### Extra in the target (${m.extra.length})`, '');
    for (const k of m.extra.slice(0, LISTED)) out.push(`- ${code(keyText(k))}`);
    out.push(...more(m.extra.length), '');
  }
  if (m.different.length) {
    out.push(`### Different (${m.different.length})`, '', '| key | column | source (mapped) | target |', '| --- | --- | --- | --- |');
    for (const d of m.different.slice(0, LISTED)) {
      for (const c of d.columns) out.push(`| ${cell(keyText(d.key))} | ${cell(c.column)} | ${cell(clip(c.source))} | ${cell(clip(c.target))} |`);
    }
    out.push(...more(m.different.length), '');
  }
  return out;
}

export function renderVerifyMarkdown(r: VerifyResult): string {
  const out: string[] = [`# CDC verify: ${verdict(r)}`, ''];
  out.push(`Source ${code(r.source)}, target ${code(r.target)}; started ${r.startedAt}, took ${r.durationMs} ms${r.repaired ? '; repair was on' : ''}.`, '');
  out.push('| source table | target table | status | source rows | target rows | chunks | mismatched chunks | missing | extra | different |');
  out.push('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const t of r.tables) {
    const c = counts(t);
    out.push(
      `| ${cell(t.from)} | ${cell(t.to)} | ${t.status} | ${t.rows.source} | ${t.rows.target} | ${t.chunks.total} | ${t.chunks.mismatched} | ${c.missing} | ${c.extra} | ${c.different} |`,
    );
  }
  out.push('');
  for (const t of r.tables) out.push(...table(t));
  return `${out.join('\n').trimEnd()}\n`;
}
