// Finds files shipped next to the sources (schema.sql, catalog.json) from src/ or dist/ alike.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Walks up from this module's folder, then from the working directory, until `relative` exists.
 * @example locateResource('samples/data/catalog.json') // works from samples/ and dist/samples/
 */
export function locateResource(relative: string): string {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  const tried: string[] = [];
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, relative);
      tried.push(candidate);
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`cannot find ${relative}; looked in ${tried.length} places, from ${starts.join(' and ')} up to the root`);
}
