/**
 * A light SQL table scanner — deliberately not a parser. It finds table names in the positions
 * that name tables (FROM / JOIN lists, INSERT|MERGE|REPLACE INTO, UPDATE … SET, DELETE FROM,
 * USING, TRUNCATE, COPY … FROM|TO, CREATE TABLE, ALTER TABLE) and decides read or write:
 *
 *   write: INSERT/MERGE/REPLACE INTO target, UPDATE target, DELETE FROM target, TRUNCATE,
 *          COPY t FROM …, CREATE TABLE, ALTER TABLE
 *   read:  FROM / JOIN / USING lists (also inside a write statement: `INSERT … SELECT … FROM b`,
 *          `UPDATE a … FROM b`, `DELETE FROM a USING b`), COPY t TO …
 *
 * Not tables: CTE names (`WITH recent AS (…)` — collected first and excluded everywhere in the
 * text), subqueries and their aliases (`FROM (SELECT …) s`), functions in FROM
 * (`generate_series(…)`, `unnest(…)`), the FROM of `EXTRACT(… FROM x)` / `IS DISTINCT FROM`
 * (a FROM only counts at a parenthesis depth where SELECT, UPDATE or DELETE was seen), bind
 * parameters and template holes (`FROM ${t}` names nothing; `FROM ${schema}.orders` is orders).
 *
 * Only text that looks like SQL is scanned (`looksLikeSql`): the first word must be a statement
 * keyword (optionally after `(` or EXPLAIN), written all upper or all lower case — so prose like
 * "Select an item from the list" or "Update failed" is ignored — and the text must not read as
 * an English sentence (articles and pronouns, a trailing full stop). Names are lower-cased and
 * stripped of schema and quoting: `"public"."Orders"` → `orders`.
 */
import { matchParens, tokenizeSql, type SqlToken } from './sql-lexer.js';
import type { TableAccess } from '../../model.js';

export interface SqlTableUse {
  readonly table: string;
  readonly access: TableAccess;
}

