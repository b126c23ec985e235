/**
 * Module resolution for import specifiers: `ts.resolveModuleName` with one
 * `ts.createModuleResolutionCache` per compiler config, over a memoising host that answers
 * for analysed files from memory. A specifier the project's own settings cannot resolve is
 * retried with bundler-style resolution (extensionless and `.js`→`.ts` relative imports, same
 * `paths`/`baseUrl`), since legacy code rarely follows one module convention throughout; then
 * bare specifiers are tried as workspace packages (workspaces.ts).
 *
 * Only targets among the analysed files count. Anything else (node_modules, `.d.ts`, JSON,
 * skipped files) is not a reference; a relative, absolute or `paths`-alias specifier for a
 * code module that resolves to nothing at all is counted as unresolved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { CompilerConfig, ProjectSetup } from './project.js';
import { resolveWorkspaceImport, type WorkspacePackage } from './workspaces.js';

/** Whether a specifier came from an ESM `import` or a CommonJS `require`. */
export type ImportMode = 'import' | 'require';

export interface ModuleResolver {
  /** The analysed file (absolute posix) a specifier resolves to, or null. */
  resolve(spec: string, fromAbs: string, mode: ImportMode): string | null;
  /** Relative/alias specifiers that resolved to nothing, so far. */
  readonly unresolved: number;
}

/** Extensions of modules we expect to resolve (others, like `.css`, are not counted as unresolved). */
const CODE_SPEC = /(^|\/)[^./]*$|\.([cm]?[jt]s|[jt]sx)$/;

interface ConfigResolver {
  readonly options: ts.CompilerOptions;
  readonly cache: ts.ModuleResolutionCache;
  readonly fallback: { options: ts.CompilerOptions; cache: ts.ModuleResolutionCache } | null;
  readonly aliasPrefixes: readonly string[];
  readonly nodeNext: boolean;
}

function memo<T>(map: Map<string, T>, key: string, compute: () => T): T {
  let v = map.get(key);
  if (v === undefined) {
    v = compute();
    map.set(key, v);
  }
  return v;
}

/** A module resolution host over the real file system, memoised, with analysed files answered from memory. */
function createHost(root: string, known: ReadonlySet<string>): ts.ModuleResolutionHost {
  const files = new Map<string, boolean>();
  const dirs = new Map<string, boolean>();
  const reals = new Map<string, string>();
  const isKind = (p: string, dir: boolean): boolean => {
    try {
      const st = fs.statSync(p, { throwIfNoEntry: false });
      return st !== undefined && (dir ? st.isDirectory() : st.isFile());
    } catch {
      return false;
    }
  };
  return {
    fileExists: (p) => known.has(p) || memo(files, p, () => isKind(p, false)),
    directoryExists: (p) => memo(dirs, p, () => isKind(p, true)),
    readFile: (p) => ts.sys.readFile(p),
    realpath: (p) =>
      memo(reals, p, () => {
        try {
          return fs.realpathSync.native(p).split(path.sep).join('/');
        } catch {
          return p;
        }
      }),
    getCurrentDirectory: () => root,
  };
}

function configResolver(cfg: CompilerConfig, root: string): ConfigResolver {
  const options = cfg.options;
  const cache = ts.createModuleResolutionCache(root, (f) => f, options);
  const MR = ts.ModuleResolutionKind;
  const nodeModules = [ts.ModuleKind.Node16, ts.ModuleKind.Node18, ts.ModuleKind.Node20, ts.ModuleKind.NodeNext];
  const nodeNext =
    options.moduleResolution === MR.Node16 ||
    options.moduleResolution === MR.NodeNext ||
    (options.moduleResolution === undefined && options.module !== undefined && nodeModules.includes(options.module));
  const fallbackNeeded = options.moduleResolution !== MR.Bundler;
  const fbOptions: ts.CompilerOptions = { ...options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowJs: true };
  return {
    options,
    cache,
    fallback: fallbackNeeded ? { options: fbOptions, cache: ts.createModuleResolutionCache(root, (f) => f, fbOptions) } : null,
    aliasPrefixes: Object.keys(options.paths ?? {})
      .map((k) => k.replace(/\*.*$/, ''))
      .filter((k) => k !== ''),
    nodeNext,
  };
}

/**
 * Creates the resolver for one run.
 * @param known absolute posix paths of the analysed files
 */
export function createResolver(root: string, project: ProjectSetup, known: ReadonlySet<string>, workspaces: ReadonlyMap<string, WorkspacePackage>): ModuleResolver {
  const host = createHost(root, known);
  const perConfig = new Map<string, ConfigResolver>();
  const formats = new Map<string, ts.ResolutionMode>();
  const has = (p: string): boolean => known.has(p);
  let unresolved = 0;

  const run = (spec: string, from: string, options: ts.CompilerOptions, cache: ts.ModuleResolutionCache, mode: ts.ResolutionMode): ts.ResolvedModuleFull | undefined => {
    try {
      return ts.resolveModuleName(spec, from, options, host, cache, undefined, mode).resolvedModule;
    } catch {
      return undefined; // resolution of odd specifiers must never fail a run
    }
  };

  return {
    get unresolved() {
      return unresolved;
    },
    resolve(spec, from, importMode) {
      const cfg = project.configFor(from);
      const r = memo(perConfig, cfg.dir, () => configResolver(cfg, root));
      let mode: ts.ResolutionMode = undefined;
      if (importMode === 'require') mode = ts.ModuleKind.CommonJS;
      else if (r.nodeNext) mode = memo(formats, from, () => ts.getImpliedNodeFormatForFile(from, r.cache.getPackageJsonInfoCache(), host, r.options) ?? ts.ModuleKind.ESNext);
      let hit = run(spec, from, r.options, r.cache, mode);
      if ((hit === undefined || !known.has(hit.resolvedFileName)) && r.fallback !== null) {
        const fb = run(spec, from, r.fallback.options, r.fallback.cache, importMode === 'require' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext);
        if (fb !== undefined && (hit === undefined || known.has(fb.resolvedFileName))) hit = fb;
      }
      if (hit !== undefined && known.has(hit.resolvedFileName)) return hit.resolvedFileName;
      const relative = spec.startsWith('.') || spec.startsWith('/');
      if (!relative) {
        const ws = resolveWorkspaceImport(spec, workspaces, has);
        if (ws !== null) return ws;
      }
      if (hit === undefined && CODE_SPEC.test(spec) && (relative || r.aliasPrefixes.some((p) => spec.startsWith(p)))) unresolved++;
      return null;
    },
  };
}
