/**
 * Which files discovery keeps: source extensions, the folders and names skipped by default
 * (dependencies, build output, tests, fixtures, generated code), content checks (binary,
 * generated banner, minified bundle) and the user's include/exclude globs (minimatch, with
 * `matchBase` so a slash-free pattern such as `legacy` or `*.old.ts` matches at any depth).
 */
import { Minimatch } from 'minimatch';
import { FicusError } from '../../core/index.js';
import { IngestErrorCode } from './errors.js';

/** File extensions analysed (TypeScript and JavaScript, all module flavours). */
export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Directory names never descended into (hidden directories are skipped too). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', 'dist', 'build', 'out', 'coverage',
  '__tests__', 'test', 'tests', '__mocks__', 'fixtures', '__fixtures__', 'generated',
]);

/** File-name patterns skipped: declarations, tests, generated code, minified bundles. */
const SKIPPED_NAME = /\.d\.[cm]?ts$|\.(test|spec)\.[^.]+$|\.generated\.[^.]+$|\.min\.[cm]?js$/;

/** A one-line summary of the default skips, for error messages. */
export const DEFAULT_SKIPS_SUMMARY =
  'node_modules, dist, build, out, coverage, hidden folders, *.d.ts, tests (*.test.*, *.spec.*, __tests__/, test/, tests/, __mocks__/), ' +
  'fixtures (fixtures/, __fixtures__/), generated code (*.generated.*, generated/, @generated banners), minified bundles';

const GENERATED_BANNER = /@generated|auto-?generated|do not edit/i;
const BINARY_PROBE = 8 * 1024;
const LONG_LINE = 2000;

/** True for a directory entry name discovery must not descend into. */
export function isSkippedDir(name: string): boolean {
  return name.startsWith('.') || SKIPPED_DIRS.has(name);
}

/** True for a file name with an analysed extension that the default rules do not skip. */
export function isCandidateFile(name: string): boolean {
  if (name.startsWith('.')) return false;
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || !SOURCE_EXTENSIONS.includes(name.slice(dot))) return false;
  return !SKIPPED_NAME.test(name);
}

/** True when the first 8 KB hold a NUL byte. */
export function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, BINARY_PROBE).includes(0);
}

/** Why a file's content makes it not worth analysing (generated, minified), or null. */
export function contentSkipReason(text: string): 'generated' | 'minified' | null {
  if (GENERATED_BANNER.test(text.slice(0, 300))) return 'generated';
  if (text.length > LONG_LINE && looksMinified(text)) return 'minified';
  return null;
}

/** A line over 2,000 characters in a file whose lines average over 200 characters. */
function looksMinified(text: string): boolean {
  let newlines = 0;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    newlines++;
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  longest = Math.max(longest, text.length - start);
  return longest > LONG_LINE && text.length / (newlines + 1) > 200;
}

/** Compiled include/exclude globs, matched against posix paths relative to the root. */
export interface PathFilter {
  /** False when the directory (relative path) is excluded and must not be walked. */
  walkDir(rel: string): boolean;
  /** False when the file (relative path) is excluded or not included. */
  keepFile(rel: string): boolean;
}

function compile(patterns: readonly string[] | undefined, field: string): Minimatch[] {
  return (patterns ?? []).map((p) => {
    if (typeof p !== 'string' || p.trim() === '') {
      throw new FicusError(IngestErrorCode.BAD_GLOB, `${field}: ${JSON.stringify(p)} is not a glob; pass patterns such as "src/**" or "legacy"`, {
        exitCode: 2,
        details: { field, pattern: p },
      });
    }
    return new Minimatch(p.replace(/^\.\//, ''), { dot: true, matchBase: true });
  });
}

/** Builds the glob filter; an include list narrows the set, an exclude list removes from it. */
export function createPathFilter(include?: readonly string[], exclude?: readonly string[]): PathFilter {
  const inc = compile(include, 'include');
  const exc = compile(exclude, 'exclude');
  const dirExc = exc.map((m) => (m.pattern.endsWith('/**') ? new Minimatch(m.pattern.slice(0, -3), { dot: true, matchBase: true }) : m));
  return {
    walkDir: (rel) => !dirExc.some((m) => m.match(rel)),
    keepFile: (rel) => (inc.length === 0 || inc.some((m) => m.match(rel))) && !exc.some((m) => m.match(rel)),
  };
}
