/**
 * Config loading shared by every part: read a YAML or JSON file, substitute `${ENV}`
 * references, validate once against a JSON Schema (TypeBox/ajv) with the defaults in the
 * schema, and return the typed, frozen result. Every failure is a FicusError whose message
 * names the file, line:column and field path and says what would be valid.
 *
 * @example
 *   const cfg = await loadConfigFile('ficus.gateway.yaml', GatewayConfigSchema, { env: process.env });
 */
import { readFile } from 'node:fs/promises';
import type { Static, TSchema } from '@sinclair/typebox';
import { LineCounter, parseDocument, visit, isScalar, type Document, type Node } from 'yaml';
import { FicusError, CoreErrorCode } from '../errors.js';
import { hasEnvReference, maskEnvReferences, substituteEnv, unmaskEnvReferences, type Env } from './env.js';
import { formatFieldPath, positionAt, type Position } from './positions.js';
import { compileSchema, describeSchemaError, simplifyErrors } from './validate.js';

export interface LoadConfigOptions {
  /** Environment for `${NAME}` substitution; none substituted when omitted. */
  env?: Env;
  /** What the file is, for messages ("gateway config"). */
  kind?: string;
  /**
   * Rules a schema cannot express (an upstream that must exist, unique ids), run on the
   * validated value; each violation is reported like a schema error, with file:line:col.
   */
  check?: (value: unknown) => readonly ConfigViolation[];
}

/** A rule broken at a field path: `{ path: ['routes', 0, 'service'], message: 'names no upstream; …' }`. */
export interface ConfigViolation {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

function where(file: string, pos: Position | undefined): string {
  return pos ? `${file}:${pos.line}:${pos.col}` : file;
}

/** Freezes a plain value and everything in it (configs are frozen once loaded). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

function substituteDocument(doc: Document, counter: LineCounter, file: string, env: Env, masked: boolean): void {
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== 'string') return;
      const text = masked ? unmaskEnvReferences(node.value) : node.value;
      node.value = text;
      if (key === 'key' || !hasEnvReference(text)) return;
      const { value, missing } = substituteEnv(text, env);
      const first = missing[0];
      if (first) {
        const pos = node.range ? counter.linePos(node.range[0]) : undefined;
        throw new FicusError(
          CoreErrorCode.CONFIG_ENV,
          `${where(file, pos)}: environment variable ${first.name} is not set; set it or write \${${first.name}:-default}`,
          { exitCode: 2, details: { file, variable: first.name, ...pos } },
        );
      }
      node.value = value;
    },
  });
}

/**
 * The first value JSON cannot hold, with its path: a non-finite number (`.nan`, `.inf`, `1e400`,
 * or an environment value coerced to one), a cycle (an alias inside its own anchor), or a
 * binary, set, map or date made by a YAML tag (`!!binary`, `!!set`, `!!omap`, `!!timestamp`).
 * A config is plain JSON, so each of these is refused where it is.
 */
function notPlainJson(value: unknown, path: (string | number)[] = [], open = new Set<object>()): { path: (string | number)[]; what: string } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, what: `${value}; only finite numbers are valid` };
  if (value === null || typeof value !== 'object') return undefined;
  if (open.has(value)) return { path, what: 'an alias of a mapping or list that contains it; a config cannot refer to itself' };
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    return {
      path,
      what: `a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'non-JSON'} (from a YAML tag such as !!binary, !!set, !!omap or !!timestamp); only strings, numbers, booleans, null, lists and mappings are valid`,
    };
  }
  open.add(value);
  const entries: [string | number, unknown][] = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  for (const [k, v] of entries) {
    const found = notPlainJson(v, [...path, k], open);
    if (found) return found;
  }
  open.delete(value);
  return undefined;
}

function refuseNotPlainJson(value: unknown, doc: Document, counter: LineCounter, file: string): void {
  const bad = notPlainJson(value);
  if (!bad) return;
  const pos = positionAt(doc, counter, bad.path);
  throw new FicusError(CoreErrorCode.CONFIG_INVALID, `${where(file, pos)}: ${formatFieldPath(bad.path)} is ${bad.what}`, {
    exitCode: 2,
    details: { file, errors: [{ field: formatFieldPath(bad.path), message: `is ${bad.what}`, ...pos }] },
  });
}

