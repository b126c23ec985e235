/**
 * The decomposition report's interactive part, bundled by esbuild (scripts/bundle-assets.mjs)
 * into one IIFE that the HTML renderer inlines, so the report opens from file:// with no
 * network. It reads the view data the renderer embedded (`#ficus-data`, see
 * reports/decomposition/view.ts), draws the file graph with sigma.js over graphology at the
 * positions precomputed in Node (ForceAtlas2, analyzer/plan/layout.ts), and wires:
 *   hover → the file and its context; click a node → that file and its context;
 *   the context list (and the contexts table) → highlight a context, list its members,
 *   seams, tables and endpoints; the search box → find a file, say where it went and its
 *   strongest ties, and move the camera to it.
 * `window.ficusReport` exposes the state for tests and the benchmark (`readyAt` in ms).
 */
import Graph from 'graphology';
import Sigma from 'sigma';
import type { ViewData, ViewNode } from '../../decomposition/view-data.js';

interface Selection {
  context: number | null;
  file: number | null;
}

declare global {
  interface Window {
    ficusReport?: { readyAt: number; selectContext(id: string): void; selectFile(path: string): boolean; renderer: Sigma | null };
  }
}

const FADED = '#e4e7ec';
const $ = <T extends HTMLElement>(sel: string): T | null => document.querySelector<T>(sel);

