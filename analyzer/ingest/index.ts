/**
 * Ingest: from a root directory to the FileFacts the graph stage builds on.
 * discover (files.ts) → compiler options per package (project.ts) → parse and walk each file
 * (walk.ts) → resolve imports and follow re-exports across files (link.ts).
 * A file that cannot be read or parsed is reported in `failed`, never fatal; a root with no
 * source file left after the filters is an ANL_NO_SOURCES error.
 *
 * @example
 * const { files, failed } = await ingest('/repos/shop', { exclude: ['scripts/**'] });
 */
import path from 'node:path';
import { FicusError } from '../../core/index.js';
import type { IngestProblem, IngestResult } from '../model.js';
import { IngestErrorCode } from './errors.js';
import { checkRoot, compare, discoverFiles } from './files.js';
import { DEFAULT_SKIPS_SUMMARY } from './filters.js';
import { Linker } from './link.js';
import { loadProject } from './project.js';
import { createResolver } from './resolve.js';
import type { FileScan } from './scan.js';
import { parseFile, scanFile } from './walk.js';
import { readWorkspacePackages } from './workspaces.js';

export { readCoChange } from './history.js';

export interface IngestOptions {
  readonly tsconfig?: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Called as files are parsed (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

export async function ingest(root: string, options: IngestOptions = {}): Promise<IngestResult> {
  const rootAbs = await checkRoot(root);
  const found = await discoverFiles(rootAbs, {
    ...(options.include !== undefined && { include: options.include }),
    ...(options.exclude !== undefined && { exclude: options.exclude }),
  });
  if (found.files.length === 0) {
    const filters = [options.include?.length ? `--include ${options.include.join(',')}` : '', options.exclude?.length ? `--exclude ${options.exclude.join(',')}` : '']
      .filter(Boolean)
      .join(' ');
    const unreadable = found.failed.length > 0 ? ` (${found.failed.length} unreadable, first: ${found.failed[0]!.path}: ${found.failed[0]!.reason})` : '';
    throw new FicusError(
      IngestErrorCode.NO_SOURCES,
      `${root}: no TypeScript or JavaScript source files to analyze${filters ? ` with ${filters}` : ''}${unreadable}; ficus reads .ts/.tsx/.js/.jsx/.mjs/.cjs and skips ${DEFAULT_SKIPS_SUMMARY}`,
      { exitCode: 2, details: { root: rootAbs } },
    );
  }
  const project = loadProject(rootAbs, options.tsconfig, found.tsconfigs, found.packageJsons);
  const workspaces = readWorkspacePackages(rootAbs, found.packageJsons);
  const resolver = createResolver(rootAbs, project, new Set(found.files.map((f) => f.abs)), workspaces);

  const failed: IngestProblem[] = [...found.failed];
  const scans: FileScan[] = [];
  const total = found.files.length;
  const progress = options.onProgress ?? (() => undefined);
  let done = 0;
  for (const file of found.files) {
    const parsed = parseFile(file.abs, file.text);
    if ('error' in parsed) failed.push({ path: file.rel, reason: parsed.error });
    else {
      try {
        scans.push(scanFile(parsed.sf, file.abs, file.rel, file.text));
      } catch (err) {
        // A walker bug on one odd file must not fail the run; it is reported like a parse failure.
        failed.push({ path: file.rel, reason: `could not analyse: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    done++;
    if (done % 64 === 0 || done === total) progress(done, total);
    // Yield now and then so a progress bar can redraw on big trees.
    if (done % 256 === 0) await new Promise((r) => setImmediate(r));
  }
  const files = new Linker(scans, resolver).facts(scans);
  failed.sort((a, b) => compare(a.path, b.path));
  const tsconfig = project.tsconfig === null ? null : relOrAbs(rootAbs, project.tsconfig);
  return {
    root: rootAbs,
    files,
    failed,
    unresolvedImports: resolver.unresolved,
    totalLines: files.reduce((n, f) => n + f.lines, 0),
    tsconfig,
  };
}

function relOrAbs(root: string, file: string): string {
  const rel = path.posix.relative(root, file);
  return rel.startsWith('..') ? file : rel;
}
