/**
 * One mapped column as SQL on both sides: the source expression that yields what the sink
 * would have stored (the value's text cast to the target column's type, through the mapping's
 * coercion and `expr`, then cast again — exactly the sink's `(expr(u.c::T))::T`), and the
 * target column itself. Both end in the same type, so their text is the same when the values
 * are. json compares as jsonb (key order and spacing do not count).
 *
 * Some columns cannot be derived in SQL the way the pipeline derives them in JS (a JSON value
 * turned into text by JSON.stringify, a date-time's text as the decoder writes it, a target type
 * unknown in the source database together with an expression): those are reported as not
 * compared, with the reason.
 */
import type { CoerceType } from '../config/schema.js';
import type { SqlExpression } from '../transform/sql-expression.js';
import { quoteIdent } from '../sinks/postgres-sql.js';
import type { ColumnInfo } from './catalog.js';

export type Projection =
  | { readonly kind: 'compare'; readonly source: string; readonly target: string; readonly raw: boolean }
  | { readonly kind: 'skip'; readonly reason: string };

const INTEGERS = new Set(['int2', 'int4', 'int8']);
const NUMBERS = new Set([...INTEGERS, 'numeric', 'float4', 'float8']);
const JSONS = new Set(['json', 'jsonb']);

/** Source types whose decoded JS value does not print as Postgres prints it. */
function textDiffers(c: ColumnInfo): string | undefined {
  if (JSONS.has(c.typname)) return 'a JSON value becomes text through JSON.stringify in the pipeline, which SQL does not reproduce';
  if (c.category === 'A') return 'an array value becomes text through JSON.stringify in the pipeline, which SQL does not reproduce';
  if (c.category === 'D') return "a date/time value's text depends on the source decoder's format";
  if (c.typname === 'float4') return 'a float4 value widens to a double in JS, so its text differs';
  return undefined;
}

/** SQL text of the value after the mapping's `type` coercion (cdc/transform/coerce.ts), or why it has none. */
function coerced(ref: string, src: ColumnInfo, type: CoerceType): { sql: string } | { skip: string } {
  const numeric = NUMBERS.has(src.typname);
  switch (type) {
    case 'text': {
      if (src.typname === 'bytea') return { sql: `convert_from(${ref}, 'UTF8')` };
      const why = textDiffers(src);
      return why ? { skip: why } : { sql: `${ref}::text` };
    }
    case 'integer':
      return { sql: src.typname === 'bool' ? `(${ref})::int::text` : `${ref}::text` };
    case 'timestamptz':
      return { sql: numeric ? `to_timestamp(trunc(${ref}::numeric) / 1000.0)::text` : `${ref}::text` };
    case 'date':
      if (numeric) return { sql: `(to_timestamp(trunc(${ref}::numeric) / 1000.0) AT TIME ZONE 'UTC')::date::text` };
      if (src.typname === 'timestamptz') return { sql: `(${ref} AT TIME ZONE 'UTC')::date::text` };
      return { sql: `${ref}::text` };
    case 'jsonb':
      if (src.category === 'A') return { sql: `to_jsonb(${ref})::text` };
      if (src.category === 'D') return { skip: 'a date/time text is not JSON, so the coercion to jsonb fails in the pipeline' };
      return { sql: `${ref}::text` };
    default:
      return { sql: `${ref}::text` };
  }
}

export interface ProjectOptions {
  readonly source: ColumnInfo;
  readonly target: ColumnInfo;
  readonly type?: CoerceType;
  readonly expr?: SqlExpression;
  /** The target column's type exists in the source database. */
  readonly typeOnSource: boolean;
  /** Table alias both sides use. */
  readonly alias: string;
}

export function projectColumn(o: ProjectOptions): Projection {
  const src = `${o.alias}.${quoteIdent(o.source.name)}`;
  const tgt = `${o.alias}.${quoteIdent(o.target.name)}`;
  const T = o.target.type;
  if (!o.typeOnSource) {
    if (o.type !== undefined || o.expr !== undefined) {
      return { kind: 'skip', reason: `the target type ${T} does not exist in the source database, so the ${o.expr ? 'expression' : 'coercion'} cannot be evaluated there` };
    }
    const why = o.target.category === 'S' ? undefined : textDiffers(o.source);
    if (why) return { kind: 'skip', reason: why };
    return { kind: 'compare', source: `${src}::text`, target: `${tgt}::text`, raw: false };
  }
  let value: string;
  let raw = false;
  if (o.type !== undefined) {
    const c = coerced(src, o.source, o.type);
    if ('skip' in c) return { kind: 'skip', reason: c.skip };
    value = `(${c.sql})::${T}`;
  } else if (o.source.type === T) {
    value = src;
    raw = o.expr === undefined;
  } else {
    const why = o.target.category === 'S' ? textDiffers(o.source) : undefined;
    if (why) return { kind: 'skip', reason: why };
    if (o.source.category === 'A' && JSONS.has(o.target.typname)) value = `(to_jsonb(${src})::text)::${T}`;
    // An integer's cast to another integer or numeric type is its text's parse, without the text.
    else if (INTEGERS.has(o.source.typname) && (INTEGERS.has(o.target.typname) || o.target.typname === 'numeric')) value = `${src}::${T}`;
    else value = `(${src}::text)::${T}`;
  }
  if (o.expr) value = `(${o.expr.render(`(${value})`)})::${T}`;
  if (o.target.typname === 'json') return { kind: 'compare', source: `(${value})::jsonb`, target: `${tgt}::jsonb`, raw: false };
  return { kind: 'compare', source: value, target: tgt, raw };
}
