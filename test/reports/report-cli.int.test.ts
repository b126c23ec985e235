// `ficus report` on what the real gateway recorded (test/reports/shadow-traffic.ts): the
// comparison tallies it wrote beside the records, the diff report of the folder and of one
// file, a replay of those records against a fixed build, a decomposition, and bad input —
// each refused with its RPT_ code, naming the file and line, writing nothing.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../analyzer/index.js';
import { run } from '../../cli/run.js';
import { readDiffFile, readTallies, replay, type DiffRecord } from '../../gateway/index.js';
import { answer, BASE, EXPECTED, recordShadowTraffic } from './shadow-traffic.js';
import { startUpstream } from '../gateway/upstream.js';
import { REPO_ROOT } from '../harness/index.js';

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function ficus(...argv: string[]): Promise<Ran> {
  let out = '';
  let err = '';
  const code = await run(argv, {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: REPO_ROOT, env: {}, interactive: false },
  });
  return { code, out, err };
}

let dir: string;
let tmp: string;
let records: DiffRecord[];

beforeAll(async () => {
  dir = await recordShadowTraffic();
  tmp = await mkdtemp(join(tmpdir(), 'ficus-report-cli-'));
  records = [];
  for await (const r of readDiffFile(dir)) records.push(r);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('what the gateway recorded', () => {
  it('tallied every comparison per route and minute beside the records, which hold only the differing answers', async () => {
    expect((await readdir(dir)).sort()).toEqual(['diffs-20250115-0001.ndjson', 'tallies-20250115.ndjson']);
    const tallies = await readTallies(dir);
    const sum = (route: string) =>
      tallies
        .filter((t) => t.route === route)
        .reduce((a, t) => ({ compared: a.compared + t.compared, different: a.different + t.different, noise: a.noise + t.noise }), {
          compared: 0,
          different: 0,
          noise: 0,
        });
    expect(sum('products')).toEqual(EXPECTED.products);
    expect(sum('orders')).toEqual(EXPECTED.orders);
    expect(tallies.filter((t) => t.route === 'products').map((t) => [t.bucket, t.different])).toEqual(
      EXPECTED.productsDifferentPerMinute.map((d, m) => [new Date(BASE + m * 60_000).toISOString(), d]),
    );
    expect(records.filter((r) => r.route === 'products')).toHaveLength(60);
    expect(records.filter((r) => r.route === 'orders')).toHaveLength(6);
    expect(records.filter((r) => r.noise)).toHaveLength(45);
    expect(records.every((r) => r.request.headers.authorization === '[redacted]')).toBe(true);
  });
});

describe('ficus report on diffs', () => {
  it('renders the diffs folder as <folder>.html and .md with the diff rate per route', async () => {
    const out = join(tmp, 'folder');
    const r = await ficus('report', dir, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const stem = basename(dir);
    expect((await readdir(out)).sort()).toEqual([`${stem}.html`, `${stem}.md`]);
    expect(r.out.trim().split('\n').sort()).toEqual([join(out, `${stem}.html`), join(out, `${stem}.md`)]);
    const md = await readFile(join(out, `${stem}.md`), 'utf8');
    expect(md).toContain('| **all routes** | 120 | 21 | 17.5 % | 45 | 68.2 % | 66 |');
    expect(md).toContain('| `products` | 60 | 15 | 25 % | 45 | 75 % | 60 |');
    expect(md).toContain('| `orders` | 60 | 6 | 10 % | 0 | 0 % | 6 |');
    expect(md).toMatch(/\| 1 \| `products` \| `\$\.servedAt` \| changed \| 60 \| 75 % \|/);
    expect(md).not.toContain('Counts only');
    const html = await readFile(join(out, `${stem}.html`), 'utf8');
    expect(html).toContain('data-kind="rate"');
    expect(html).not.toContain('s3cr3t');
  });

  it('renders one diffs file with the tallies of its day, and a tally file alone', async () => {
    const out = join(tmp, 'file');
    const r = await ficus('report', join(dir, 'diffs-20250115-0001.ndjson'), '--out', out, '--format', 'md');
    expect(r.code).toBe(0);
    expect(await readFile(join(out, 'diffs-20250115-0001.md'), 'utf8')).toContain('| `orders` | 60 | 6 | 10 % |');
    const t = await ficus('report', join(dir, 'tallies-20250115.ndjson'), '--out', out, '--format', 'md');
    expect(t.code).toBe(0);
    const md = await readFile(join(out, 'tallies-20250115.md'), 'utf8');
    expect(md).toContain('| `products` | 60 | 15 | 25 % | 45 | 75 % | 0 |');
    expect(md).toContain('No differences were recorded.');
  });

  it('says it counts only when the records have no tallies beside them', async () => {
    const lone = join(tmp, 'lone');
    await mkdir(lone);
    await copyFile(join(dir, 'diffs-20250115-0001.ndjson'), join(lone, 'diffs-20250115-0001.ndjson'));
    const r = await ficus('report', lone, '--format', 'md');
    expect(r.code).toBe(0);
    const md = await readFile(join(tmp, 'lone.md'), 'utf8');
    expect(md).toContain('**Counts only.**');
    expect(md).toContain('| `products` | — | 15 | — | 45 | 75 % | 60 |');
  });
});

describe('ficus report on a replay and a decomposition', () => {
  it('renders the replay of the records against a fixed build as replay.html and .md', async () => {
    const fixed = await startUpstream(answer('service', { fixed: true }));
    try {
      const result = await replay({ source: dir, target: fixed.url, noisePaths: { products: ['$.servedAt'] } });
      await writeFile(join(tmp, 'replay.json'), JSON.stringify(result, null, 2));
      const r = await ficus('report', join(tmp, 'replay.json'));
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const md = await readFile(join(tmp, 'replay.md'), 'utf8');
      expect(md).toContain('## Summary');
      expect(md).toContain(`| fixed | ${result.summary.fixed} |`);
      expect(result.summary.stillDifferent).toBeGreaterThan(0); // orders still fail
      expect(md).toContain('### still different');
      const html = await readFile(join(tmp, 'replay.html'), 'utf8');
      expect(html.match(/<details class="path outcome"/g)?.length).toBe(result.outcomes.filter((o) => o.class !== 'fixed').length);
    } finally {
      await fixed.close();
    }
  });

  it('still renders a decomposition.json as html, md and json', async () => {
    const { decomposition } = await analyze(join(REPO_ROOT, 'samples', 'legacy-shop'), { seed: 42, runs: 2 });
    const out = join(tmp, 'decomposition');
    await mkdir(out);
    await writeFile(join(out, 'decomposition.json'), JSON.stringify(decomposition));
    const r = await ficus('report', join(out, 'decomposition.json'), '--format', 'html,md,json', '--out', join(out, 'again'));
    expect(r.code).toBe(0);
    expect((await readdir(join(out, 'again'))).sort()).toEqual(['decomposition.html', 'decomposition.json', 'decomposition.md']);
  }, 60_000);
});

describe('ficus report on bad input', () => {
  const bad = async (name: string, content: string): Promise<string> => {
    const file = join(tmp, 'bad', name);
    await mkdir(join(tmp, 'bad'), { recursive: true });
    await writeFile(file, content);
    return file;
  };

  it('refuses each with its code, naming the file (and line), exit 2, nothing written', async () => {
    const line = JSON.stringify(records[0]);
    const cases: [string[], string, RegExp?][] = [
      [[join(tmp, 'missing.ndjson')], 'RPT_INPUT_NOT_FOUND', /missing\.ndjson/],
      [[await bad('diffs.ndjson', `${line}\n{"id":"x"}\n${line}\n`)], 'RPT_DIFFS_INVALID', /diffs\.ndjson:2:/],
      [
        [await bad('tallies-20250115.ndjson', '{"route":"a","bucket":"2025-01-15T10:00:30Z","compared":1,"different":0,"noise":0}\n')],
        'RPT_DIFFS_INVALID',
        /tallies-20250115\.ndjson:1:/,
      ],
      [[await bad('other.json', '{"hello":"world"}')], 'RPT_INPUT_KIND', /other\.json/],
      [[await bad('broken.json', '{"kind": "ficus-replay",')], 'RPT_INPUT_NOT_JSON', /broken\.json/],
      [
        [await bad('replay.json', JSON.stringify({ kind: 'ficus-replay', schemaVersion: 1, at: 'x', source: 's', target: 't', summary: {} }))],
        'RPT_REPLAY_INVALID',
        /replay\.json: summary\.total/,
      ],
      [[join(tmp, 'empty-folder')], 'RPT_INPUT_KIND', /empty-folder/],
      [[dir, '--format', 'json'], 'RPT_FORMAT'],
    ];
    await mkdir(join(tmp, 'empty-folder'), { recursive: true });
    for (const [args, code, where] of cases) {
      const r = await ficus('report', ...args, '--out', join(tmp, 'bad-out'));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(`[${code}]`);
      if (where) expect(r.err).toMatch(where);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
    }
    expect(await readdir(join(tmp, 'bad-out')).catch(() => [])).toEqual([]);
  });
});
