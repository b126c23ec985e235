/**
 * Co-change history for the git signal: which analysed files changed in the same commits,
 * read from `git log` of the analysis root (which may be a subdirectory of the work tree).
 * Files that keep changing together are logically coupled even without a static reference
 * (Gall, Hajek & Jazayeri 1998, "Detection of logical coupling based on product release
 * history", ICSM).
 *
 * - Commits: `git log --no-merges` from HEAD, limited to the root (`-- .` with `--relative`, so
 *   paths come out relative to the root and files outside it are never seen), the
 *   `maxCommits` most recent (skipped large commits count towards the cap; `commits` in the
 *   result is how many were read). Merges repeat their parents' changes and are left out.
 * - Large transactions (more than `maxCommitFiles` analysed files: bulk reformatting, renames,
 *   license headers, the initial import) say nothing about which files belong together and
 *   are skipped, as mining work on co-change does (Zimmermann, Weißgerber, Diehl & Zeller
 *   2005, "Mining version histories to guide software changes", IEEE TSE 31(6)).
 * - Age: a commit contributes decay = 2^(−age / halfLife), age measured from the NEWEST commit
 *   read, not from the wall clock, so the same history always gives the same weights (an
 *   exponentially weighted time-damp model as in Graves, Karr, Marron & Siy 2000, "Predicting
 *   fault incidence using software change history", IEEE TSE 26(7)).
 * - Size: each pair among a commit's n analysed files gets decay / (n − 1), so every file
 *   draws the same total weight (decay) from a commit whatever its size, and a pair in a
 *   2-file commit counts as much as all of one file's pairs in a 10-file commit.
 *
 * Missing git, a root outside any work tree, an unborn HEAD or no commit under the root are
 * not errors: the result is `available: false` with a note, and the git layer stays empty.
 *
 * @example
 * const history = await readCoChange('/repos/shop/server', ['orders/order.ts', 'orders/invoice.ts']);
 * // history.pairs → [{ a: 'orders/invoice.ts', b: 'orders/order.ts', w: 1.75 }]
 */
import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { FicusError } from '../../core/index.js';
import { PairWeights } from '../graph/pairs.js';
import type { CoChangeHistory } from '../model.js';
import { IngestErrorCode } from './errors.js';

export interface CoChangeOptions {
  /** Commits touching more analysed files than this are ignored (default 50). */
  maxCommitFiles?: number;
  /** Days after which a commit counts half as much as the newest one (default 365). */
  halfLifeDays?: number;
  /** How many of the most recent non-merge commits under the root are read (default 5000). */
  maxCommits?: number;
  /** The git executable (default `git` on PATH); for tests and unusual installs. */
  git?: string;
}

/** This module's error code (kept in ingest/errors.ts). */
export const HistoryErrorCode = { OPTION: IngestErrorCode.HISTORY_OPTION } as const;

export const CO_CHANGE_DEFAULTS = Object.freeze({ maxCommitFiles: 50, halfLifeDays: 365, maxCommits: 5000 });

const DAY_SECONDS = 86_400;
/** Marks a commit header in the `-z` output; file names never start with it. */
const HEADER = '\u001e';
const FIELD = '\u001f';

interface GitResult {
  readonly ok: boolean;
  readonly missing: boolean;
  readonly stdout: string;
  readonly message: string;
}

function git(bin: string, cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, missing: false, stdout: String(stdout), message: '' });
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      const message = String(stderr).trim().split('\n')[0] || err.message;
      resolve({ ok: false, missing, stdout: '', message });
    });
  });
}

function unavailable(note: string, head?: string): CoChangeHistory {
  return head === undefined ? { available: false, note, commits: 0, pairs: [] } : { available: false, note, head, commits: 0, pairs: [] };
}

function checkOption(name: string, value: number, min: number, integer: boolean): number {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    const kind = integer ? `an integer ≥ ${min}` : `a number > 0`;
    throw new FicusError(HistoryErrorCode.OPTION, `readCoChange option ${name} is ${value}; it must be ${kind}`, {
      exitCode: 2,
      details: { option: name, value },
    });
  }
  return value;
}

interface Commit {
  readonly time: number;
  readonly files: readonly string[];
}

interface LogRead {
  readonly commits: Commit[];
  readonly read: number;
  readonly huge: number;
  readonly newest: number;
}

