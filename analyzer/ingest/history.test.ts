import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFicusError } from '../../core/index.js';
import type { CoChangeHistory } from '../model.js';
import { HistoryErrorCode, readCoChange } from './history.js';

const DAY = 86_400;
/** 2001-01-01T00:00:00Z: far in the past, so only relative ages can matter. */
const T0 = 978_307_200;

/** The environment git runs with in these tests: no inherited repository, fixed identity. */
function gitEnv(time?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  if (time !== undefined) env.GIT_AUTHOR_DATE = env.GIT_COMMITTER_DATE = `@${time} +0000`;
  return env;
}

function git(cwd: string, args: string[], time?: number): string {
  const cfg = ['-c', 'user.name=Ficus Test', '-c', 'user.email=test@ficus.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
  return execFileSync('git', [...cfg, ...args], { cwd, env: gitEnv(time), encoding: 'utf8' }).trim();
}

class Repo {
  private edits = 0;
  constructor(readonly dir: string) {}
  /** Change each path (creating it if needed) and commit them at `time`. */
  async commit(paths: readonly string[], time: number): Promise<string> {
    for (const p of paths) {
      await mkdir(dirname(join(this.dir, p)), { recursive: true });
      await writeFile(join(this.dir, p), `// edit ${++this.edits}\n`);
    }
    git(this.dir, ['add', '--', ...paths]);
    git(this.dir, ['commit', '-q', '-m', `edit ${this.edits}`], time);
    return git(this.dir, ['rev-parse', 'HEAD']);
  }
}

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'ficus-history-')));
  temps.push(dir);
  return dir;
}
async function newRepo(): Promise<Repo> {
  const dir = await tempDir();
  git(dir, ['init', '-q']);
  return new Repo(dir);
}
afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

const weight = (h: CoChangeHistory, a: string, b: string): number | undefined => h.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))?.w;

describe('readCoChange on a real repository', () => {
  let repo: Repo;
  let head: string;
  const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts', 'f.ts', 'g.ts', 'h.ts'];

  beforeAll(async () => {
    repo = await newRepo();
    await repo.commit(['a.ts', 'b.ts'], T0); // 730 days before the newest: two half-lives
    await repo.commit(['a.ts', 'b.ts', 'c.ts', 'README.md'], T0 + 365 * DAY); // one half-life
    await repo.commit(['e.ts', 'f.ts', 'g.ts', 'h.ts'], T0 + 366 * DAY); // huge when maxCommitFiles is 3
    await repo.commit(['d.ts'], T0 + 400 * DAY);
    head = await repo.commit(['c.ts', 'd.ts'], T0 + 730 * DAY); // newest
  });

  it('weights each pair by decay / (n − 1) per commit, relative to the newest commit', async () => {
    const h = await readCoChange(repo.dir, files);
    expect(h.available).toBe(true);
    expect(h.head).toBe(head);
    expect(h.commits).toBe(5);
    expect(weight(h, 'c.ts', 'd.ts')).toBeCloseTo(1, 12);
    expect(weight(h, 'a.ts', 'b.ts')).toBeCloseTo(0.25 + 0.5 / 2, 12);
    expect(weight(h, 'a.ts', 'c.ts')).toBeCloseTo(0.5 / 2, 12);
    expect(weight(h, 'e.ts', 'f.ts')).toBeCloseTo(Math.pow(2, -364 / 365) / 3, 12);
    // README.md is not analysed: it neither forms pairs nor enlarges its commit's n.
    expect(h.pairs.some((p) => p.a === 'README.md' || p.b === 'README.md')).toBe(false);
    expect(h.pairs.every((p) => p.a < p.b)).toBe(true);
  });

  it('ignores commits touching more than maxCommitFiles analysed files and says so', async () => {
    const h = await readCoChange(repo.dir, files, { maxCommitFiles: 3 });
    expect(h.available).toBe(true);
    expect(weight(h, 'e.ts', 'f.ts')).toBeUndefined();
    expect(weight(h, 'a.ts', 'c.ts')).toBeCloseTo(0.25, 12); // 3 analysed files: still counted
    expect(h.note).toBeDefined();
  });

  it('counts only the analysed files when sizing a commit', async () => {
    const h = await readCoChange(repo.dir, ['e.ts', 'f.ts'], { maxCommitFiles: 2 });
    expect(weight(h, 'e.ts', 'f.ts')).toBeCloseTo(Math.pow(2, -364 / 365), 12);
  });

  it('decays older co-changes more, at the given half-life', async () => {
    const h = await readCoChange(repo.dir, ['a.ts', 'b.ts', 'c.ts', 'd.ts']);
    expect(weight(h, 'c.ts', 'd.ts')!).toBeGreaterThan(weight(h, 'a.ts', 'c.ts')!);
    const short = await readCoChange(repo.dir, ['a.ts', 'b.ts', 'c.ts', 'd.ts'], { halfLifeDays: 365 / 2 });
    expect(weight(short, 'c.ts', 'd.ts')).toBeCloseTo(1, 12);
    expect(weight(short, 'a.ts', 'b.ts')).toBeCloseTo(1 / 16 + 0.25 / 2, 12);
  });

  it('reads only the maxCommits most recent commits', async () => {
    const h = await readCoChange(repo.dir, files, { maxCommits: 1 });
    expect(h.commits).toBe(1);
    expect(h.pairs).toEqual([{ a: 'c.ts', b: 'd.ts', w: 1 }]);
  });

  it('gives the same result on every run', async () => {
    expect(await readCoChange(repo.dir, files)).toEqual(await readCoChange(repo.dir, [...files].reverse()));
  });
});

