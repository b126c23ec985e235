/// <reference lib="dom" />
// The diff report in a real browser: the HTML rendered from what the real gateway recorded
// (test/reports/shadow-traffic.ts), opened from disk in headless Debian Chromium. It must load
// with no console errors and no network requests, draw the diff-rate chart, switch routes,
// filter paths, read out a column, and open a path onto its example side by side. The replay
// report of the same records against a fixed build follows the same rules and filters by class.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDiffFile, readTallies, replay, type DiffRecord, type ReplayResult } from '../../gateway/index.js';
import { renderDiffReportHtml, renderReplayHtml } from '../../reports/index.js';
import { startUpstream } from '../gateway/upstream.js';
import { launchChromium, testOutputDir } from '../harness/index.js';
import { answer, EXPECTED, MINUTES, recordShadowTraffic } from './shadow-traffic.js';

/** Pixels of the page's red (differing) bars in a PNG, decoded in the page. */
async function redPixels(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    [c.width, c.height] = [img.width, img.height];
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i]! > 180 && px[i + 1]! < 110 && px[i + 2]! < 110) n++;
    return n;
  }, png.toString('base64'));
}

describe('diff report HTML in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let file: string;
  let dir: string;
  const errors: string[] = [];
  const requests: string[] = [];
  const out = testOutputDir('reports');

  beforeAll(async () => {
    dir = await recordShadowTraffic();
    const records: DiffRecord[] = [];
    for await (const r of readDiffFile(dir)) records.push(r);
    file = join(out, 'diffs.html');
    await writeFile(file, renderDiffReportHtml({ source: 'ficus-diffs', records, tallies: await readTallies(dir), generatedAt: '2025-01-15T11:00:00.000Z' }));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads from file:// with no console errors and no network requests', () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== `file://${file}`)).toEqual([]);
  });

  it('draws the diff-rate chart of all routes: a column per minute, red where answers differed', async () => {
    const visible = page.locator('figure.timeline:visible');
    expect(await visible.count()).toBe(1);
    expect(await visible.getAttribute('data-route')).toBe('*');
    const svg = visible.locator('svg.chart');
    expect(await svg.getAttribute('data-kind')).toBe('rate');
    expect(await svg.locator('g.col').count()).toBe(MINUTES);
    expect(await svg.locator('rect.bar.diff').count()).toBe(MINUTES);
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    expect(box?.height).toBeGreaterThan(100);
    expect(await redPixels(page, await svg.screenshot({ path: join(out, 'diffs-chart.png') }))).toBeGreaterThan(1_000);
  });

  it('choosing a route shows its chart and only its paths; the routes table selects too', async () => {
    await page.click('#route-pills button[data-route="orders"]');
    await expect.poll(() => page.locator('figure.timeline:visible').getAttribute('data-route')).toBe('orders');
    expect(await page.locator('#route-pills button.active').textContent()).toBe('orders');
    const routes = await page.locator('details.path:visible').evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLElement).dataset.route))]);
    expect(routes).toEqual(['orders']);
    expect(await page.locator('details.path:visible[data-path="status"]').count()).toBe(1);
    await page.click('#routes-table tr[data-select-route="products"] td:nth-child(2)');
    await expect.poll(() => page.locator('figure.timeline:visible').getAttribute('data-route')).toBe('products');
    const products = page.locator('figure.timeline[data-route="products"] svg.chart rect.bar.diff');
    expect(await products.count()).toBe(EXPECTED.productsDifferentPerMinute.length);
    await page.screenshot({ path: join(out, 'diffs-route.png') });
  });

  it('pointing at a column reads out its numbers', async () => {
    await page.locator('figure.timeline[data-route="products"] g.col').first().hover();
    await expect.poll(() => page.locator('#readout').textContent()).toMatch(/10:00 UTC: 3 of 10 differed \(30 %\), 7 noise only/);
  });

  it('filters paths by text', async () => {
    await page.fill('#path-filter', 'servedat');
    await expect.poll(() => page.locator('details.path:visible').count()).toBe(1);
    await page.fill('#path-filter', 'no-such-path');
    await expect.poll(() => page.locator('#paths-empty').isVisible()).toBe(true);
    await page.fill('#path-filter', '');
  });

  it('opening a path shows its example: the request, and the two answers side by side', async () => {
    const path = page.locator('details.path[data-route="products"][data-path="$.price"]');
    await path.locator(':scope > summary').click();
    const side = path.locator('.side');
    await expect.poll(() => side.isVisible()).toBe(true);
    const [left, right] = [side.locator('.side-primary'), side.locator('.side-shadow')];
    const [l, r] = [await left.boundingBox(), await right.boundingBox()];
    expect(l && r && l.x + l.width <= r.x && Math.abs(l.y - r.y) < 2).toBe(true);
    expect(await left.locator('pre.body').textContent()).toContain('"price": 10,');
    expect(await right.locator('pre.body').textContent()).toContain('"price": "10",');
    expect(await left.locator('h4').textContent()).toBe('primary — monolith');
    expect(await path.locator('pre.request').textContent()).toContain('authorization: [redacted]');
    expect(await page.content()).not.toContain('s3cr3t');
    await path.screenshot({ path: join(out, 'diffs-example.png') });
    expect(errors).toEqual([]);
  });
});

describe('replay report HTML in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let result: ReplayResult;
  const out = testOutputDir('reports');

  beforeAll(async () => {
    dir = await recordShadowTraffic();
    const fixed = await startUpstream(answer('service', { fixed: true }));
    try {
      result = await replay({ source: dir, target: fixed.url, noisePaths: { products: ['$.servedAt'] } });
    } finally {
      await fixed.close();
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads with no console errors or requests, and a class pill shows only that class', async () => {
    const file = join(out, 'replay.html');
    await writeFile(file, renderReplayHtml(result));
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    expect(await page.locator('.card[data-class="fixed"] b').textContent()).toBe(String(result.summary.fixed));
    const listed = result.outcomes.filter((o) => o.class !== 'fixed').length;
    expect(await page.locator('details.outcome:visible').count()).toBe(listed);
    await page.click('#class-pills button[data-class="still-different"]');
    await expect.poll(() => page.locator('details.outcome:visible').count()).toBe(result.summary.stillDifferent);
    const first = page.locator('details.outcome:visible').first();
    await first.locator(':scope > summary').click();
    await expect.poll(() => first.locator('.side').isVisible()).toBe(true);
    expect(await first.locator('.side-baseline h4').textContent()).toMatch(/^baseline — /);
    await page.screenshot({ path: join(out, 'replay.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== `file://${file}`)).toEqual([]);
  });
});
