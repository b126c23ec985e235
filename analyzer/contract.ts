/**
 * Validation of a Decomposition read back from disk (by `ficus report`, the gateway/CDC draft
 * readers, tests): the JSON must match the schema of its `schemaVersion`.
 */
import { FicusError, compileSchema, describeSchemaError, formatFieldPath } from '../core/index.js';
import { DECOMPOSITION_SCHEMA_VERSION, DecompositionSchema, type Decomposition } from './decomposition.js';

export function validateDecomposition(value: unknown, file = 'decomposition.json'): Decomposition {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== DECOMPOSITION_SCHEMA_VERSION) {
    throw new FicusError(
      'ANL_DECOMPOSITION_VERSION',
      `${file}: schemaVersion ${JSON.stringify(version)} is not supported; this ficus reads "${DECOMPOSITION_SCHEMA_VERSION}" (re-run ficus analyze)`,
    );
  }
  const validate = compileSchema(DecompositionSchema);
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const problem = first ? describeSchemaError(first) : undefined;
    throw new FicusError(
      'ANL_DECOMPOSITION_INVALID',
      `${file}: ${problem ? `${formatFieldPath(problem.path)} ${problem.message}` : 'does not match the decomposition schema'}`,
      { details: { errors: validate.errors?.length ?? 0 } },
    );
  }
  return value as Decomposition;
}
