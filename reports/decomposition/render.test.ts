import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Decomposition } from '../../analyzer/index.js';
import { decompositionRenderers, renderDecompositionJson } from '../index.js';
import { contextColors, KERNEL_COLOR } from './colors.js';
import { buildView, scriptJson } from './view.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'samples', 'legacy-shop');

describe('decomposition renderers', () => {
  let d: Decomposition;
  beforeAll(async () => {
    d = (await analyze(SAMPLE, { seed: 42, runs: 2 })).decomposition;
  });

  it('the view holds every member once, by index, with seams pointing at real contexts', () => {
    const view = buildView(d, contextColors(d));
    const members = d.contexts.flatMap((c) => c.members);
    expect(view.nodes.map((n) => n.id).sort()).toEqual([...members].sort());
    view.contexts.forEach((c, i) => {
      expect(c.members.map((m) => view.nodes[m]!.id).sort()).toEqual([...d.contexts[i]!.members].sort());
      for (const m of c.members) expect(view.nodes[m]!.c).toBe(i);
      for (const s of c.outbound) expect(view.contexts[s.to]).toBeDefined();
    });
    for (const [a, b] of view.edges) expect(a !== b && view.nodes[a] && view.nodes[b]).toBeTruthy();
    // Kernel files have no place in the clustering graph; they are set on a ring, not piled at the origin.
    const kernel = view.contexts.find((c) => c.kind === 'shared-kernel')!;
    const spots = new Set(kernel.members.map((m) => `${view.nodes[m]!.x.toFixed(3)},${view.nodes[m]!.y.toFixed(3)}`));
    expect(spots.size).toBe(kernel.members.length);
  });

  it('colours are distinct per domain context and grey for the kernel', () => {
    const colors = contextColors(d);
    const domain = d.contexts.filter((c) => c.kind === 'domain').map((c) => colors.get(c.id));
    expect(new Set(domain).size).toBe(domain.length);
    expect(colors.get('shared-kernel')).toBe(KERNEL_COLOR);
  });

  it('embedded JSON cannot close its script element', () => {
    expect(scriptJson({ s: '</script><script>alert(1)</script>' })).not.toContain('</script');
    expect(JSON.parse(scriptJson({ s: '</script>' }))).toEqual({ s: '</script>' });
  });

  it('HTML is one self-contained file: data and script inline, no external references', () => {
    const html = decompositionRenderers.html(d);
    expect(html).toContain('id="ficus-data"');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    for (const c of d.contexts) expect(html).toContain(`data-select-context="${c.id}"`);
  });

  it('Markdown has every section and a mermaid graph with a node per context and an edge per seam', () => {
    const md = decompositionRenderers.md(d);
    for (const h of ['## Metrics', '## Contexts', '## Seams', '## Data ownership', '## Extraction plan', '## Decisions for the architect', '## How this was produced']) expect(md).toContain(h);
    const block = md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3));
    expect(block.match(/^\s+c\d+\["/gm)).toHaveLength(d.contexts.length);
    expect(block.match(/-->\|\d+\|/g)).toHaveLength(d.seams.length);
  });

  it('JSON is the contract, checked against its schema', () => {
    expect(JSON.parse(renderDecompositionJson(d))).toEqual(JSON.parse(JSON.stringify(d)));
    const broken = { ...d, contexts: [{ ...d.contexts[0]!, id: 'Not A Slug' }] } as Decomposition;
    expect(() => renderDecompositionJson(broken)).toThrow(expect.objectContaining({ code: 'ANL_DECOMPOSITION_INVALID' }));
  });
});
