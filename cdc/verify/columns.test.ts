/**
 * How one mapped column becomes SQL on both sides (columns.ts): the sink's cast chain is
 * reproduced, raw columns stay raw (so the key can use an index), json compares as jsonb, and
 * what SQL cannot derive as the pipeline does is skipped with a reason.
 */
import { describe, expect, it } from 'vitest';
import { parseSqlExpression } from '../transform/sql-expression.js';
import type { ColumnInfo } from './catalog.js';
import { projectColumn } from './columns.js';

const col = (name: string, type: string, typname: string, category: string): ColumnInfo => ({ name, type, typname, category, collatable: category === 'S', explicitCollation: false });

describe('projectColumn', () => {
  it('keeps a same-typed column raw and casts through text like the sink otherwise', () => {
    expect(projectColumn({ source: col('id', 'integer', 'int4', 'N'), target: col('id', 'integer', 'int4', 'N'), typeOnSource: true, alias: 'r' })).toEqual({
      kind: 'compare',
      source: 'r."id"',
      target: 'r."id"',
      raw: true,
    });
    expect(projectColumn({ source: col('qty', 'text', 'text', 'S'), target: col('qty', 'integer', 'int4', 'N'), type: 'integer', typeOnSource: true, alias: 'r' })).toMatchObject({
      source: '(r."qty"::text)::integer',
      raw: false,
    });
  });

  it('applies the expression to the value cast to the target type, then casts again (the sink’s (expr(u.c::T))::T)', () => {
    const expr = parseSqlExpression('round(value / 100.0, 2)', { allowValue: true });
    const p = projectColumn({ source: col('price_cents', 'integer', 'int4', 'N'), target: col('price', 'numeric(12,2)', 'numeric', 'N'), expr, typeOnSource: true, alias: 'r' });
    expect(p).toMatchObject({ kind: 'compare', source: '(round ( (r."price_cents"::numeric(12,2)) / 100.0 , 2 ))::numeric(12,2)', target: 'r."price"' });
  });

  it('compares json as jsonb and a target-only type (an enum) as text', () => {
    expect(projectColumn({ source: col('doc', 'jsonb', 'jsonb', 'U'), target: col('doc', 'json', 'json', 'U'), typeOnSource: true, alias: 'r' })).toMatchObject({
      source: '((r."doc"::text)::json)::jsonb',
      target: 'r."doc"::jsonb',
    });
    expect(projectColumn({ source: col('mood', 'text', 'text', 'S'), target: col('mood', 'mood', 'mood', 'E'), typeOnSource: false, alias: 'r' })).toMatchObject({
      source: 'r."mood"::text',
      target: 'r."mood"::text',
    });
  });

  it('skips what SQL cannot derive the way the pipeline does, saying why', () => {
    const skip = (p: ReturnType<typeof projectColumn>): string => (p.kind === 'skip' ? p.reason : 'compared');
    expect(skip(projectColumn({ source: col('j', 'jsonb', 'jsonb', 'U'), target: col('j', 'text', 'text', 'S'), typeOnSource: true, alias: 'r' }))).toMatch(/JSON\.stringify/);
    expect(skip(projectColumn({ source: col('t', 'timestamptz', 'timestamptz', 'D'), target: col('t', 'text', 'text', 'S'), type: 'text', typeOnSource: true, alias: 'r' }))).toMatch(/decoder/);
    const expr = parseSqlExpression('lower(value)', { allowValue: true });
    expect(skip(projectColumn({ source: col('m', 'text', 'text', 'S'), target: col('m', 'mood', 'mood', 'E'), expr, typeOnSource: false, alias: 'r' }))).toMatch(/does not exist in the source/);
  });
});
