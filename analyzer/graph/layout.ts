/**
 * Folder layout detection: are the folders technical layers (routes/, controllers/,
 * services/, repositories/, models/ — the files of one domain spread across them) or features
 * (modules/orders/, billing/ — one domain per folder)? On a layered monolith "same folder"
 * means "same layer" and must not pull files together; on a feature-organised one it is the
 * best prior there is.
 *
 * A folder is judged a layer when
 * - its name is a known layer word (`LAYER_WORDS`, singularised), or
 * - structurally, it is *parallel*: at least half of its files' name stems (names.ts) also
 *   occur in some folder that is neither its ancestor nor its descendant. Layers repeat the
 *   same concepts side by side (OrderController next to OrderService in another folder);
 *   feature folders do not. This catches layers with unusual names (`web/`, `persistence/`,
 *   `ports/`) and layers nested inside features (`orders/controllers/`).
 * Container names (`src`, `modules`, `packages`…) and the prefix common to all files are
 * neither. A file's *feature key* is what remains of its folder path: `src/modules/orders/
 * services/x.ts` → `orders`; `routes/orderRoutes.ts` → '' (none).
 * Style: `layered` when ≥ 50 % of files sit first under a layer folder, `feature` when ≥ 50 %
 * have a feature key, `flat` when no file is in a folder, else `mixed`.
 */
import { folderWord, stemWords } from './names.js';

export const LAYER_WORDS: ReadonlySet<string> = new Set([
  'route', 'router', 'routing', 'controller', 'handler', 'api', 'endpoint', 'resource', 'rest', 'web', 'http',
  'view', 'page', 'component', 'service', 'usecase', 'application', 'domain', 'repository', 'repo', 'dao',
  'persistence', 'data', 'model', 'entity', 'schema', 'dto', 'type', 'typing', 'interface', 'mapper',
  'adapter', 'infrastructure', 'infra', 'middleware', 'util', 'helper', 'lib', 'common', 'shared', 'core',
  'config', 'configuration', 'validator', 'validation', 'serializer', 'job', 'worker', 'task', 'queue',
  'event', 'listener', 'subscriber', 'consumer', 'producer', 'client', 'gateway', 'provider', 'factory',
  'test', 'tests', 'spec', 'fixture', 'mock', 'migration', 'seed', 'script', 'constant', 'enum', 'error',
  'exception', 'interceptor', 'guard', 'decorator', 'pipe', 'filter', 'plugin', 'hook', 'db', 'database',
  'presentation', 'facade', 'port', 'store', 'dal', 'bll', 'business', 'logic', 'support', 'integration',
]);

/** Folders that only contain (neither layer nor feature). */
export const CONTAINER_WORDS: ReadonlySet<string> = new Set([
  'src', 'source', 'app', 'main', 'java', 'kotlin', 'scala', 'ts', 'js', 'com', 'org', 'net', 'io',
  'package', 'module', 'feature', 'apps', 'server', 'backend', 'internal', 'pkg', 'cmd', 'code', 'project',
]);

export type FolderStyle = 'layered' | 'feature' | 'mixed' | 'flat';

export interface FolderLayout {
  readonly style: FolderStyle;
  /** Share of files whose first meaningful folder is a layer. */
  readonly layerShare: number;
  /** Share of files with a non-empty feature key. */
  readonly featureShare: number;
  /** Folder paths judged layers, and why. */
  readonly layerFolders: ReadonlyMap<string, 'name' | 'parallel'>;
  /** Feature key per file ('' when none). */
  readonly featureOf: ReadonlyMap<string, string>;
}

function dirSegments(path: string): string[] {
  const parts = path.split('/');
  parts.pop();
  return parts.filter((p) => p.length > 0 && p !== '.');
}

/** Whether one folder path is the other or contains it. */
function related(x: string, y: string): boolean {
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

/** Classify the folders of a file set (paths posix, relative). */
export function detectFolderLayout(paths: readonly string[]): FolderLayout {
  const segs = paths.map(dirSegments);
  let common = segs[0]?.length ?? 0;
  for (const s of segs) {
    let i = 0;
    while (i < common && i < s.length && s[i] === segs[0]![i]) i++;
    common = i;
  }
  const dirOf = segs.map((s) => s.slice(common).join('/'));

  // Which folders repeat the stems of folders beside them (parallel = layer-like).
  const dirsByStem = new Map<string, Set<string>>();
  const stemsByDir = new Map<string, string[]>();
  paths.forEach((p, i) => {
    const stem = stemWords(p).join('-');
    if (!stem) return;
    const dir = dirOf[i]!;
    (dirsByStem.get(stem) ?? dirsByStem.set(stem, new Set()).get(stem)!).add(dir);
    (stemsByDir.get(dir) ?? stemsByDir.set(dir, []).get(dir)!).push(stem);
  });
  const parallel = new Set<string>();
  for (const [dir, stems] of stemsByDir) {
    if (dir === '' || stems.length < 2) continue;
    const recurring = stems.filter((s) => [...dirsByStem.get(s)!].some((d) => !related(d, dir))).length;
    if (recurring / stems.length >= 0.5) parallel.add(dir);
  }

  const layerFolders = new Map<string, 'name' | 'parallel'>();
  const featureOf = new Map<string, string>();
  let layerFirst = 0;
  let withFeature = 0;
  let inFolder = 0;
  for (const [i, p] of paths.entries()) {
    const rel = segs[i]!.slice(common);
    if (rel.length > 0) inFolder++;
    const feature: string[] = [];
    let first: 'layer' | 'feature' | null = null;
    for (const [k, seg] of rel.entries()) {
      const word = folderWord(seg);
      if (CONTAINER_WORDS.has(word)) continue;
      const dir = rel.slice(0, k + 1).join('/');
      const why = LAYER_WORDS.has(word) ? 'name' : parallel.has(dir) ? 'parallel' : null;
      if (why) layerFolders.set(dir, why);
      else feature.push(seg);
      first ??= why ? 'layer' : 'feature';
    }
    if (first === 'layer') layerFirst++;
    if (feature.length > 0) withFeature++;
    featureOf.set(p, feature.join('/'));
  }
  const n = Math.max(1, paths.length);
  const layerShare = layerFirst / n;
  const featureShare = withFeature / n;
  const style: FolderStyle =
    inFolder === 0 ? 'flat' : layerShare >= 0.5 ? 'layered' : featureShare >= 0.5 ? 'feature' : 'mixed';
  return { style, layerShare, featureShare, layerFolders, featureOf };
}
