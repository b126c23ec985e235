/**
 * The proof of the CDC fault benchmark: the real `ficus cdc verify --config …` as a child process
 * (the pipeline's own config, whose `verify.source.url` points at the database that holds the
 * stream's expected final state), its exit code and its JSON result read back — rows missing in
 * the target (lost), extra rows (a deleted row brought back or a poison applied) and rows with
 * different values (an older change applied over a newer one, i.e. applied twice out of order) —
 * and the dead-letter table counted by code.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { VerifyResult } from '../../cdc/index.js';

export interface VerifyOutcome {
  /** The CLI's exit code: 0 equal, 1 different (or not comparable), 2 bad config. */
  readonly exit: number | null;
  readonly status: string;
  readonly missing: number;
  readonly extra: number;
  readonly different: number;
  /** More rows differ than verify lists (the counts are lower bounds). */
  readonly truncated: boolean;
  readonly rows: { readonly source: number; readonly target: number };
  /** verify's one-line summary (stderr). */
  readonly summary: string;
}

export async function runVerify(ficus: string, config: string, out: string, timeoutMs = 300_000): Promise<VerifyOutcome> {
  const child = spawn(process.execPath, [ficus, 'cdc', 'verify', '--config', config, '--out', out, '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  const summary = stderr.trim().split('\n').at(-1) ?? '';
  let result: VerifyResult;
  try {
    result = JSON.parse(await readFile(out, 'utf8')) as VerifyResult;
  } catch {
    return {
      exit,
      status: `no result (${summary || 'verify wrote nothing'})`,
      missing: NaN,
      extra: NaN,
      different: NaN,
      truncated: false,
      rows: { source: NaN, target: NaN },
      summary,
    };
  }
  const t = result.tables[0];
  if (!t) return { exit, status: 'no table compared', missing: NaN, extra: NaN, different: NaN, truncated: false, rows: { source: NaN, target: NaN }, summary };
  return {
    exit,
    status: t.status,
    missing: t.mismatches.missing.length,
    extra: t.mismatches.extra.length,
    different: t.mismatches.different.length,
    truncated: t.mismatches.truncated,
    rows: t.rows,
    summary,
  };
}

/** Dead letters in the target by code (empty when the table does not exist yet). */
export async function deadLetters(pool: pg.Pool, table = 'ficus_dead_letters'): Promise<Map<string, number>> {
  const exists = await pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  if (!exists.rows[0]?.t) return new Map();
  const r = await pool.query<{ code: string | null; n: string }>(`SELECT code, count(*) AS n FROM ${table} GROUP BY code ORDER BY code`);
  return new Map(r.rows.map((row) => [row.code ?? '(none)', Number(row.n)]));
}