describe('readCoChange with the root in a subdirectory', () => {
  it('reads only commits under the root, with paths relative to it', async () => {
    const repo = await newRepo();
    await repo.commit(['a.ts', 'b.ts'], T0); // top-level files that share names with sub/'s
    await repo.commit(['sub/a.ts', 'sub/b.ts', 'other/c.ts'], T0 + DAY);
    await repo.commit(['other/c.ts', 'other/d.ts'], T0 + 2 * DAY);
    await repo.commit(['sub/b.ts', 'sub/deep/c.ts', 'a.ts'], T0 + 3 * DAY);
    const h = await readCoChange(join(repo.dir, 'sub'), ['a.ts', 'b.ts', 'deep/c.ts', 'other/c.ts']);
    expect(h.available).toBe(true);
    expect(h.commits).toBe(2);
    expect(h.pairs).toEqual([
      { a: 'a.ts', b: 'b.ts', w: Math.pow(2, -2 / 365) },
      { a: 'b.ts', b: 'deep/c.ts', w: 1 },
    ]);
  });

  it('is unavailable when no commit touches the root', async () => {
    const repo = await newRepo();
    await repo.commit(['x.ts', 'y.ts'], T0);
    await mkdir(join(repo.dir, 'empty'));
    const h = await readCoChange(join(repo.dir, 'empty'), ['x.ts', 'y.ts']);
    expect(h).toMatchObject({ available: false, commits: 0, pairs: [] });
    expect(h.note).toBeTruthy();
  });
});

describe('readCoChange without usable history', () => {
  it('notes a directory outside any git work tree', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.ts'), '');
    const h = await readCoChange(dir, ['a.ts']);
    expect(h).toMatchObject({ available: false, commits: 0, pairs: [] });
    expect(h.head).toBeUndefined();
    expect(h.note).toBeTruthy();
  });

  it('notes a repository without commits', async () => {
    const repo = await newRepo();
    const h = await readCoChange(repo.dir, ['a.ts']);
    expect(h).toMatchObject({ available: false, commits: 0, pairs: [] });
    expect(h.note).toBeTruthy();
  });

  it('notes a missing git executable instead of throwing', async () => {
    const repo = await newRepo();
    await repo.commit(['a.ts', 'b.ts'], T0);
    const h = await readCoChange(repo.dir, ['a.ts', 'b.ts'], { git: join(repo.dir, 'no-such-git') });
    expect(h).toMatchObject({ available: false, commits: 0, pairs: [] });
    expect(h.note).toBeTruthy();
  });

  it('notes a root that does not exist', async () => {
    const h = await readCoChange(join(await tempDir(), 'missing'), ['a.ts']);
    expect(h).toMatchObject({ available: false, commits: 0, pairs: [] });
  });
});

describe('readCoChange options', () => {
  it.each([{ maxCommitFiles: 1 }, { maxCommitFiles: 2.5 }, { halfLifeDays: 0 }, { halfLifeDays: Number.NaN }, { maxCommits: 0 }])(
    'rejects %o with ANL_HISTORY_OPTION',
    async (options) => {
      const err: unknown = await readCoChange(tmpdir(), [], options).catch((e: unknown) => e);
      expect(isFicusError(err) && err.code).toBe(HistoryErrorCode.OPTION);
    },
  );
});
