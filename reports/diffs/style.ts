/** The diff and replay reports' stylesheet: the decomposition report's base, plus charts, path lists and side-by-side answers. */
import { CSS as BASE } from '../decomposition/style.js';

export const CSS = `${BASE}
.cards .card b.bad{color:#b42318}.notice{background:#fff7e0;border:1px solid #f1d58a;border-radius:8px;padding:8px 12px;margin:12px 0}
.pills{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
.pills button{font:inherit;font-size:13px;border:1px solid var(--line);background:#fff;border-radius:14px;padding:2px 10px;cursor:pointer}
.pills button.active{border-color:var(--fg);background:#f0f6f2}
.chart-wrap{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 10px}
svg.chart{display:block;max-width:100%;height:auto}svg.chart[hidden]{display:none}
svg.chart .grid{stroke:#eceef2}svg.chart .base{stroke:#9aa3b2}svg.chart .axis{font:11px system-ui,sans-serif;fill:#5b6475}
svg.chart .hit{fill:transparent}svg.chart .col:hover .hit{fill:#f3f5f8}
svg.chart .diff{fill:#d64545}svg.chart .noise{fill:#e0a100}svg.chart .gap{fill:#c9ced6}
.legend{display:flex;gap:14px;font-size:12px;color:var(--muted);margin:4px 0}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:baseline}
#readout{min-height:1.5em;font-size:13px}
tr[data-select-route]{cursor:pointer}tr[data-select-route]:hover,tr[data-select-route].active{background:#f0f6f2}
.share{display:inline-block;height:8px;background:#e0a100;border-radius:2px;vertical-align:middle;margin-right:6px}
details.path{background:#fff;border:1px solid var(--line);border-radius:8px;margin:6px 0}
details.path>summary{display:grid;grid-template-columns:minmax(0,1fr) 110px 90px 130px;gap:10px;align-items:baseline;padding:8px 12px;list-style:none}
details.path>summary::-webkit-details-marker{display:none}.caret::before{content:'▸ ';color:var(--muted)}details[open]>summary .caret::before{content:'▾ '}
details.path>summary code{word-break:break-all}
details.path .body{padding:4px 12px 12px;border-top:1px solid var(--line)}
.side{display:grid;grid-template-columns:1fr 1fr;gap:12px}.side>div{min-width:0}
.side h4{margin:8px 0 4px}pre{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px;margin:4px 0;overflow:auto;max-height:420px;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;word-break:break-word}
.value{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:6px 0}.value code{word-break:break-all}
.k-different{color:#b42318}.k-noise{color:#9a6700}.k-fixed{color:#1a7f37}.k-error{color:#b42318}.k-skipped{color:var(--muted)}
.tag.new{background:#e0ecfb;color:#1e4f8a}
#path-filter{padding:6px 9px;border:1px solid var(--line);border-radius:6px;font:inherit;min-width:280px}
@media (max-width:980px){.side{grid-template-columns:1fr}details.path>summary{grid-template-columns:1fr 80px}}
`;
