/**
 * JSON Schema validation for configs and contracts: one ajv instance per schema (cached),
 * defaults filled from the schema, scalar strings coerced where the schema wants a number or
 * boolean (so `port: ${PORT}` works), and ajv errors turned into sentences that say what is
 * valid.
 */
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Document, LineCounter } from 'yaml';
import { pointerToPath, positionAt, positionOfKey, type Position } from './positions.js';

// ajv-formats ships CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const cache = new WeakMap<object, ValidateFunction>();

export function compileSchema(schema: TSchema | object): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, coerceTypes: true, strict: false });
    addFormats(ajv);
    fn = ajv.compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

export interface SchemaProblem {
  readonly path: (string | number)[];
  readonly message: string;
  readonly position: Position | undefined;
}

function list(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values);
}

function constAlternatives(schema: unknown): unknown[] | undefined {
  const anyOf = (schema as { anyOf?: unknown[] } | undefined)?.anyOf;
  if (!Array.isArray(anyOf) || anyOf.length === 0) return undefined;
  const values = anyOf.map((s) => (s as { const?: unknown }).const);
  return values.every((v) => v !== undefined) ? values : undefined;
}

/**
 * ajv reports a failed union of literals (TypeBox `Union([Literal…])`) as one `const` error per
 * branch plus an `anyOf`; users want one "must be one of" sentence. Keeps the first error per
 * field, most specific first.
 */
export function simplifyErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const enumAt = new Map<string, ErrorObject>();
  for (const e of errors) {
    const values = e.keyword === 'anyOf' ? constAlternatives(e.schema === undefined ? e.parentSchema : { anyOf: e.schema }) : undefined;
    if (values) enumAt.set(e.instancePath, { ...e, keyword: 'enum', params: { allowedValues: values } });
  }
  const out: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const merged = enumAt.get(e.instancePath);
    const pick = merged && (e.keyword === 'const' || e.keyword === 'anyOf') ? merged : e;
    const key = `${pick.instancePath}|${pick.keyword}|${JSON.stringify(pick.params)}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(pick);
    }
  }
  return out;
}

/** One ajv error → field path, a sentence, and where it is in the text. */
export function describeSchemaError(error: ErrorObject, doc?: Document, counter?: LineCounter): SchemaProblem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  let message: string;
  let position: Position | undefined;
  const locate = (p: (string | number)[]) => (doc && counter ? positionAt(doc, counter, p) : undefined);
  switch (error.keyword) {
    case 'required':
      message = `is missing the required field "${String(params.missingProperty)}"`;
      position = locate(path);
      break;
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      message = `has an unknown field "${extra}"${allowed.length ? `; valid fields: ${allowed.join(', ')}` : ''}`;
      position = doc && counter ? positionOfKey(doc, counter, path, extra) : undefined;
      break;
    }
    case 'enum':
      message = `must be one of ${list(params.allowedValues)}, not ${JSON.stringify(error.data)}`;
      position = locate(path);
      break;
    case 'const':
      message = `must be ${JSON.stringify(params.allowedValue)}, not ${JSON.stringify(error.data)}`;
      position = locate(path);
      break;
    case 'type':
      message = `must be ${String(params.type)}, not ${JSON.stringify(error.data)}`;
      position = locate(path);
      break;
    default:
      message = `${error.message ?? 'is invalid'}${error.data !== undefined && typeof error.data !== 'object' ? ` (got ${JSON.stringify(error.data)})` : ''}`;
      position = locate(path);
  }
  return { path, message, position };
}