function el(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function readData(): ViewData {
  const script = document.getElementById('ficus-data');
  if (!script?.textContent) throw new Error('report data missing');
  return JSON.parse(script.textContent) as ViewData;
}

function strongestTies(data: ViewData, node: number, n = 6): { node: number; w: number }[] {
  const ties: { node: number; w: number }[] = [];
  for (const [a, b, w] of data.edges) {
    if (a === node) ties.push({ node: b, w });
    else if (b === node) ties.push({ node: a, w });
  }
  return ties.sort((x, y) => y.w - x.w).slice(0, n);
}

function start(): void {
  const data = readData();
  const sel: Selection = { context: null, file: null };
  const byPath = new Map(data.nodes.map((n, i) => [n.id, i]));
  const details = $<HTMLElement>('#details')!;
  const container = $<HTMLElement>('#graph')!;
  let hovered: number | null = null;
  let renderer: Sigma | null = null;

  const ctxName = (i: number): string => data.contexts[i]?.name ?? '?';
  const swatch = (i: number): HTMLElement => {
    const s = el('span', { class: 'swatch' });
    s.style.background = data.contexts[i]?.color ?? '#ccc';
    return s;
  };
  const fileLink = (i: number): HTMLElement => {
    const a = el('a', { href: '#', 'data-file': data.nodes[i]!.id }, data.nodes[i]!.id);
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      selectFile(data.nodes[i]!.id);
    });
    return a;
  };

  function renderDetails(): void {
    details.replaceChildren();
    if (sel.file !== null) {
      const node = data.nodes[sel.file]!;
      const box = el('section', { id: 'file-details' });
      box.append(el('h3', {}, baseName(node.id)), el('div', { class: 'muted' }, node.id));
      const where = el('p', { class: 'placed' });
      where.append('Placed in ', swatch(node.c), el('b', {}, ctxName(node.c)), ` (confidence ${node.conf.toFixed(2)}, ${node.l} lines)`);
      box.append(where, el('h4', {}, 'Strongest ties'));
      const ul = el('ul', { class: 'ties' });
      for (const t of strongestTies(data, sel.file)) {
        const li = el('li');
        li.append(swatch(data.nodes[t.node]!.c), fileLink(t.node), el('span', { class: 'muted' }, ` ${t.w.toFixed(2)} · ${ctxName(data.nodes[t.node]!.c)}`));
        ul.append(li);
      }
      if (ul.childElementCount === 0) ul.append(el('li', { class: 'muted' }, 'no coupling to other files'));
      box.append(ul);
      details.append(box);
    }
    if (sel.context !== null) {
      const c = data.contexts[sel.context]!;
      const box = el('section', { id: 'context-details', 'data-context': c.id });
      const h = el('h3');
      h.append(swatch(sel.context), c.name);
      box.append(h, el('div', { class: 'muted' }, `${c.files} files · ${c.lines} lines · stability ${c.stability.toFixed(2)}`));
      const list = (title: string, items: readonly (string | HTMLElement)[], cls: string): void => {
        if (items.length === 0) return;
        box.append(el('h4', {}, `${title} (${items.length})`));
        const ul = el('ul', { class: cls });
        for (const it of items) {
          const li = el('li');
          li.append(it);
          ul.append(li);
        }
        box.append(ul);
      };
      list('Members', c.members.map(fileLink), 'members');
      list('Uses', c.outbound.map((s) => `${ctxName(s.to)} — ${s.calls} use sites: ${s.symbols.join(', ')}`), 'seams-out');
      list('Used by', c.inbound.map((s) => `${ctxName(s.from)} — ${s.calls} use sites: ${s.symbols.join(', ')}`), 'seams-in');
      list('Tables', c.tables.map((t) => `${t.name} (${t.access})`), 'tables');
      list('Endpoints', c.endpoints, 'endpoints');
      details.append(box);
    }
    if (sel.file === null && sel.context === null) details.append(el('p', { class: 'muted' }, 'Click a context or a file, or search for a file.'));
    for (const b of document.querySelectorAll<HTMLElement>('[data-select-context]')) {
      b.classList.toggle('active', sel.context !== null && b.dataset.selectContext === data.contexts[sel.context]!.id);
    }
    renderer?.refresh();
  }

  function selectContext(id: string | null): void {
    const i = id === null ? -1 : data.contexts.findIndex((c) => c.id === id);
    sel.context = i >= 0 ? i : null;
    sel.file = null;
    renderDetails();
  }

  function selectFile(path: string): boolean {
    const i = byPath.get(path);
    if (i === undefined) return false;
    sel.file = i;
    sel.context = data.nodes[i]!.c;
    renderDetails();
    if (renderer) {
      const shown = renderer.getNodeDisplayData(path);
      if (shown) void renderer.getCamera().animate({ x: shown.x, y: shown.y, ratio: 0.35 }, { duration: 400 });
    }
    return true;
  }

  // Context list and contexts table.
  for (const b of document.querySelectorAll<HTMLElement>('[data-select-context]')) {
    b.addEventListener('click', (ev) => {
      if ((ev.target as HTMLElement).closest('details, a')) return;
      const id = b.dataset.selectContext!;
      selectContext(sel.context !== null && data.contexts[sel.context]!.id === id && sel.file === null ? null : id);
      if (b.tagName === 'TR') container.scrollIntoView({ behavior: 'smooth', block: 'center' });
    });
  }

  // Search.
  const search = $<HTMLInputElement>('#search')!;
  const results = $<HTMLElement>('#search-results')!;
  const matches = (q: string): number[] => {
    const needle = q.trim().toLowerCase();
    if (needle === '') return [];
    const hits: number[] = [];
    data.nodes.forEach((n, i) => {
      if (n.id.toLowerCase().includes(needle)) hits.push(i);
    });
    return hits.sort((a, b) => Number(!baseName(data.nodes[a]!.id).toLowerCase().startsWith(needle)) - Number(!baseName(data.nodes[b]!.id).toLowerCase().startsWith(needle)) || data.nodes[a]!.id.length - data.nodes[b]!.id.length).slice(0, 12);
  };
  search.addEventListener('input', () => {
    results.replaceChildren(...matches(search.value).map((i) => {
      const li = el('li');
      li.append(swatch(data.nodes[i]!.c), fileLink(i));
      return li;
    }));
    if (search.value.trim() !== '' && results.childElementCount === 0) results.append(el('li', { class: 'muted' }, 'no file matches'));
  });
  search.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    const first = matches(search.value)[0];
    if (first !== undefined) selectFile(data.nodes[first]!.id);
  });

  // The graph.
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  data.nodes.forEach((n: ViewNode) => {
    graph.addNode(n.id, { x: n.x, y: n.y, size: Math.min(14, 2.5 + Math.sqrt(n.l) / 3), color: data.contexts[n.c]?.color ?? '#999', label: baseName(n.id) });
  });
  const maxW = Math.max(1e-9, ...data.edges.map((e) => e[2]));
  for (const [a, b, w] of data.edges) {
    const ka = data.nodes[a]!.id;
    const kb = data.nodes[b]!.id;
    if (!graph.hasEdge(ka, kb)) graph.addEdge(ka, kb, { size: 0.4 + 2 * (w / maxW), color: '#cfd4dc' });
  }
  const tooltip = $<HTMLElement>('#tooltip')!;
  try {
    renderer = new Sigma(graph, container, {
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.5,
      zIndex: true,
      nodeReducer: (key, attrs) => {
        const i = byPath.get(key)!;
        const c = data.nodes[i]!.c;
        const out = { ...attrs };
        if (sel.context !== null && c !== sel.context) {
          out.color = FADED;
          out.label = '';
          out.zIndex = 0;
        } else out.zIndex = 1;
        if (i === sel.file || i === hovered) {
          out.highlighted = true;
          out.zIndex = 2;
        }
        return out;
      },
      edgeReducer: (key, attrs) => {
        if (sel.context === null) return attrs;
        const [s, t] = graph.extremities(key);
        const inside = data.nodes[byPath.get(s)!]!.c === sel.context || data.nodes[byPath.get(t)!]!.c === sel.context;
        return inside ? attrs : { ...attrs, hidden: true };
      },
    });
    renderer.on('enterNode', ({ node }) => {
      hovered = byPath.get(node) ?? null;
      const n = hovered === null ? null : data.nodes[hovered]!;
      if (n) {
        tooltip.textContent = `${n.id} — ${ctxName(n.c)}`;
        tooltip.hidden = false;
      }
      renderer!.refresh({ skipIndexation: true });
    });
    renderer.on('leaveNode', () => {
      hovered = null;
      tooltip.hidden = true;
      renderer!.refresh({ skipIndexation: true });
    });
    renderer.on('clickNode', ({ node }) => selectFile(node));
    renderer.on('clickStage', () => selectContext(null));
    container.addEventListener('mousemove', (ev) => {
      const r = container.getBoundingClientRect();
      tooltip.style.left = `${ev.clientX - r.left + 14}px`;
      tooltip.style.top = `${ev.clientY - r.top + 10}px`;
    });
  } catch (err) {
    container.replaceChildren(el('p', { class: 'no-webgl' }, `The graph needs WebGL, which this browser does not offer (${err instanceof Error ? err.message : String(err)}). Everything else in the report works.`));
    renderer = null;
  }
  renderDetails();
  window.ficusReport = { readyAt: performance.now(), selectContext: (id) => selectContext(id), selectFile, renderer };
  document.body.dataset.ready = 'true';
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
