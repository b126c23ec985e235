/**
 * Source rows as change-event images, for repair: every column read as text (date/times as
 * ISO-8601 through to_json, like the decoders give them) and turned into the JS values a
 * decoder produces — integers as numbers (int8 beyond 2^53 as a string), exact decimals as
 * strings, booleans, bytes as Buffers, everything else as its text — so the mapping's
 * coercions see what they see in the pipeline.
 */
import type { CdcValue, Row } from '../model.js';
import type { ColumnInfo } from './catalog.js';
import { ALIAS, type TablePlan } from './plan.js';
import { quoteIdent } from '../sinks/postgres-sql.js';
import type { Bound, Statement } from './hash-sql.js';

function columnText(c: ColumnInfo): string {
  const ref = `${ALIAS}.${quoteIdent(c.name)}`;
  return c.category === 'D' ? `to_json(${ref}) #>> '{}'` : `${ref}::text`;
}

export function decodeText(c: ColumnInfo, text: string | null): CdcValue {
  if (text === null) return null;
  switch (c.typname) {
    case 'int2':
    case 'int4':
      return Number(text);
    case 'int8': {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'float4':
    case 'float8':
      return Number(text);
    case 'bool':
      return text === 'true' || text === 't';
    case 'bytea':
      return Buffer.from(text.replace(/^\\x/, ''), 'hex');
    default:
      return text;
  }
}

/** Full source rows (every column) for the given target keys, filter applied. Rows: { v: text[] }. */
export function sourceRowsByKeys(plan: TablePlan, keys: readonly Bound[]): Statement {
  const s = plan.source;
  const values = plan.keyTypes.map((_t, i) => keys.map((k) => k[i] ?? null));
  const cols = plan.keyTypes.map((t, i) => `$${i + 1}::${t}[]`);
  const collate = s.keys.map((k) => (k.endsWith(' COLLATE "C"') ? ' COLLATE "C"' : ''));
  const list = `SELECT ${cols.map((_c, i) => `u.c${i}${collate[i]}`).join(', ')} FROM unnest(${cols.join(', ')}) AS u(${cols.map((_c, i) => `c${i}`).join(', ')})`;
  const where = [...s.where, `(${s.keys.join(', ')}) IN (${list})`];
  return {
    text: `SELECT ARRAY[${s.keys.map((k) => `(${k})::text`).join(', ')}] AS k, ARRAY[${plan.sourceTable.columns.map(columnText).join(', ')}]::text[] AS v FROM ${s.from} WHERE ${where.join(' AND ')}`,
    values,
  };
}

export function rowOf(plan: TablePlan, texts: readonly (string | null)[]): Row {
  const row: Record<string, CdcValue> = {};
  plan.sourceTable.columns.forEach((c, i) => {
    row[c.name] = decodeText(c, texts[i] ?? null);
  });
  return row;
}
