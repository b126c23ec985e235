import { describe, expect, it } from 'vitest';
import { diffReportRenderers, renderDiffReportHtml, renderDiffReportMarkdown } from '../index.js';
import { contextAt, showBody } from './body.js';
import { code, fence, sparkline } from './md.js';
import { MIN, record, tally } from './test-records.js';

const EVIL = '</pre></script><script>alert(1)</script><img src=x onerror=alert(2)>';

describe('diff report renderers', () => {
  const records = [
    record({ route: `r|${EVIL}`, paths: [`$['${EVIL}']`], primaryBody: JSON.stringify({ note: EVIL }), shadowBody: EVIL }),
    record({ at: MIN, paths: ['$.items[0].price'] }),
  ];

  it('HTML is one self-contained file with every recorded string escaped', () => {
    const html = renderDiffReportHtml({ source: `./diffs ${EVIL}`, records, tallies: [tally('products', 0, 10, 1), tally('products', 1, 10, 1)] });
    expect(html.match(/<script/g)).toHaveLength(1); // only the report's own script
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(html).toContain('data-route="products"');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(3); // all routes + 2 routes
    expect(html).toContain('data-kind="rate"');
    expect(html).not.toContain('id="no-tallies"');
  });

  it('without tallies, says the numbers are counts and draws counts', () => {
    const html = diffReportRenderers.html({ source: 'd', records });
    expect(html).toContain('id="no-tallies"');
    expect(html).toContain('data-kind="count"');
    expect(html).not.toContain('data-kind="rate"');
    const md = diffReportRenderers.md({ source: 'd', records });
    expect(md).toContain('**Counts only.**');
    expect(md).toContain('## Differences over time');
  });

  it('Markdown has every section, rates from tallies, and a side-by-side table per example', () => {
    const md = renderDiffReportMarkdown({ source: 'd', records: [records[1]!], tallies: [tally('products', 0, 4), tally('products', 1, 4, 1)] });
    for (const h of ['## Overview', '## Diff rate over time', '## Paths that differ most', '## Examples']) expect(md).toContain(h);
    expect(md).toContain('| `products` | 8 | 1 | 12.5 % |');
    expect(md).toContain('`▁█`');
    expect(md).toMatch(/<table><tr><th>primary \(monolith\) — 200 · 12 ms<\/th><th>shadow \(service\) — 200 · 9 ms<\/th><\/tr>/);
    expect(md.split('\n').filter((l) => l.startsWith('<table>'))).toHaveLength(1);
  });

  it('Markdown keeps recorded text from breaking tables, code spans or the HTML block', () => {
    const md = renderDiffReportMarkdown({ source: 'd', records: [records[0]!] });
    const table = md.split('\n').find((l) => l.startsWith('<table>')) ?? '';
    expect(table).not.toContain('<script');
    expect(table).not.toContain('\n');
    const row = md.split('\n').find((l) => l.startsWith('| 1 |')) ?? '';
    expect(row.split(/(?<!\\)\|/)).toHaveLength(9);
    expect(code('a`b')).toBe('``a`b``');
    expect(fence('```x')[0]).toBe('````');
    expect(sparkline([0, 1, 2, null])).toBe('▁▅█·');
  });
});

describe('bodies in reports', () => {
  it('pretty-prints JSON and cuts long bodies with a note of what is left out', () => {
    const big = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i })) });
    const shown = showBody(big);
    expect(shown.text.split('\n')).toHaveLength(60);
    expect(shown.note).toMatch(/more lines not shown/);
    expect(showBody('plain text').text).toBe('plain text');
    expect(showBody(`base64:${Buffer.from([1, 2, 3]).toString('base64')}`).note).toBe('binary body, 3 bytes');
    expect(showBody(null).note).toMatch(/no body/);
  });

  it('picks out the object around a differing path', () => {
    const body = JSON.stringify({ items: [{ id: 1 }, { id: 2, price: 5 }] });
    expect(contextAt(body, '$.items[1].price')).toEqual({ path: '$.items[1]', shown: { text: '{\n  "id": 2,\n  "price": 5\n}', note: null } });
    expect(contextAt(body, '$.items')).toBeNull();
    expect(contextAt('not json', '$.a.b')).toBeNull();
  });
});