/**
 * Stream `git log -z --name-only` and keep, per commit, its timestamp and analysed files.
 * The `-z` output is NUL-separated tokens: a header (`HEADER hash FIELD time`), then the
 * commit's paths, the first prefixed by a newline; paths are never quoted under `-z`.
 */
function readLog(bin: string, root: string, known: ReadonlySet<string>, maxCommits: number, maxFiles: number): Promise<LogRead | string> {
  const args = ['log', '-z', '--no-merges', '--no-renames', '--no-color', '--no-show-signature', '--relative', '--name-only'];
  args.push(`--max-count=${maxCommits}`, `--format=${HEADER}%H${FIELD}%ct`, '--', '.');
  return new Promise((resolve) => {
    const commits: Commit[] = [];
    let read = 0;
    let huge = 0;
    let newest = -Infinity;
    let time: number | null = null;
    let files = new Set<string>();
    const flush = (): void => {
      if (time === null) return;
      if (files.size > maxFiles) huge++;
      else if (files.size >= 2) commits.push({ time, files: [...files] });
      files = new Set();
    };
    const token = (raw: string): void => {
      const t = raw.startsWith('\n') ? raw.slice(1) : raw;
      if (t.startsWith(HEADER)) {
        flush();
        time = Number(t.slice(t.indexOf(FIELD) + 1));
        if (Number.isFinite(time)) newest = Math.max(newest, time);
        read++;
      } else if (t !== '' && known.has(t)) files.add(t);
    };
    const child = spawn(bin, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\u0000');
      rest = parts.pop() ?? '';
      for (const p of parts) token(p);
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on('error', (err) => resolve(`git log failed: ${err.message}`));
    child.on('close', (code) => {
      if (code !== 0) return resolve(`git log failed: ${stderr.trim().split('\n')[0] || `exit code ${code}`}`);
      token(rest);
      flush();
      resolve({ commits, read, huge, newest });
    });
  });
}

/** Decayed co-change weights between the given files (see the module header). */
export async function readCoChange(root: string, files: readonly string[], options: CoChangeOptions = {}): Promise<CoChangeHistory> {
  const maxFiles = checkOption('maxCommitFiles', options.maxCommitFiles ?? CO_CHANGE_DEFAULTS.maxCommitFiles, 2, true);
  const halfLife = checkOption('halfLifeDays', options.halfLifeDays ?? CO_CHANGE_DEFAULTS.halfLifeDays, Number.MIN_VALUE, false);
  const maxCommits = checkOption('maxCommits', options.maxCommits ?? CO_CHANGE_DEFAULTS.maxCommits, 1, true);
  const bin = options.git ?? 'git';

  const dir = await stat(root).catch(() => null);
  if (!dir?.isDirectory()) return unavailable(`no git history: ${root} is not a directory`);
  const inside = await git(bin, root, ['rev-parse', '--is-inside-work-tree']);
  if (inside.missing) return unavailable(`no git history: git is not installed (${bin} not found)`);
  if (!inside.ok || inside.stdout.trim() !== 'true') {
    return unavailable(`no git history: ${root} is not inside a git work tree${inside.message ? ` (${inside.message})` : ''}`);
  }
  const rev = await git(bin, root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const head = rev.ok ? rev.stdout.trim() : '';
  if (!head) return unavailable('no git history: the repository has no commits yet');

  const log = await readLog(bin, root, new Set(files), maxCommits, maxFiles);
  if (typeof log === 'string') return unavailable(`no git history: ${log}`, head);
  if (log.read === 0) return unavailable('no git history: no commit touches the analysis root', head);

  const acc = new PairWeights();
  for (const commit of log.commits) {
    const decay = Math.pow(2, -(log.newest - commit.time) / DAY_SECONDS / halfLife);
    const w = decay / (commit.files.length - 1);
    const sorted = [...commit.files].sort();
    for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) acc.add(sorted[i]!, sorted[j]!, w);
  }
  const notes: string[] = [];
  if (log.huge > 0) notes.push(`${log.huge} of ${log.read} commits ignored for touching more than ${maxFiles} analysed files`);
  if (log.read >= maxCommits) notes.push(`history limited to the ${maxCommits} most recent commits`);
  const base = { available: true, head, commits: log.read, pairs: acc.edges() };
  return notes.length > 0 ? { ...base, note: notes.join('; ') } : base;
}
