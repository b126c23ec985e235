/**
 * Loading `ficus.cdc.yaml`: YAML/JSON with `${ENV}` substitution and schema defaults (core),
 * then the rules a schema cannot say, each reported with file:line:col — one source list
 * (topics or topicPattern), a valid topic regex, no table mapped twice, no target column
 * written twice, key columns that exist in the target mapping as plain values, expressions and
 * filters inside their allowed languages. The result is frozen.
 */
import { isFicusError, loadConfigFile, parseConfigText, type ConfigViolation, type Env } from '../../core/index.js';
import { compileTableMapping } from '../transform/map.js';
import { CdcConfigSchema, type CdcConfig, type TableMapping } from './schema.js';

function tableRules(t: TableMapping, i: number, out: ConfigViolation[]): void {
  const at = (...rest: (string | number)[]): (string | number)[] => ['tables', i, ...rest];
  const written = new Map<string, string>();
  const exprTargets = new Set<string>();
  const renamedAway = new Set<string>();
  for (const [src, rule] of Object.entries(t.columns ?? {})) {
    if (rule === null) {
      renamedAway.add(src);
      continue;
    }
    const target = typeof rule === 'string' ? rule : (rule.to ?? src);
    if (target !== src) renamedAway.add(src);
    const other = written.get(target);
    if (other !== undefined)
      out.push({ path: at('columns', src), message: `maps to ${target}, which ${other} maps to already; each target column takes one source` });
    written.set(target, `columns.${src}`);
    if (typeof rule === 'object' && rule.expr !== undefined) exprTargets.add(target);
  }
  for (const col of Object.keys(t.computed ?? {})) {
    const other = written.get(col);
    if (other !== undefined) out.push({ path: at('computed', col), message: `is also written by ${other}; drop one of them` });
    written.set(col, `computed.${col}`);
  }
  (t.key ?? []).forEach((k, j) => {
    const path = at('key', j);
    if (Object.hasOwn(t.computed ?? {}, k)) out.push({ path, message: `${k} is a computed column; a key column must come from the source row` });
    else if (exprTargets.has(k))
      out.push({ path, message: `${k} is computed by an expression; a key column must be a plain (renamed or coerced) source column` });
    else if (!written.has(k) && (t.unmapped === 'drop' || renamedAway.has(k))) {
      const valid = [...written.keys()].filter((c) => !exprTargets.has(c) && !Object.hasOwn(t.computed ?? {}, c));
      out.push({ path, message: `${k} is not a column of the target mapping; valid key columns: ${valid.join(', ') || '(none)'}` });
    }
  });
  try {
    compileTableMapping(t, `tables[${i}]`);
  } catch (err) {
    if (!isFicusError(err)) throw err;
    const expr = err.details.expression;
    const path = err.details.filter !== undefined ? at('where') : locateExpression(t, typeof expr === 'string' ? expr : '', at);
    out.push({ path, message: err.message.replace(/^[^:]*: /, '') });
  }
}

function locateExpression(t: TableMapping, expr: string, at: (...rest: (string | number)[]) => (string | number)[]): (string | number)[] {
  for (const [src, rule] of Object.entries(t.columns ?? {})) {
    if (rule !== null && typeof rule === 'object' && rule.expr === expr) return at('columns', src, 'expr');
  }
  for (const [col, e] of Object.entries(t.computed ?? {})) if (e === expr) return at('computed', col);
  return at();
}

export function cdcRules(value: unknown): ConfigViolation[] {
  const cfg = value as CdcConfig;
  const out: ConfigViolation[] = [];
  const kafka = cfg.source.kafka;
  if (kafka && (kafka.topics === undefined) === (kafka.topicPattern === undefined)) {
    out.push({ path: ['source', 'kafka'], message: 'needs exactly one of topics (a list) or topicPattern (a regular expression)' });
  }
  if (kafka?.topicPattern !== undefined) {
    try {
      new RegExp(kafka.topicPattern);
    } catch (err) {
      out.push({
        path: ['source', 'kafka', 'topicPattern'],
        message: `is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`,
      });
    }
  }
  const froms = new Map<string, number>();
  cfg.tables.forEach((t, i) => {
    const seen = froms.get(t.from);
    if (seen !== undefined) out.push({ path: ['tables', i, 'from'], message: `"${t.from}" is mapped by tables[${seen}] already; map each source table once` });
    froms.set(t.from, i);
    tableRules(t, i, out);
  });
  return out;
}

export async function loadCdcConfig(file: string, env: Env = {}): Promise<CdcConfig> {
  return loadConfigFile(file, CdcConfigSchema, { env, kind: 'CDC config', check: cdcRules });
}

export function parseCdcConfig(text: string, file = 'ficus.cdc.yaml', env: Env = {}): CdcConfig {
  return parseConfigText(text, file, CdcConfigSchema, { env, kind: 'CDC config', check: cdcRules });
}
