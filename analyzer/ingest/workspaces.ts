/**
 * Workspace packages of a monorepo-style root: every `package.json` below the root that has a
 * `name` (found by discovery, so it covers npm/yarn/pnpm workspaces, lerna and plain
 * `packages/*` layouts alike). An import of `@scope/pkg` or `@scope/pkg/sub` is mapped to the
 * package's *source* file: first the entry fields (`source`, `types`, `exports`, `module`,
 * `main`) taken as they are, then with a build folder (`dist/`, `build/`, `lib/`, `out/`)
 * swapped for `src/` and the emitted extension for a source one, then `src/index`, `index`.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface WorkspacePackage {
  readonly name: string;
  /** Absolute posix directory. */
  readonly dir: string;
  /** Entry paths relative to `dir`, in preference order. */
  readonly entries: readonly string[];
}

const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const EMITTED_EXT = /(\.d)?\.([cm]?js|[cm]?ts|jsx|tsx)$/;
const BUILD_DIR = /^(\.\/)?(dist|build|lib|out)\//;

/** Collects `exports["."]` targets, preferring source-like conditions. */
function exportTargets(exp: unknown): string[] {
  if (typeof exp === 'string') return [exp];
  if (Array.isArray(exp)) return exp.flatMap(exportTargets);
  if (exp === null || typeof exp !== 'object') return [];
  const obj = exp as Record<string, unknown>;
  if ('.' in obj) return exportTargets(obj['.']);
  const order = ['source', 'types', 'import', 'module', 'require', 'node', 'default'];
  return [...order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !order.includes(k))].flatMap((k) => exportTargets(obj[k]));
}

/** Reads the named packages among `packageJsons` (absolute posix), except the root's own. */
export function readWorkspacePackages(root: string, packageJsons: readonly string[]): Map<string, WorkspacePackage> {
  const out = new Map<string, WorkspacePackage>();
  for (const file of packageJsons) {
    const dir = path.posix.dirname(file);
    if (dir === root) continue;
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      continue; // a broken package.json only costs us alias resolution for that package
    }
    if (typeof pkg.name !== 'string' || pkg.name === '' || out.has(pkg.name)) continue;
    const fields = [pkg.source, pkg.types, pkg.typings, ...exportTargets(pkg.exports), pkg.module, pkg.main];
    const entries = fields.filter((f): f is string => typeof f === 'string' && f !== '').map((f) => f.replace(/^\.\//, ''));
    out.set(pkg.name, { name: pkg.name, dir, entries });
  }
  return out;
}

/** Splits `@scope/pkg/sub/path` into package name and subpath. */
export function splitPackageSpecifier(spec: string): { name: string; sub: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, n).join('/'), sub: parts.slice(n).join('/') };
}

/** Tries `base` as a file, with source extensions, and as a folder with an index file. */
function tryModule(base: string, has: (abs: string) => boolean): string | null {
  if (has(base)) return base;
  const stem = base.replace(EMITTED_EXT, '');
  for (const b of stem === base ? [base] : [stem, base]) {
    for (const ext of SOURCE_EXTS) if (has(b + ext)) return b + ext;
  }
  for (const ext of SOURCE_EXTS) if (has(`${base}/index${ext}`)) return `${base}/index${ext}`;
  return null;
}

/**
 * The source file a workspace import means, or null when it is not a workspace package or no
 * source file could be found.
 * @param has whether an absolute posix path is one of the analysed files
 */
export function resolveWorkspaceImport(spec: string, packages: ReadonlyMap<string, WorkspacePackage>, has: (abs: string) => boolean): string | null {
  const { name, sub } = splitPackageSpecifier(spec);
  const pkg = packages.get(name);
  if (pkg === undefined) return null;
  const rels = sub !== '' ? [sub, `src/${sub}`] : [...pkg.entries, ...pkg.entries.map((e) => e.replace(BUILD_DIR, 'src/')), 'src/index', 'index'];
  for (const rel of rels) {
    const hit = tryModule(path.posix.join(pkg.dir, rel), has);
    if (hit !== null) return hit;
  }
  return null;
}
