/**
 * The dashboard's two pages as HTML strings: the login form (asks for the admin token, posts
 * it to /ui/login) and the dashboard shell the script in ui-client.ts fills. Self-contained: no
 * external scripts, styles or fonts; the inline script and style carry a per-response nonce the
 * Content-Security-Policy names, and the page may only connect back to its own origin.
 */
import { dashboardMain } from './ui-client.js';

export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
header { background: #213547; color: #fff; padding: 10px 20px; display: flex; gap: 16px; align-items: baseline; }
header h1 { font-size: 18px; margin: 0; } header .meta { opacity: .8; font-size: 12px; }
main { padding: 16px 20px; } section { background: #fff; border: 1px solid #dde2e8; border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; }
h2 { font-size: 15px; margin: 0 0 8px; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eef1f4; vertical-align: top; font-variant-numeric: tabular-nums; }
th { font-size: 12px; color: #5b6877; font-weight: 600; }
.mode { padding: 1px 6px; border-radius: 8px; font-size: 12px; background: #e8edf2; }
.mode.shadow { background: #fff2cc; } .mode.canary { background: #dcefff; } .mode.service { background: #d9f5df; }
.rollout { display: flex; gap: 6px; align-items: center; } .steps { display: flex; gap: 2px; }
.step { font-size: 11px; padding: 0 4px; border-radius: 3px; background: #eef1f4; color: #5b6877; }
.step.done { background: #9fd9a9; color: #123; } .step.now { background: #3b82f6; color: #fff; } .step.back { background: #f3c1c1; }
.phase { font-size: 12px; } .phase.rolled-back, .phase.aborted { color: #b42318; font-weight: 600; } .phase.migrated { color: #137333; font-weight: 600; }
#status.ok { color: #9fd9a9; } #status.bad { color: #ffb4a8; }
ul { margin: 0; padding-left: 18px; } form { display: flex; gap: 8px; margin-top: 8px; } input { flex: 1; padding: 6px; }
.error { color: #b42318; } form.logout { margin: 0 0 0 auto; }
`;

function page(nonce: string, title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${title}</title><style nonce="${nonce}">${STYLE}</style></head>
<body>${body}${script && `<script nonce="${nonce}">${script}</script>`}</body></html>`;
}

export function loginPage(nonce: string, error?: string): string {
  return page(
    nonce,
    'ficus gateway — sign in',
    `<header><h1>ficus gateway</h1><span class="meta">migration dashboard</span></header>
<main><section><h2>Admin token</h2><p>The token in <code>admin.token</code>, or the one the gateway printed at start.</p>
${error ? `<p class="error" id="login-error">${error}</p>` : ''}
<form method="post" action="/ui/login"><input type="password" name="token" id="token" autocomplete="current-password" autofocus aria-label="admin token"><button type="submit" id="sign-in">Sign in</button></form></section></main>`,
  );
}

export function dashboardPage(nonce: string, refreshMs: number): string {
  const head = (cells: string[]): string => `<tr>${cells.map((c) => `<th>${c}</th>`).join('')}</tr>`;
  return page(
    nonce,
    'ficus gateway — migration dashboard',
    `<header><h1>ficus gateway</h1><span class="meta">config loaded <span id="loaded"></span></span><span class="meta" id="status"></span>
<form method="post" action="/ui/logout" class="logout"><button type="submit">Sign out</button></form></header>
<main>
<section><h2>Routes</h2><table><thead>${head(['Route', 'Path', 'Mode', 'Weight', 'Rollout', 'Requests', 'Errors', 'p50 / p99 ms', 'Diff rate', 'Compared', 'Drops'])}</thead><tbody id="routes"></tbody></table></section>
<section><h2>Recent differences</h2><table><thead>${head(['At', 'Route', 'Request', 'Status (primary / shadow)', 'Paths'])}</thead><tbody id="diffs"></tbody></table></section>
<section><h2>Recent changes</h2><ul id="changes"></ul></section>
</main>`,
    `(${dashboardMain.toString()})(${refreshMs});`,
  );
}
