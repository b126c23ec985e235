/**
 * The JSON Schemas ficus publishes (schemas/<name>.schema.json), by name. Each part owns its
 * schema; this map only lists them for `ficus schema` and the schema-file test.
 */
import { AnalyzeConfigSchema, DecompositionSchema } from '../analyzer/index.js';

export const SCHEMAS: Readonly<Record<string, object>> = {
  decomposition: DecompositionSchema,
  'analyze-config': { $id: 'https://ficus.dev/schemas/analyze-config.schema.json', ...AnalyzeConfigSchema },
};
