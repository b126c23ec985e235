/**
 * HTML rendering of a `ficus cdc verify` result: one self-contained page (inline CSS, no
 * script, nothing fetched) with a summary table and per table the key, what was and was not
 * compared, and the missing, extra and different rows by key in collapsible lists.
 */
import type { TableVerifyResult, VerifyResult } from '../../cdc/index.js';
import { escapeHtml as e } from '../decomposition/html.js';
import { LISTED, clip, counts, keyText, overall, recheckText, repairText, verdict } from './verify-view.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2329}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-top:1px solid #dde1e6;padding-top:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #e6e9ed;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font:12.5px ui-monospace,Menlo,Consolas,monospace;background:#f3f5f7;padding:0 .2rem;border-radius:3px}
.muted{color:#66707a}.tag{display:inline-block;border-radius:10px;padding:0 .55rem;font-size:12px;font-weight:600}
.equal{background:#dcf3e3;color:#17632f}.different{background:#fde1df;color:#9c1c12}.refused,.error{background:#fff0cc;color:#7a5400}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}ul{margin:.3rem 0 .3rem 1.2rem;padding:0}.problem{background:#fff7e0;padding:.5rem .75rem;border-radius:4px}
`;

const tag = (status: string): string => `<span class="tag ${e(status)}">${e(status)}</span>`;

function list(title: string, keys: readonly string[]): string {
  if (keys.length === 0) return '';
  const items = keys.slice(0, LISTED).map((k) => `<li><code>${e(k)}</code></li>`);
  if (keys.length > LISTED) items.push(`<li class="muted">… and ${keys.length - LISTED} more (see the JSON result)</li>`);
  return `<details open><summary>${e(title)} (${keys.length})</summary><ul>${items.join('')}</ul></details>`;
}

function section(t: TableVerifyResult): string {
  const h: string[] = [`<h2><code>${e(t.from)}</code> → <code>${e(t.to)}</code> ${tag(t.status)}</h2>`];
  if (t.problem) h.push(`<p class="problem"><b>${e(t.problem.code)}</b>: ${e(t.problem.message)}</p>`);
  if (t.key.length) h.push(`<p>Key: ${t.key.map((k) => `<code>${e(k)}</code>`).join(', ')}. Compared: ${t.compared.map((k) => `<code>${e(k)}</code>`).join(', ') || '(none)'}.</p>`);
  if (t.notCompared.length) h.push(`<p>Not compared:</p><ul>${t.notCompared.map((n) => `<li><code>${e(n.column)}</code>: ${e(n.reason)}</li>`).join('')}</ul>`);
  if (t.filter) h.push(`<p>Filter on the source: <code>${e(t.filter)}</code></p>`);
  if (t.status === 'refused' || t.status === 'error') return h.join('\n');
  h.push(
    `<p class="muted">${t.rows.source} source rows, ${t.rows.target} target rows; ${t.chunks.total} chunks (${e(t.chunks.method)}, ${t.chunks.chunkRows} rows each), ${t.chunks.mismatched} mismatched; narrowing ran ${t.narrowing.queries} queries and fetched ${t.narrowing.rowsFetched} rows; ${e(recheckText(t))}; ${t.durationMs} ms.</p>`,
  );
  const repair = repairText(t);
  if (repair) h.push(`<p>${e(repair)}.</p>`);
  const m = t.mismatches;
  if (m.truncated) h.push(`<p class="problem">More rows differ than were listed: the lists hold the first ones found.</p>`);
  h.push(list('Missing in the target', m.missing.map(keyText)));
  h.push(list('Extra in the target', m.extra.map(keyText)));
  if (m.different.length) {
    const rows = m.different
      .slice(0, LISTED)
      .flatMap((d) => d.columns.map((c) => `<tr><td><code>${e(keyText(d.key))}</code></td><td><code>${e(c.column)}</code></td><td>${e(clip(c.source))}</td><td>${e(clip(c.target))}</td></tr>`));
    if (m.different.length > LISTED) rows.push(`<tr><td colspan="4" class="muted">… and ${m.different.length - LISTED} more (see the JSON result)</td></tr>`);
    h.push(
      `<details open><summary>Different (${m.different.length})</summary><table><thead><tr><th>key</th><th>column</th><th>source (mapped)</th><th>target</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`,
    );
  }
  return h.join('\n');
}

export function renderVerifyHtml(r: VerifyResult): string {
  const rows = r.tables.map((t) => {
    const c = counts(t);
    return `<tr><td><code>${e(t.from)}</code></td><td><code>${e(t.to)}</code></td><td>${tag(t.status)}</td><td class="n">${t.rows.source}</td><td class="n">${t.rows.target}</td><td class="n">${t.chunks.total}</td><td class="n">${t.chunks.mismatched}</td><td class="n">${c.missing}</td><td class="n">${c.extra}</td><td class="n">${c.different}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CDC verify: ${e(verdict(r))}</title><style>${STYLE}</style></head>
<body data-equal="${r.equal}">
<h1>CDC verify ${tag(overall(r))}</h1>
<p class="muted">Source <code>${e(r.source)}</code>, target <code>${e(r.target)}</code>; started ${e(r.startedAt)}, took ${r.durationMs} ms${r.repaired ? '; repair was on' : ''}. ${e(verdict(r))}.</p>
<table><thead><tr><th>source table</th><th>target table</th><th>status</th><th class="n">source rows</th><th class="n">target rows</th><th class="n">chunks</th><th class="n">mismatched chunks</th><th class="n">missing</th><th class="n">extra</th><th class="n">different</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>
${r.tables.map(section).join('\n')}
</body></html>
`;
}
