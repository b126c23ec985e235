/**
 * Analyzer benchmark: `ficus analyze` side by side with dependency-cruiser (`depcruise -T json`,
 * an import-only pass), madge (`--json`) and `tsc --noEmit` on the same synthetic monoliths
 * (generate.ts) at several sizes. Runs are interleaved (each repetition runs every tool once, in
 * a rotated order) and measured by GNU time (wall clock and peak RSS of the whole process tree
 * root); medians and ratios against dependency-cruiser are written to bench/RESULTS.md between
 * the analyzer markers, with ficus's ARI against the generator's truth.
 *
 * Usage: node dist/bench/analyzer/run.js [--sizes 50000,150000,350000] [--reps 3]
 *        [--tools ficus,depcruise,madge,tsc] [--layout layered|modular]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { readTruth, scoreAgainstTruth } from '../../analyzer/index.js';
import { generateMonolith } from './generate.js';
import { runMain } from '../common/main.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');

interface Measure {
  readonly seconds: number;
  readonly rssMb: number;
}

type Tool = 'ficus' | 'depcruise' | 'madge' | 'tsc';
const TOOLS: readonly Tool[] = ['ficus', 'depcruise', 'madge', 'tsc'];

function command(tool: Tool, tree: string, out: string): string[] {
  switch (tool) {
    case 'ficus':
      return [process.execPath, join(ROOT, 'bin', 'ficus.js'), 'analyze', tree, '--out', out, '--format', 'json', '--quiet'];
    case 'depcruise':
      return [join(BIN, 'depcruise'), '--no-config', '-T', 'json', '--output-to', join(out, 'depcruise.json'), 'src'];
    case 'madge':
      return [join(BIN, 'madge'), '--json', '--extensions', 'ts', '--ts-config', 'tsconfig.json', 'src'];
    case 'tsc':
      return [join(BIN, 'tsc'), '--noEmit', '-p', 'tsconfig.json'];
  }
}

async function measure(argv: string[], cwd: string): Promise<Measure> {
  const { stderr } = await exec('/usr/bin/time', ['-v', ...argv], { cwd, maxBuffer: 1 << 30 }).catch((err: { stderr?: string; code?: number }) => {
    // tsc exits 2 on type errors in the synthetic tree; the time it took still counts.
    if (argv[0]?.endsWith('tsc') && err.stderr) return { stderr: err.stderr };
    throw err;
  });
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (!wall || !rss) throw new Error(`cannot read GNU time output for ${argv.join(' ')}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { seconds, rssMb: Number(rss[1]) / 1024 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function ensureTree(lines: number, layout: 'layered' | 'modular'): Promise<{ dir: string; files: number; lines: number }> {
  const dir = join(ROOT, 'bench', 'analyzer', 'generated', `${layout}-${lines}`);
  const marker = join(dir, 'SIZE.json');
  if (existsSync(marker)) return { dir, ...(JSON.parse(await readFile(marker, 'utf8')) as { files: number; lines: number }) };
  const tree = await generateMonolith({ out: dir, lines, layout, seed: 1 });
  await writeFile(marker, JSON.stringify({ files: tree.files, lines: tree.lines }));
  return { dir, files: tree.files, lines: tree.lines };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '50000,150000,350000' },
      reps: { type: 'string', default: '3' },
      tools: { type: 'string', default: TOOLS.join(',') },
      layout: { type: 'string', default: 'layered' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const reps = Number(values.reps);
  const tools = values.tools.split(',') as Tool[];
  const layout = values.layout === 'modular' ? 'modular' : 'layered';
  const rows: string[] = [];
  for (const size of sizes) {
    const tree = await ensureTree(size, layout);
    const results = new Map<Tool, Measure[]>(tools.map((t) => [t, []]));
    let ari = NaN;
    for (let rep = 0; rep < reps; rep++) {
      const order = tools.map((_, i) => tools[(i + rep) % tools.length]!);
      for (const tool of order) {
        const out = await mkdtemp(join(tmpdir(), `ficus-bench-${tool}-`));
        try {
          const m = await measure(command(tool, tree.dir, out), tree.dir);
          results.get(tool)!.push(m);
          process.stderr.write(`${layout}-${size} rep ${rep + 1} ${tool}: ${m.seconds.toFixed(2)} s, ${m.rssMb.toFixed(0)} MB\n`);
          if (tool === 'ficus' && Number.isNaN(ari)) {
            const d = JSON.parse(await readFile(join(out, 'decomposition.json'), 'utf8')) as { contexts: { id: string; members: string[] }[] };
            const contextOf = new Map(d.contexts.flatMap((c) => c.members.map((m) => [m, c.id] as const)));
            ari = scoreAgainstTruth(await readTruth(join(tree.dir, 'TRUTH.json')), contextOf).ari;
          }
        } finally {
          await rm(out, { recursive: true, force: true });
        }
      }
    }
    const base = results.get('depcruise');
    const baseT = base && base.length ? median(base.map((m) => m.seconds)) : NaN;
    for (const tool of tools) {
      const ms = results.get(tool)!;
      const t = median(ms.map((m) => m.seconds));
      const rss = Math.max(...ms.map((m) => m.rssMb));
      const ratio = Number.isNaN(baseT) ? '–' : (t / baseT).toFixed(2);
      rows.push(`| ${layout} | ${tree.lines.toLocaleString('en-US')} | ${tree.files} | ${tool} | ${t.toFixed(2)} | ${ratio} | ${rss.toFixed(0)} | ${tool === 'ficus' ? ari.toFixed(3) : ''} |`);
    }
  }
  const table = [
    '| layout | lines | files | tool | median wall s | ratio vs depcruise | peak RSS MB | ARI vs truth |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const file = join(ROOT, 'bench', 'RESULTS.md');
  const begin = `<!-- analyzer:${layout}:begin -->`;
  const end = `<!-- analyzer:${layout}:end -->`;
  const current = existsSync(file) ? await readFile(file, 'utf8') : '# Benchmark results\n';
  const block = `${begin}\n${table}\n\nReproduce: \`npm run bench -- analyzer --sizes ${values.sizes} --reps ${reps} --layout ${layout}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}).\n${end}`;
  const next = current.includes(begin) ? current.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(file, next);
}

await runMain(main, import.meta.url);
