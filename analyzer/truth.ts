/**
 * Scoring a decomposition against a known one: a TRUTH file `{ "contexts": { "<name>":
 * ["<glob or path>", …] } }` (globs relative to the analysed root) gives each file its intended
 * context, and the adjusted Rand index compares that with the context ficus put it in.
 * Used by the sample's quality test and the benchmark; files a truth does not name are ignored.
 */
import { readFile } from 'node:fs/promises';
import { Minimatch } from 'minimatch';
import { FicusError } from '../core/index.js';
import { adjustedRandIndex } from './metrics/ari.js';

export interface Truth {
  readonly contexts: Readonly<Record<string, readonly string[]>>;
}

export interface TruthScore {
  readonly ari: number;
  /** Files both the truth and the decomposition place. */
  readonly files: number;
  /** Files the truth names twice (first context wins). */
  readonly ambiguous: readonly string[];
}

export async function readTruth(file: string): Promise<Truth> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new FicusError('ANL_TRUTH', `${file}: cannot read a TRUTH file (${(err as Error).message})`, { exitCode: 2, cause: err });
  }
  const contexts = (value as { contexts?: unknown } | null)?.contexts;
  const ok = contexts !== null && typeof contexts === 'object' &&
    Object.values(contexts as object).every((v) => Array.isArray(v) && v.every((g) => typeof g === 'string'));
  if (!ok) throw new FicusError('ANL_TRUTH', `${file}: expected { "contexts": { "<name>": ["<glob>", …] } }`, { exitCode: 2 });
  return value as Truth;
}

/** The truth's context per file among `files`. */
export function truthLabels(truth: Truth, files: readonly string[]): { labels: Map<string, string>; ambiguous: string[] } {
  const matchers = Object.entries(truth.contexts).map(([name, globs]) => ({ name, m: globs.map((g) => new Minimatch(g, { dot: true })) }));
  const labels = new Map<string, string>();
  const ambiguous: string[] = [];
  for (const file of files) {
    const hits = matchers.filter(({ m }) => m.some((x) => x.match(file)));
    if (hits.length > 1) ambiguous.push(file);
    if (hits[0]) labels.set(file, hits[0].name);
  }
  return { labels, ambiguous };
}

/** ARI between the truth and a file → context map. */
export function scoreAgainstTruth(truth: Truth, contextOf: ReadonlyMap<string, string>): TruthScore {
  const { labels, ambiguous } = truthLabels(truth, [...contextOf.keys()]);
  return { ari: adjustedRandIndex(labels, contextOf), files: labels.size, ambiguous };
}
