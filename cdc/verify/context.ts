/**
 * What the verify stages share for one table: the two pools, the counters of narrowing work,
 * and `run`, which runs a statement on one side and names the table and side when it fails.
 */
import type pg from 'pg';
import { queryError } from './errors.js';
import type { Statement } from './hash-sql.js';
import type { TablePlan } from './plan.js';

export interface TableContext {
  readonly plan: TablePlan;
  readonly source: pg.Pool;
  readonly target: pg.Pool;
  /** Narrowing work: queries run and rows fetched into Node. */
  readonly stats: { queries: number; rowsFetched: number };
  run<R extends pg.QueryResultRow>(side: 'source' | 'target', s: Statement, what: string): Promise<R[]>;
}

export function tableContext(plan: TablePlan, source: pg.Pool, target: pg.Pool): TableContext {
  const stats = { queries: 0, rowsFetched: 0 };
  return {
    plan,
    source,
    target,
    stats,
    async run<R extends pg.QueryResultRow>(side: 'source' | 'target', s: Statement, what: string): Promise<R[]> {
      try {
        return (await (side === 'source' ? source : target).query<R>(s.text, s.values)).rows;
      } catch (err) {
        throw queryError(err, `${what} on ${side === 'source' ? plan.from : plan.to} (${side})`);
      }
    },
  };
}
