/**
 * The verify renderers on a hand-made VerifyResult: every mismatch shows up with its key,
 * values are escaped (HTML) or kept inside their table cell (Markdown), the HTML needs nothing
 * from outside, and long lists are cut with a pointer to the JSON.
 */
import { describe, expect, it } from 'vitest';
import type { TableVerifyResult, VerifyResult } from '../../cdc/index.js';
import { renderVerifyHtml, renderVerifyMarkdown } from '../index.js';

const base: Omit<TableVerifyResult, 'from' | 'to' | 'status' | 'mismatches'> = {
  key: ['id'],
  compared: ['id', 'title', 'price'],
  notCompared: [{ column: 'synced_at', reason: 'computed by the mapping (now()) on every write' }],
  rows: { source: 1000, target: 1000 },
  chunks: { total: 10, mismatched: 1, chunkRows: 100, method: 'integer-ranges', mismatchedRanges: [{ lo: { id: '101' }, hi: { id: '201' }, sourceRows: 100, targetRows: 100 }] },
  narrowing: { queries: 4, rowsFetched: 200 },
  recheck: { rounds: 1, afterMs: 2000, resolved: 3 },
  durationMs: 42,
};

const result: VerifyResult = {
  kind: 'ficus.cdc.verify',
  schemaVersion: 1,
  startedAt: '2026-12-01T10:00:00.000Z',
  durationMs: 50,
  source: 'postgres://app:***@db/shop',
  target: 'postgres://app:***@db/catalog',
  equal: false,
  repaired: false,
  tables: [
    {
      ...base,
      from: 'public.items',
      to: 'public.catalog_items',
      status: 'different',
      mismatches: {
        missing: [{ id: '5' }],
        extra: Array.from({ length: 205 }, (_v, i) => ({ id: String(10_000 + i) })),
        different: [{ key: { id: '150' }, columns: [{ column: 'title', source: '<b>a|b</b>', target: null }] }],
        truncated: false,
      },
    },
    {
      ...base,
      from: 'public.audit',
      to: 'public.audit',
      status: 'refused',
      problem: { code: 'CDC_VERIFY_FILTER', message: 'tables[1].where "op != \'d\'" cannot be checked' },
      mismatches: { missing: [], extra: [], different: [], truncated: false },
    },
  ],
};

describe('verify reports', () => {
  it('Markdown lists every kind of mismatch by key and keeps values inside their cell', () => {
    const md = renderVerifyMarkdown(result);
    expect(md).toMatch(/^# CDC verify: 1 table differs, 1 not compared/);
    expect(md).toContain('| public.items | public.catalog_items | different | 1000 | 1000 | 10 | 1 | 1 | 205 | 1 |');
    expect(md).toContain('- `id=5`');
    expect(md).toContain('| id=150 | title | <b>a\\|b</b> | NULL |');
    expect(md).toContain('… and 5 more (see the JSON result)');
    expect(md).toContain('**CDC_VERIFY_FILTER**');
    expect(md).toContain('`synced_at`: computed by the mapping');
  });

  it('HTML is one self-contained page with escaped values', () => {
    const html = renderVerifyHtml(result);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href=/);
    expect(html).toContain('&lt;b&gt;a|b&lt;/b&gt;');
    expect(html).not.toContain('<b>a|b</b>');
    expect(html).toContain('<code>id=5</code>');
    expect(html).toContain('Extra in the target (205)');
    expect(html).toContain('data-equal="false"');
  });

  it('an equal result says so', () => {
    const equal: VerifyResult = { ...result, equal: true, tables: [{ ...base, from: 'a', to: 'b', status: 'equal', mismatches: { missing: [], extra: [], different: [], truncated: false } }] };
    expect(renderVerifyMarkdown(equal)).toMatch(/^# CDC verify: equal/);
    expect(renderVerifyHtml(equal)).toContain('<span class="tag equal">equal</span>');
  });
});