const STATEMENT_START = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'MERGE', 'TRUNCATE', 'COPY', 'CREATE', 'ALTER', 'REPLACE']);
const QUICK_START = /^[\s(]*(?:explain\b[\s\S]{0,40}?)?(?:select|insert|update|delete|with|merge|truncate|copy|create|alter|replace)\b/i;

/** Words that end a table reference: they can be neither a table name nor an alias. */
const RESERVED = new Set(
  ('SELECT FROM WHERE JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL STRAIGHT_JOIN ON USING AS SET VALUES VALUE INTO ' +
    'TABLE ONLY LATERAL GROUP ORDER BY HAVING LIMIT OFFSET UNION INTERSECT EXCEPT MINUS WINDOW FETCH FOR RETURNING ' +
    'OUTPUT WHEN THEN ELSE END CASE WITH DEFAULT TABLESAMPLE USE FORCE IGNORE PARTITION QUALIFY PIVOT UNPIVOT ' +
    'AND OR NOT IN IS NULL TO STDIN STDOUT CASCADE RESTRICT RESTART CONTINUE IF EXISTS DISTINCT ALL INSERT UPDATE ' +
    'DELETE MERGE TRUNCATE COPY CREATE ALTER DROP ADD COLUMN RENAME PRIMARY KEY CONSTRAINT REFERENCES UNIQUE CHECK ' +
    'INDEX LIKE BETWEEN OVER LOCK NOWAIT SKIP SHARE MATCHED START CONNECT OPTION OF BTREE HASH GIN GIST BRIN')
    .split(' '),
);

/** Words that mark English prose rather than SQL. */
const PROSE = new Set(
  'the an your my our their its this these those please you we would should could cannot shall'.split(' '),
);

/** Cheap test on raw text: does it start like a SQL statement at all? */
export function mayBeSql(text: string): boolean {
  return QUICK_START.test(text);
}

function firstStatementWord(tokens: readonly SqlToken[]): SqlToken | undefined {
  let i = 0;
  while (tokens[i]?.text === '(') i += 1;
  if (tokens[i]?.up === 'EXPLAIN') {
    i += 1;
    while (tokens[i] && !STATEMENT_START.has(tokens[i]?.up ?? '') && i < 12) i += 1;
  }
  return tokens[i];
}

/** The gate: statement keyword first, consistent keyword case, nothing that reads as prose. */
export function looksLikeSql(tokens: readonly SqlToken[]): boolean {
  const first = firstStatementWord(tokens);
  if (!first || first.kind !== 'word' || !STATEMENT_START.has(first.up)) return false;
  if (first.text !== first.up && first.text !== first.up.toLowerCase()) return false;
  const last = tokens[tokens.length - 1];
  if (last && last.kind === 'punct' && (last.text === '.' || last.text === '!')) return false;
  return !tokens.some((t) => t.kind === 'word' && PROSE.has(t.text.toLowerCase()));
}

interface NameRef {
  /** Lower-cased last name part; null for a placeholder (`FROM ${t}`). */
  readonly name: string | null;
  /** Index of the token after the name. */
  readonly next: number;
}

/** A possibly qualified name at `i` (`orders`, `"public"."Orders"`, `?.orders`), or null. */
function readName(tokens: readonly SqlToken[], i: number): NameRef | null {
  let last: string | null = null;
  let j = i;
  for (;;) {
    const t = tokens[j];
    if (!t) return null;
    if (t.kind === 'word' && !RESERVED.has(t.up)) last = t.text.toLowerCase();
    else if (t.kind === 'ident') last = t.text.toLowerCase();
    else if (t.kind === 'param') last = null;
    else return null;
    j += 1;
    if (tokens[j]?.text !== '.') return { name: last, next: j };
    j += 1;
  }
}

function isWord(t: SqlToken | undefined, ...ups: string[]): boolean {
  return t !== undefined && t.kind === 'word' && ups.includes(t.up);
}

class Scanner {
  private readonly match: Int32Array;
  private readonly ctes = new Set<string>();
  readonly uses: SqlTableUse[] = [];

  constructor(private readonly t: readonly SqlToken[]) {
    this.match = matchParens(t);
    this.collectCtes();
  }

  private add(name: string | null, access: TableAccess): void {
    if (name && !this.ctes.has(name)) this.uses.push({ table: name, access });
  }

  /** Index after the group opened at `i` (which must be `(`). */
  private skipGroup(i: number): number {
    return (this.match[i] ?? this.t.length) + 1;
  }

  /** `WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] ( … ) [, …]` → CTE names. */
  private collectCtes(): void {
    const t = this.t;
    t.forEach((tok, w) => {
      if (!isWord(tok, 'WITH')) return;
      let j = isWord(t[w + 1], 'RECURSIVE') ? w + 2 : w + 1;
      for (;;) {
        const name = t[j];
        if (!name || (name.kind !== 'word' && name.kind !== 'ident')) return;
        j += 1;
        if (t[j]?.text === '(') j = this.skipGroup(j);
        if (!isWord(t[j], 'AS')) return;
        j += 1;
        if (isWord(t[j], 'NOT')) j += 1;
        if (isWord(t[j], 'MATERIALIZED')) j += 1;
        if (t[j]?.text !== '(') return;
        this.ctes.add(name.text.toLowerCase());
        j = this.skipGroup(j);
        if (t[j]?.text !== ',') return;
        j += 1;
      }
    });
  }

  /** One FROM/JOIN item: a table (recorded), a subquery or a function (skipped), plus alias. */
  private readItem(i: number, access: TableAccess): number {
    const t = this.t;
    let j = i;
    while (isWord(t[j], 'LATERAL', 'ONLY')) j += 1;
    if (t[j]?.text === '(') {
      j = this.skipGroup(j);
    } else {
      const ref = readName(t, j);
      if (!ref) return j;
      j = ref.next;
      if (t[j]?.text === '(') j = this.skipGroup(j); // a function: generate_series(…), unnest(…)
      else this.add(ref.name, access);
      if (t[j]?.text === '*') j += 1;
    }
    if (isWord(t[j], 'AS')) j += 1;
    const alias = t[j];
    if (alias && (alias.kind === 'ident' || (alias.kind === 'word' && !RESERVED.has(alias.up)))) {
      j += 1;
      if (t[j]?.text === '(') j = this.skipGroup(j);
    }
    return j;
  }

  private readList(i: number, access: TableAccess): number {
    let j = this.readItem(i, access);
    while (this.t[j]?.text === ',') j = this.readItem(j + 1, access);
    return j;
  }

  scan(): void {
    const t = this.t;
    const queryAtDepth: boolean[] = [false];
    let depth = 0;
    let skipFrom = -1;
    for (let i = 0; i < t.length; i += 1) {
      const tok = t[i] as SqlToken;
      if (tok.kind === 'punct') {
        if (tok.text === '(') queryAtDepth[++depth] = false;
        else if (tok.text === ')') depth = Math.max(0, depth - 1);
        else if (tok.text === ';') queryAtDepth[(depth = 0)] = false;
        continue;
      }
      if (tok.kind !== 'word') continue;
      switch (tok.up) {
        case 'SELECT':
          queryAtDepth[depth] = true;
          break;
        case 'UPDATE': {
          queryAtDepth[depth] = true;
          const ref = readName(t, isWord(t[i + 1], 'ONLY') ? i + 2 : i + 1);
          if (!ref) break;
          let j = ref.next;
          if (isWord(t[j], 'AS')) j += 1;
          if (t[j]?.kind === 'word' && !RESERVED.has(t[j]?.up ?? '')) j += 1;
          if (isWord(t[j], 'SET', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'CROSS') || t[j]?.text === ',') this.add(ref.name, 'write');
          break;
        }
        case 'DELETE':
          queryAtDepth[depth] = true;
          if (isWord(t[i + 1], 'FROM')) {
            skipFrom = i + 1;
            const ref = readName(t, isWord(t[i + 2], 'ONLY') ? i + 3 : i + 2);
            if (ref) this.add(ref.name, 'write');
          }
          break;
        case 'FROM':
          if (i !== skipFrom && queryAtDepth[depth] && !isWord(t[i - 1], 'DISTINCT')) this.readList(i + 1, 'read');
          break;
        case 'JOIN':
        case 'STRAIGHT_JOIN':
          this.readItem(i + 1, 'read');
          break;
        case 'USING':
          // `JOIN b USING (id)` names columns; `USING btree (col)` is an index method (a call).
          if (t[i + 1]?.text !== '(') this.readList(i + 1, 'read');
          break;
        case 'INTO':
          if ([1, 2, 3].some((k) => isWord(t[i - k], 'INSERT', 'MERGE', 'REPLACE'))) {
            const ref = readName(t, i + 1);
            if (ref) this.add(ref.name, 'write');
          }
          break;
        case 'TRUNCATE':
          this.truncate(i + 1);
          break;
        case 'COPY':
          this.copy(i + 1);
          break;
        case 'CREATE':
        case 'ALTER':
          this.ddl(i + 1);
          break;
        default:
      }
    }
  }

  private truncate(i: number): void {
    const t = this.t;
    let j = i;
    while (isWord(t[j], 'TABLE', 'ONLY')) j += 1;
    const names: (string | null)[] = [];
    for (;;) {
      const ref = readName(t, j);
      if (!ref) return;
      names.push(ref.name);
      j = ref.next;
      if (t[j]?.text === '*') j += 1;
      if (t[j]?.text !== ',') break;
      j += 1;
    }
    const after = t[j];
    if (!after || after.text === ';' || after.text === ')' || isWord(after, 'RESTART', 'CONTINUE', 'CASCADE', 'RESTRICT')) {
      for (const n of names) this.add(n, 'write');
    }
  }

  private copy(i: number): void {
    const t = this.t;
    const ref = readName(t, i);
    if (!ref) return;
    let j = ref.next;
    if (t[j]?.text === '(') j = this.skipGroup(j);
    const dir = t[j];
    const src = t[j + 1];
    if (!isWord(dir, 'FROM', 'TO') || !src) return;
    if (src.kind === 'string' || src.kind === 'param' || isWord(src, 'STDIN', 'STDOUT', 'PROGRAM')) {
      this.add(ref.name, dir?.up === 'FROM' ? 'write' : 'read');
    }
  }

  /** After CREATE / ALTER: `[OR REPLACE] [TEMP…] TABLE [IF [NOT] EXISTS] [ONLY] name`. */
  private ddl(i: number): void {
    const t = this.t;
    let j = i;
    while (isWord(t[j], 'OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'UNLOGGED', 'GLOBAL', 'LOCAL')) j += 1;
    if (!isWord(t[j], 'TABLE')) return;
    j += 1;
    while (isWord(t[j], 'IF', 'NOT', 'EXISTS', 'ONLY')) j += 1;
    const ref = readName(t, j);
    if (ref) this.add(ref.name, 'write');
  }
}

/**
 * Tables a SQL text touches, in order of appearance (duplicates kept); [] when the text does
 * not look like SQL.
 *
 * @example scanSql('INSERT INTO audit SELECT * FROM orders o') // [{audit, write}, {orders, read}]
 */
export function scanSql(text: string): SqlTableUse[] {
  if (!mayBeSql(text)) return [];
  const tokens = tokenizeSql(text);
  if (!looksLikeSql(tokens)) return [];
  const scanner = new Scanner(tokens);
  scanner.scan();
  return scanner.uses;
}
