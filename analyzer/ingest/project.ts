/**
 * Compiler options for module resolution, read through ts-morph's `Project` from the root's
 * tsconfig (the one given, else `<root>/tsconfig.json`, else defaults with `allowJs`) and from
 * each workspace package's own tsconfig (a `tsconfig.json` beside a `package.json`), so a
 * file is resolved with the `paths`/`baseUrl` of the nearest package that declares them.
 *
 * Only the options are used: no files are added to the Project and no type checker is built.
 * A tsconfig that is missing, unreadable, not JSON, or has invalid option values is an
 * ANL_TSCONFIG error naming the file. Tolerated, because they do not affect resolution:
 * "no inputs found" (18003), a missing `extends`/`files` target (6053, typical of a clone
 * without node_modules) and unknown options (5023).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Project, ts } from 'ts-morph';
import { FicusError } from '../../core/index.js';
import { IngestErrorCode } from './errors.js';
import { toPosix } from './files.js';

/** Compiler options governing the files under `dir`. */
export interface CompilerConfig {
  /** Absolute posix directory the options apply to. */
  readonly dir: string;
  /** Absolute posix path of the tsconfig, or null for the defaults. */
  readonly file: string | null;
  readonly options: ts.CompilerOptions;
}

export interface ProjectSetup {
  /** The root tsconfig used (absolute posix), or null when defaults apply. */
  readonly tsconfig: string | null;
  /** Root config first, then one per workspace package with its own tsconfig. */
  readonly configs: readonly CompilerConfig[];
  /** The config of the nearest enclosing package (or the root's) for an absolute posix file path. */
  configFor(fileAbs: string): CompilerConfig;
}

/** Options used when the root has no tsconfig: modern bundler-style resolution, JS allowed. */
export const DEFAULT_COMPILER_OPTIONS: Readonly<ts.CompilerOptions> = Object.freeze({
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  jsx: ts.JsxEmit.Preserve,
  resolveJsonModule: true,
  esModuleInterop: true,
});

const TOLERATED_DIAGNOSTICS = new Set([18003, 6053, 5023]);

/** Reads one tsconfig's compiler options. @throws FicusError ANL_TSCONFIG */
export function readTsconfig(file: string): ts.CompilerOptions {
  let project: Project;
  try {
    project = new Project({ tsConfigFilePath: file, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, skipLoadingLibFiles: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new FicusError(IngestErrorCode.TSCONFIG, `${file}: cannot read this tsconfig (${msg}); fix it or pass another with --tsconfig`, {
      exitCode: 2,
      cause: err,
      details: { file },
    });
  }
  const problems = project
    .getConfigFileParsingDiagnostics()
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error && !TOLERATED_DIAGNOSTICS.has(d.getCode()))
    .map((d) => ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, ' '));
  if (problems.length > 0) {
    throw new FicusError(IngestErrorCode.TSCONFIG, `${file}: invalid tsconfig: ${problems.join('; ')}`, {
      exitCode: 2,
      details: { file, problems },
    });
  }
  return { ...project.getCompilerOptions(), allowJs: true };
}

/** Finds the root tsconfig: the explicit one (relative to the cwd, else to the root), else `<root>/tsconfig.json`. */
function locateRootTsconfig(root: string, explicit: string | undefined): string | null {
  if (explicit !== undefined) {
    const candidates = [path.resolve(explicit), path.resolve(root, explicit)];
    const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (found === undefined) {
      throw new FicusError(IngestErrorCode.TSCONFIG, `${explicit}: tsconfig not found (looked in the current directory and in ${root})`, {
        exitCode: 2,
        details: { file: explicit },
      });
    }
    return toPosix(found);
  }
  const implicit = `${root}/tsconfig.json`;
  return fs.existsSync(implicit) ? implicit : null;
}

/**
 * Loads the root config and the workspace packages' configs.
 * @param tsconfigs absolute posix paths of tsconfig.json files discovery passed
 * @param packageJsons absolute posix paths of package.json files discovery passed
 */
export function loadProject(root: string, explicit: string | undefined, tsconfigs: readonly string[], packageJsons: readonly string[]): ProjectSetup {
  const rootFile = locateRootTsconfig(root, explicit);
  const rootConfig: CompilerConfig = {
    dir: root,
    file: rootFile,
    options: rootFile === null ? { ...DEFAULT_COMPILER_OPTIONS } : readTsconfig(rootFile),
  };
  const packageDirs = new Set(packageJsons.map((p) => path.posix.dirname(p)));
  const configs: CompilerConfig[] = [rootConfig];
  for (const file of tsconfigs) {
    const dir = path.posix.dirname(file);
    if (dir === root || file === rootFile || !packageDirs.has(dir)) continue;
    configs.push({ dir, file, options: readTsconfig(file) });
  }
  // Deepest directory first, so the nearest enclosing package wins.
  const byDepth = [...configs].sort((a, b) => b.dir.length - a.dir.length);
  const memo = new Map<string, CompilerConfig>();
  return {
    tsconfig: rootFile,
    configs,
    configFor(fileAbs: string): CompilerConfig {
      const dir = path.posix.dirname(fileAbs);
      let hit = memo.get(dir);
      if (hit === undefined) {
        hit = byDepth.find((c) => dir === c.dir || dir.startsWith(`${c.dir}/`)) ?? rootConfig;
        memo.set(dir, hit);
      }
      return hit;
    },
  };
}