/** The document as JS; an alias it cannot resolve (unknown, or expanding too much) is a syntax error at that alias. */
function toValue(doc: Document, counter: LineCounter, file: string): unknown {
  try {
    return doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    let alias: Node | undefined;
    visit(doc, {
      Alias(_key, node) {
        alias = node;
        return visit.BREAK;
      },
    });
    const start = alias?.range?.[0];
    const pos = start === undefined ? undefined : (({ line, col }) => ({ line, col }))(counter.linePos(start));
    const reason = err instanceof Error ? err.message : String(err);
    throw new FicusError(CoreErrorCode.CONFIG_SYNTAX, `${where(file, pos)}: not valid YAML/JSON: ${reason}`, {
      exitCode: 2,
      cause: err,
      details: { file, ...pos },
    });
  }
}

/** Parses and validates config text; `file` is used only in messages. */
export function parseConfigText<S extends TSchema>(text: string, file: string, schema: S, options: LoadConfigOptions = {}): Readonly<Static<S>> {
  const counter = new LineCounter();
  // References are masked only when they will be substituted (and so unmasked) after parsing.
  const masked = options.env && hasEnvReference(text) ? maskEnvReferences(text) : null;
  const doc = parseDocument(masked ?? text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = counter.linePos(syntax.pos[0]);
    const pos = { line, col };
    const reason = syntax.message.split('\n')[0] ?? syntax.message;
    throw new FicusError(CoreErrorCode.CONFIG_SYNTAX, `${where(file, pos)}: not valid YAML/JSON: ${reason}`, {
      exitCode: 2,
      details: { file, ...pos },
    });
  }
  if (options.env) substituteDocument(doc, counter, file, options.env, masked !== null);
  const value: unknown = toValue(doc, counter, file);
  refuseNotPlainJson(value, doc, counter, file);
  if (isScalar(doc.contents) || Array.isArray(value) || typeof value !== 'object' || value === null) {
    throw new FicusError(
      CoreErrorCode.CONFIG_INVALID,
      `${file}: the ${options.kind ?? 'config'} must be a mapping of fields, not a ${Array.isArray(value) ? 'list' : typeof value}`,
      {
        exitCode: 2,
        details: { file },
      },
    );
  }
  const validate = compileSchema(schema);
  if (!validate(value)) {
    const errors = simplifyErrors(validate.errors ?? []);
    const described = errors.map((e) => describeSchemaError(e, doc, counter));
    const first = described[0];
    const more = described.length > 1 ? ` (and ${described.length - 1} more)` : '';
    throw new FicusError(
      CoreErrorCode.CONFIG_INVALID,
      first ? `${where(file, first.position)}: ${formatFieldPath(first.path)} ${first.message}${more}` : `${file}: invalid`,
      {
        exitCode: 2,
        details: {
          file,
          errors: described.map((d) => ({ field: formatFieldPath(d.path), message: d.message, ...d.position })),
        },
      },
    );
  }
  // Coercion can make a number of an environment value ("Infinity"): check again.
  refuseNotPlainJson(value, doc, counter, file);
  const violations = options.check?.(value) ?? [];
  const broken = violations[0];
  if (broken) {
    const pos = positionAt(doc, counter, broken.path);
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    throw new FicusError(CoreErrorCode.CONFIG_INVALID, `${where(file, pos)}: ${formatFieldPath(broken.path)} ${broken.message}${more}`, {
      exitCode: 2,
      details: { file, errors: violations.map((v) => ({ field: formatFieldPath(v.path), message: v.message, ...positionAt(doc, counter, v.path) })) },
    });
  }
  return deepFreeze(value as Static<S>);
}

/** Reads, substitutes, validates and freezes a config file. */
export async function loadConfigFile<S extends TSchema>(file: string, schema: S, options: LoadConfigOptions = {}): Promise<Readonly<Static<S>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new FicusError(CoreErrorCode.CONFIG_NOT_FOUND, `${file}: no such ${options.kind ?? 'config'} file`, {
        exitCode: 2,
        cause: err,
        details: { file },
      });
    }
    throw new FicusError(CoreErrorCode.CONFIG_UNREADABLE, `${file}: cannot read the ${options.kind ?? 'config'} file (${code ?? 'error'})`, {
      exitCode: 2,
      cause: err,
      details: { file },
    });
  }
  return parseConfigText(text, file, schema, options);
}

export { positionAt };
