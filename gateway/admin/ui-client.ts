/// <reference lib="dom" />
/**
 * The migration dashboard's browser script. `dashboardMain` runs in the page, not in Node: it is
 * serialised with Function.prototype.toString into the page (ui-page.ts), so it must use nothing
 * from this module's scope — only its arguments and browser globals. It polls the admin API
 * (same origin, the session cookie) and redraws with DOM calls and textContent only, so nothing
 * from a route id, a URL or a diff is ever parsed as HTML.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- browser-side view of the admin API's JSON */
export function dashboardMain(refreshMs: number): void {
  const doc = document;
  const $ = (id: string): HTMLElement => doc.getElementById(id)!;
  const el = (tag: string, text?: string | number, cls?: string): HTMLElement => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  const pct = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 1)}%`;
  const row = (cells: (string | number | HTMLElement)[]): HTMLElement => {
    const tr = el('tr');
    for (const c of cells) {
      const td = el('td');
      if (c instanceof HTMLElement) td.append(c);
      else td.textContent = String(c);
      tr.append(td);
    }
    return tr;
  };
  const get = async (path: string): Promise<any> => {
    const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.status === 401) {
      location.href = '/ui';
      throw new Error('signed out');
    }
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  };

  function rolloutCell(r: any): HTMLElement {
    const box = el('div', undefined, 'rollout');
    if (!r.rollout) {
      box.textContent = '–';
      return box;
    }
    const ro = r.rollout;
    const steps = el('div', undefined, 'steps');
    ro.steps.forEach((s: number, i: number) => {
      const cls = ro.phase === 'rolled-back' || ro.phase === 'aborted' ? 'step back' : i < ro.step || ro.migrated ? 'step done' : i === ro.step ? 'step now' : 'step';
      steps.append(el('span', `${s}%`, cls));
    });
    box.append(el('span', ro.migrated ? 'migrated' : ro.phase, `phase ${ro.phase}`), steps);
    if (ro.reason) box.title = ro.reason;
    return box;
  }

  function drawRoutes(body: any): void {
    const tbody = $('routes');
    tbody.replaceChildren();
    for (const r of [...body.routes, { ...body.unmatched, mode: 'monolith', weight: undefined, match: { path: '(unmatched)' } }]) {
      const s = r.stats;
      const tr = row([
        r.id,
        r.match?.path ?? '',
        el('span', r.mode, `mode ${r.mode}`),
        r.weight === undefined ? '' : `${r.weight}%`,
        rolloutCell(r),
        s.requests,
        s.requests ? pct(s.errorRate) : '–',
        s.requests ? `${s.p50Ms.toFixed(1)} / ${s.p99Ms.toFixed(1)}` : '–',
        s.compared ? pct(s.diffRate) : '–',
        s.compared,
        s.drops,
      ]);
      tr.dataset.route = r.id;
      tbody.append(tr);
    }
    $('loaded').textContent = body.loadedAt;
  }

  function drawDiffs(body: any): void {
    const tbody = $('diffs');
    tbody.replaceChildren();
    const diffs = [...body.diffs].reverse().slice(0, 20);
    if (diffs.length === 0) tbody.append(row(['no differences recorded yet', '', '', '', '']));
    for (const d of diffs) {
      const paths = d.differences.slice(0, 4).map((x: any) => x.path).join(', ') + (d.differences.length > 4 ? ` (+${d.differences.length - 4})` : '');
      tbody.append(row([d.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), d.route, `${d.request.method} ${d.request.url}`, `${d.primary.status} / ${d.shadow.status || d.shadow.error || ''}`, paths + (d.noise ? ' (noise)' : '')]));
    }
  }

  function drawChanges(body: any): void {
    const ul = $('changes');
    ul.replaceChildren();
    for (const c of body.changes.slice(0, 10)) {
      ul.append(el('li', `${c.at} ${c.route}: ${c.from.mode} ${c.from.weight}% → ${c.to.mode} ${c.to.weight}% by ${c.by}${c.reason ? ` (${c.reason})` : ''}`));
    }
    if (body.changes.length === 0) ul.append(el('li', 'no changes yet'));
  }

  async function refresh(): Promise<void> {
    try {
      const [routes, diffs, changes] = await Promise.all([get('/routes'), get('/diffs?limit=200&includeNoise=true'), get('/changes?limit=10')]);
      drawRoutes(routes);
      drawDiffs(diffs);
      drawChanges(changes);
      $('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
      $('status').className = 'ok';
    } catch (err) {
      $('status').textContent = `refresh failed: ${(err as Error).message}`;
      $('status').className = 'bad';
    }
  }

  void refresh();
  setInterval(() => void refresh(), refreshMs);
}
