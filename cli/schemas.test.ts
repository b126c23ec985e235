/**
 * The schema files in schemas/ are exactly what `ficus schema <name>` prints, so tools reading
 * them validate against the same rules as ficus itself (regenerate with `npm run schemas`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaText } from './commands/schema.js';
import { SCHEMAS } from './schemas.js';

const ROOT = join(import.meta.dirname, '..');

describe('published JSON Schemas', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`schemas/${name}.schema.json is current`, () => {
      const onDisk = readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8');
      expect(onDisk).toBe(schemaText(schema));
    });
  }
});
