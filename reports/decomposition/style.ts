/** The decomposition report's stylesheet, inlined into the HTML. */
export const CSS = `
:root{--fg:#1d2433;--muted:#5b6475;--line:#e3e6ec;--bg:#fafbfc;--accent:#2f6f4f;--card:#fff}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:20px 32px 0;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:5}h1{margin:0 0 4px;font-size:21px}
nav{display:flex;gap:18px;margin-top:10px}nav a{color:var(--muted);text-decoration:none;padding:6px 0 8px;border-bottom:2px solid transparent}nav a:hover{color:var(--fg);border-color:var(--accent)}
main{padding:8px 32px 48px;max-width:1400px}h2{margin:32px 0 8px;font-size:18px}h3{margin:4px 0;font-size:16px}h4{margin:12px 0 4px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.muted{color:var(--muted)}section{scroll-margin-top:110px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}.card b{font-size:22px;display:block;margin:2px 0}
table{border-collapse:collapse;background:#fff;border:1px solid var(--line);width:100%;margin:8px 0}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{background:#f3f5f8;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
tr[data-select-context]{cursor:pointer}tr[data-select-context]:hover,tr[data-select-context].active{background:#f0f6f2}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
.scroll{overflow:auto}.heat td.cell{text-align:center;min-width:44px}
#ownership td.cell{text-align:center;min-width:34px;font-weight:600}#ownership td.w{background:#fde2d6;color:#9a3412}#ownership td.r{background:#e0ecfb;color:#1e4f8a}#ownership td.owner{outline:2px solid #1d2433;outline-offset:-2px}
th.vert{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500}
.tag{display:inline-block;padding:0 6px;border-radius:4px;background:#fde8e8;color:#9b1c1c;font-size:12px}.tag.kernel{background:#eceef1;color:#454b55}
details{margin:4px 0}summary{cursor:pointer;color:var(--accent)}
.explorer{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:12px;height:680px}
.graph-wrap{position:relative;background:#fff;border:1px solid var(--line);border-radius:8px;overflow:hidden}#graph{position:absolute;inset:0}
#tooltip{position:absolute;pointer-events:none;background:#1d2433;color:#fff;padding:4px 8px;border-radius:4px;font-size:12px;max-width:420px;z-index:3}
.no-webgl{padding:24px;color:var(--muted)}
#panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px;overflow:auto}
#search{width:100%;padding:7px 9px;border:1px solid var(--line);border-radius:6px;font:inherit;margin:4px 0}
#search-results{list-style:none;margin:0 0 8px;padding:0;max-height:200px;overflow:auto}#search-results li{padding:2px 0;word-break:break-all}
#context-list{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 12px}
#context-list button{font:inherit;font-size:13px;border:1px solid var(--line);background:#fff;border-radius:14px;padding:2px 10px;cursor:pointer}
#context-list button.active{border-color:var(--fg);background:#f0f6f2}
#details ul{padding-left:18px;margin:2px 0}#details li{word-break:break-word}#details a{color:var(--fg)}
ol.plan li{margin:6px 0}
@media (max-width:980px){.explorer{grid-template-columns:1fr;height:auto}.graph-wrap{height:520px}}
`;
