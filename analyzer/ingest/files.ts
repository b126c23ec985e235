/**
 * Discovery: walks the analysis root for TypeScript/JavaScript sources, applying the default
 * skips and the user's globs (filters.ts), and reads every kept file. Symbolic links are
 * followed, but each directory is entered once by its real path, so link loops terminate.
 * Unreadable and binary files are reported in `failed`, never thrown. Along the way it notes
 * the `package.json` and `tsconfig.json` files it passes, for workspace and alias resolution.
 */
import { promises as fsp, type Dirent } from 'node:fs';
import path from 'node:path';
import { FicusError } from '../../core/index.js';
import type { IngestProblem } from '../model.js';
import { IngestErrorCode } from './errors.js';
import { contentSkipReason, createPathFilter, isBinary, isCandidateFile, isSkippedDir } from './filters.js';

/** A source file kept by discovery, with its text already read. */
export interface SourceFile {
  /** Absolute path with forward slashes. */
  readonly abs: string;
  /** Posix path relative to the root. */
  readonly rel: string;
  readonly text: string;
}

export interface Discovery {
  /** Kept files, sorted by `rel`. */
  readonly files: readonly SourceFile[];
  readonly failed: readonly IngestProblem[];
  /** Absolute posix paths of package.json files seen (root's included). */
  readonly packageJsons: readonly string[];
  /** Absolute posix paths of tsconfig.json files seen (root's included). */
  readonly tsconfigs: readonly string[];
  /** Files skipped for their content (generated banner, minified). */
  readonly skippedByContent: number;
}

export interface DiscoverOptions {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Files read in parallel. */
  readonly concurrency?: number;
}

/** Converts a platform path to forward slashes. */
export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/**
 * Resolves and checks the root: it must exist and be a directory.
 * @throws FicusError ANL_ROOT_NOT_FOUND | ANL_ROOT_NOT_DIR
 */
export async function checkRoot(root: string): Promise<string> {
  const abs = path.resolve(root);
  const stat = await fsp.stat(abs).catch(() => null);
  if (stat === null) {
    throw new FicusError(IngestErrorCode.ROOT_NOT_FOUND, `${root}: no such directory; pass the folder that holds the source code`, {
      exitCode: 2,
      details: { root: abs },
    });
  }
  if (!stat.isDirectory()) {
    throw new FicusError(IngestErrorCode.ROOT_NOT_DIR, `${root}: is a file, not a directory; pass the folder that holds the source code`, {
      exitCode: 2,
      details: { root: abs },
    });
  }
  // The real path, so module resolution (which follows links) and discovery agree on names.
  return toPosix(await fsp.realpath(abs));
}

/** Walks `root` (absolute posix) and reads every source file discovery keeps. */
export async function discoverFiles(root: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const filter = createPathFilter(options.include, options.exclude);
  const candidates: { abs: string; rel: string }[] = [];
  const failed: IngestProblem[] = [];
  const packageJsons: string[] = [];
  const tsconfigs: string[] = [];
  const visited = new Set<string>();

  const walk = async (dirAbs: string, dirRel: string): Promise<void> => {
    const real = await fsp.realpath(dirAbs).catch(() => null);
    if (real === null || visited.has(real)) return;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dirAbs, { withFileTypes: true });
    } catch (err) {
      if (dirRel !== '') failed.push({ path: dirRel, reason: `unreadable directory: ${errorText(err)}` });
      return;
    }
    entries.sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      const abs = `${dirAbs}/${entry.name}`;
      const rel = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const st = await fsp.stat(abs).catch(() => null);
        isDir = st?.isDirectory() ?? false;
        isFile = st?.isFile() ?? false;
      }
      if (isDir) {
        // Sequential and sorted, so which path reaches a linked directory first is deterministic.
        if (!isSkippedDir(entry.name) && filter.walkDir(rel)) await walk(abs, rel);
      } else if (isFile) {
        if (entry.name === 'package.json') packageJsons.push(abs);
        else if (entry.name === 'tsconfig.json') tsconfigs.push(abs);
        else if (isCandidateFile(entry.name) && filter.keepFile(rel)) candidates.push({ abs, rel });
      }
    }
  };
  await walk(root, '');

  candidates.sort((a, b) => compare(a.rel, b.rel));
  const read = await readAll(candidates, options.concurrency ?? 64);
  const files: SourceFile[] = [];
  let skippedByContent = 0;
  for (const r of read) {
    if ('reason' in r) failed.push(r);
    else if (contentSkipReason(r.text) !== null) skippedByContent++;
    else files.push(r);
  }
  failed.sort((a, b) => compare(a.path, b.path));
  return { files, failed, packageJsons: packageJsons.sort(compare), tsconfigs: tsconfigs.sort(compare), skippedByContent };
}

async function readAll(cands: readonly { abs: string; rel: string }[], concurrency: number): Promise<(SourceFile | IngestProblem)[]> {
  const out: (SourceFile | IngestProblem)[] = new Array(cands.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < cands.length; i = next++) {
      const c = cands[i]!;
      try {
        const buf = await fsp.readFile(c.abs);
        out[i] = isBinary(buf) ? { path: c.rel, reason: 'binary file (NUL byte in the first 8 KB)' } : { ...c, text: buf.toString('utf8') };
      } catch (err) {
        out[i] = { path: c.rel, reason: `unreadable: ${errorText(err)}` };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, cands.length)) }, worker));
  return out;
}

function errorText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}

/** Plain code-unit order, so output does not depend on the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
