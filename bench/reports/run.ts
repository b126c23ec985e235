/**
 * Report benchmark: how long a large decomposition's HTML takes to open and become
 * interactive in headless Debian Chromium. A synthetic monolith of about `--files` files
 * (bench/analyzer/generate.ts) is analysed, its report rendered, then opened `--reps` times
 * in fresh pages; "interactive" is the report script's `readyAt` (performance.now() when the
 * graph is drawn and every handler wired, measured from navigation start), "load" the page's
 * load event. The budget is 3 s; medians are written to bench/RESULTS.md.
 *
 * Usage: node dist/bench/reports/run.js [--files 3000] [--reps 5]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { analyze } from '../../analyzer/index.js';
import { renderDecompositionHtml } from '../../reports/index.js';
import { generateMonolith } from '../analyzer/generate.js';
import { runMain } from '../common/main.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CHROMIUM = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { files: { type: 'string', default: '3000' }, reps: { type: 'string', default: '5' } } });
  if (!CHROMIUM) throw new Error("Debian's chromium is not installed (apt-get install -y chromium)");
  const wanted = Number(values.files);
  const reps = Number(values.reps);
  const dir = await mkdtemp(join(tmpdir(), 'ficus-bench-report-'));
  try {
    // The generator writes 7 files per entity at ~42 lines each.
    const tree = await generateMonolith({ out: join(dir, 'tree'), lines: Math.round((wanted / 7) * 300), layout: 'layered', seed: 1 });
    const { decomposition: d } = await analyze(join(dir, 'tree'), { seed: 42, runs: 4 });
    const file = join(dir, 'decomposition.html');
    await writeFile(file, renderDecompositionHtml(d));
    const size = (await stat(file)).size;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    const ready: number[] = [];
    const load: number[] = [];
    try {
      for (let i = 0; i < reps; i++) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
        await page.goto(`file://${file}`, { waitUntil: 'load' });
        await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
        const t = await page.evaluate(() => {
          const w = globalThis as unknown as { ficusReport: { readyAt: number }; performance: { getEntriesByType(t: string): { loadEventEnd: number }[] } };
          return { ready: w.ficusReport.readyAt, load: w.performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? NaN };
        });
        ready.push(t.ready);
        load.push(t.load);
        process.stderr.write(`rep ${i + 1}: interactive ${t.ready.toFixed(0)} ms, load ${t.load.toFixed(0)} ms\n`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    const files = d.source.files;
    const table = [
      '| files | lines | graph nodes | graph edges | HTML size | median interactive | median load | budget |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${files} | ${tree.lines.toLocaleString('en-US')} | ${d.graph.nodes.length} | ${d.graph.edges.length} | ${(size / 1024 / 1024).toFixed(1)} MB | ${median(ready).toFixed(0)} ms | ${median(load).toFixed(0)} ms | ${(median(ready) / 3000).toFixed(2)} × 3 s |`,
    ].join('\n');
    process.stdout.write(`${table}\n`);
    const out = join(ROOT, 'bench', 'RESULTS.md');
    const begin = '<!-- reports:begin -->';
    const end = '<!-- reports:end -->';
    const current = existsSync(out) ? await readFile(out, 'utf8') : '# Benchmark results\n';
    const block = `${begin}\n${table}\n\nReproduce: \`npm run bench -- reports --files ${wanted} --reps ${reps}\` (${new Date().toISOString().slice(0, 10)}, headless Debian Chromium, software WebGL).\n${end}`;
    const next = current.includes(begin) ? current.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${current.trimEnd()}\n\n${block}\n`;
    await writeFile(out, next);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await runMain(main, import.meta.url);
