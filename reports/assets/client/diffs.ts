/**
 * The diff and replay reports' script, bundled by esbuild (scripts/bundle-assets.mjs) into an
 * IIFE the HTML renderers inline. The pages are complete without it; it only works the
 * controls the renderer drew (reports/diffs/html.ts, replay-html.ts):
 *   diff report — a route pill or a routes-table row shows that route's timeline and its paths;
 *     the filter box narrows the paths by text; pointing at a chart column reads out its numbers;
 *   replay report — a class pill shows only the outcomes of that class.
 * `window.ficusDiffReport` exposes the state for tests (`readyAt` in ms).
 */

declare global {
  interface Window {
    ficusDiffReport?: { readyAt: number; route: string; selectRoute(route: string): void; selectClass(cls: string): void };
  }
}

const all = <T extends Element>(sel: string, root: ParentNode = document): T[] => Array.from(root.querySelectorAll<T>(sel));

function start(): void {
  const state = { route: '*', cls: '*' };
  const filter = document.querySelector<HTMLInputElement>('#path-filter');
  const empty = document.getElementById('paths-empty');
  const readout = document.getElementById('readout');

  function applyPaths(): void {
    const text = (filter?.value ?? '').trim().toLowerCase();
    let shown = 0;
    for (const d of all<HTMLElement>('details.path')) {
      const visible = (state.route === '*' || d.dataset.route === state.route) && (text === '' || (d.dataset.path ?? '').toLowerCase().includes(text));
      d.hidden = !visible;
      if (visible) shown += 1;
    }
    if (empty) empty.hidden = shown > 0;
  }

  function selectRoute(route: string): void {
    state.route = route;
    for (const f of all<HTMLElement>('figure.timeline')) f.hidden = f.dataset.route !== route;
    for (const b of all<HTMLElement>('#route-pills button')) b.classList.toggle('active', b.dataset.route === route);
    for (const r of all<HTMLElement>('tr[data-select-route]')) r.classList.toggle('active', r.dataset.selectRoute === route);
    if (readout) readout.textContent = 'Point at a column for its numbers.';
    applyPaths();
  }

  function selectClass(cls: string): void {
    state.cls = cls;
    for (const b of all<HTMLElement>('#class-pills button')) b.classList.toggle('active', b.dataset.class === cls);
    let shown = 0;
    for (const o of all<HTMLElement>('.outcome')) {
      o.hidden = cls !== '*' && o.dataset.class !== cls;
      if (!o.hidden) shown += 1;
    }
    const none = document.getElementById('outcomes-empty');
    if (none) none.hidden = shown > 0;
  }

  for (const b of all<HTMLElement>('#route-pills button')) b.addEventListener('click', () => selectRoute(b.dataset.route ?? '*'));
  for (const r of all<HTMLElement>('tr[data-select-route]')) r.addEventListener('click', () => selectRoute(r.dataset.selectRoute ?? '*'));
  for (const b of all<HTMLElement>('#class-pills button')) b.addEventListener('click', () => selectClass(b.dataset.class ?? '*'));
  filter?.addEventListener('input', applyPaths);
  for (const g of all<SVGGElement>('svg.chart g.col')) {
    g.addEventListener('mouseenter', () => {
      if (readout) readout.textContent = g.querySelector('title')?.textContent ?? '';
    });
  }

  if (document.getElementById('route-pills')) selectRoute('*');
  window.ficusDiffReport = {
    readyAt: performance.now(),
    get route() {
      return state.route;
    },
    selectRoute,
    selectClass,
  };
  document.body.dataset.ready = 'true';
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();

export {};
