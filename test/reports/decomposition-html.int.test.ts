/// <reference lib="dom" />
// The decomposition report in a real browser: the HTML `ficus analyze` writes for the sample
// monolith, opened from disk in headless Debian Chromium. It must load with no console errors
// and no network requests, draw the graph, and answer clicks and searches from its own data.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Decomposition } from '../../analyzer/index.js';
import { renderDecompositionHtml } from '../../reports/index.js';
import { launchChromium, REPO_ROOT, testOutputDir } from '../harness/index.js';

const SAMPLE = join(REPO_ROOT, 'samples', 'legacy-shop');

describe('decomposition.html in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let d: Decomposition;
  let file: string;
  const errors: string[] = [];
  const requests: string[] = [];
  const out = testOutputDir('reports');

  beforeAll(async () => {
    d = (await analyze(SAMPLE, { seed: 42, runs: 4 })).decomposition;
    file = join(out, 'decomposition.html');
    await writeFile(file, renderDecompositionHtml(d));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads from file:// with no console errors and no network requests', () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== `file://${file}`)).toEqual([]);
  });

  it('draws the graph: sigma canvases exist and the node layer is not blank', async () => {
    await page.locator('#explore').scrollIntoViewIfNeeded();
    expect(await page.locator('#graph canvas').count()).toBeGreaterThan(1);
    const shot = await page.locator('#graph').screenshot({ path: join(out, 'graph.png') });
    // A PNG of a blank white area compresses to almost nothing; a drawn graph does not.
    expect(shot.byteLength).toBeGreaterThan(20_000);
    // Decode the screenshot in the page and count coloured (non-grey) pixels: nodes are drawn in context colours.
    const coloured = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.width, img.height];
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (Math.max(px[i]!, px[i + 1]!, px[i + 2]!) - Math.min(px[i]!, px[i + 1]!, px[i + 2]!) > 60) n++;
      return n;
    }, shot.toString('base64'));
    expect(coloured).toBeGreaterThan(500);
    expect(await page.evaluate(() => (window as unknown as { ficusReport?: { renderer?: { getGraph(): { order: number } } } }).ficusReport?.renderer?.getGraph().order)).toBe(d.contexts.reduce((n, c) => n + c.members.length, 0));
  });

  it('clicking a context lists exactly its members, seams, tables and endpoints', async () => {
    const ctx = d.contexts.find((c) => c.kind === 'domain' && c.endpoints.length > 0 && c.tables.length > 0)!;
    await page.click(`#context-list button[data-select-context="${ctx.id}"]`);
    const panel = page.locator(`#context-details[data-context="${ctx.id}"]`);
    await expect.poll(() => panel.count()).toBe(1);
    const members = await panel.locator('ul.members a').allTextContents();
    expect(members.sort()).toEqual([...ctx.members].sort());
    expect(await panel.locator('ul.tables li').allTextContents()).toEqual(ctx.tables.map((t) => `${t.name} (${t.access})`));
    expect(await panel.locator('ul.endpoints li').count()).toBe(ctx.endpoints.length);
    const outbound = d.seams.filter((s) => s.from === ctx.id).length;
    expect(await panel.locator('ul.seams-out li').count()).toBe(outbound);
    await expect.poll(() => page.locator(`#context-list button[data-select-context="${ctx.id}"].active`).count()).toBe(1);
    await page.screenshot({ path: join(out, 'context-selected.png') });
  });

  it('the contexts table selects a context too', async () => {
    const ctx = d.contexts[1]!;
    await page.click(`#contexts tr[data-select-context="${ctx.id}"] td:nth-child(2)`);
    await expect.poll(() => page.locator(`#context-details[data-context="${ctx.id}"]`).count()).toBe(1);
  });

  it('searching a file finds it and says which context it went to and its strongest ties', async () => {
    const target = d.contexts.find((c) => c.kind === 'domain')!;
    const path = target.members.find((m) => m.startsWith('services/')) ?? target.members[0]!;
    const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.ts$/, '');
    await page.fill('#search', base.slice(0, Math.max(4, base.length - 2)));
    await expect.poll(() => page.locator('#search-results a').allTextContents()).toContain(path);
    await page.click(`#search-results a[data-file="${path}"]`);
    const details = page.locator('#file-details');
    await expect.poll(() => details.locator('.muted').first().textContent()).toBe(path);
    expect(await details.locator('.placed').textContent()).toContain(target.name);
    expect(await details.locator('ul.ties li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(out, 'search.png') });
  });

  it('a search that matches nothing says so', async () => {
    await page.fill('#search', 'no-such-file-anywhere');
    await expect.poll(() => page.locator('#search-results').textContent()).toContain('no file matches');
  });

  it('stays readable without the graph: every section is plain HTML', async () => {
    for (const id of ['overview', 'matrix', 'data', 'plan', 'decisions', 'provenance']) expect(await page.locator(`section#${id}`).count()).toBe(1);
    expect(await page.locator('#ownership tr').count()).toBe(d.tables.length + 1);
    expect(await page.locator('ol.plan > li').count()).toBe(d.plan.length);
    expect(errors).toEqual([]);
  });
});
