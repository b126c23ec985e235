/**
 * Row filters (`tables[].where`): a tiny expression language evaluated in JS on the change
 * event — no eval, no SQL. Grammar (keywords case-insensitive):
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | compare
 *   compare := operand ( ('=' | '!=' | '<>' | '<' | '<=' | '>' | '>=') operand
 *                      | 'is' ['not'] 'null'
 *                      | ['not'] 'in' '(' literal (',' literal)* ')' )?
 *   operand := ('before' | 'after' | 'key') '.' column | 'op' | literal | '(' expr ')'
 *   literal := number | 'single-quoted string' | true | false | null
 *
 * Comparisons with null are false (as in SQL; use `is null`); numbers and numeric strings
 * compare as numbers, everything else as strings. A bare operand is true when it is `true`.
 *
 * @example
 *   compileFilter("after.active = true and after.sku not in ('TEST', 'DEMO')")(event) // → boolean
 */
import { UNAVAILABLE, type CdcValue, type ChangeEvent } from '../model.js';
import { MapErrorCode, mapError } from './errors.js';

/** The parsed filter (exported so `ficus cdc verify` can translate it to SQL). */
export type FilterNode =
  | { t: 'lit'; v: CdcValue }
  | { t: 'ref'; image: 'before' | 'after' | 'key'; column: string }
  | { t: 'op' }
  | { t: 'not'; e: Node }
  | { t: 'bool'; op: 'and' | 'or'; l: Node; r: Node }
  | { t: 'cmp'; op: string; l: Node; r: Node }
  | { t: 'isnull'; negate: boolean; e: Node }
  | { t: 'in'; negate: boolean; e: Node; list: CdcValue[] };
type Node = FilterNode;

type Tok = { k: 'word' | 'num' | 'str' | 'sym'; s: string; at: number };

function lex(src: string, fail: (why: string, at: number) => never): Tok[] {
  const out: Tok[] = [];
  const re = /\s+|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|'((?:[^']|'')*)'|(<=|>=|<>|!=|[=<>().,])/y;
  let i = 0;
  while (i < src.length) {
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) fail(`unexpected "${src.charAt(i)}"`, i);
    const [all, num, word, str, sym] = m as RegExpExecArray;
    if (num !== undefined) out.push({ k: 'num', s: num, at: i });
    else if (word !== undefined) out.push({ k: 'word', s: word, at: i });
    else if (str !== undefined) out.push({ k: 'str', s: str.replace(/''/g, "'"), at: i });
    else if (sym !== undefined) out.push({ k: 'sym', s: sym, at: i });
    i += all.length;
  }
  return out;
}

export type RowFilter = (event: ChangeEvent) => boolean;

/** Parses a filter; throws CDC_MAP_FILTER with the position of the problem. */
export function compileFilter(src: string, where = 'where'): RowFilter {
  const ast = parseFilter(src, where);
  return (event) => truthy(evaluate(ast, event, src));
}

/** The syntax tree of a filter; throws CDC_MAP_FILTER with the position of the problem. */
export function parseFilter(src: string, where = 'where'): FilterNode {
  const fail = (why: string, at: number): never => {
    throw mapError(MapErrorCode.FILTER, `${where}: ${why} at character ${at + 1} of "${src}"`, { filter: src });
  };
  const toks = lex(src, fail);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const isWord = (w: string): boolean => peek()?.k === 'word' && peek()?.s.toLowerCase() === w;
  const isSym = (s: string): boolean => peek()?.k === 'sym' && peek()?.s === s;
  const here = (): number => peek()?.at ?? src.length;
  const expectSym = (s: string): void => {
    if (!isSym(s)) fail(`expected "${s}"`, here());
    p++;
  };
  const literal = (): CdcValue | undefined => {
    const t = peek();
    if (!t) return undefined;
    if (t.k === 'num') {
      p++;
      return Number(t.s);
    }
    if (t.k === 'str') {
      p++;
      return t.s;
    }
    if (t.k === 'word') {
      const w = t.s.toLowerCase();
      if (w === 'true' || w === 'false') {
        p++;
        return w === 'true';
      }
      if (w === 'null') {
        p++;
        return null;
      }
    }
    return undefined;
  };
  const operand = (): Node => {
    const t = peek();
    if (!t) return fail('expected a value', src.length);
    if (isSym('(')) {
      p++;
      const e = orExpr();
      expectSym(')');
      return e;
    }
    const lit = literal();
    if (lit !== undefined) return { t: 'lit', v: lit };
    const w = t.s.toLowerCase();
    if (t.k === 'word' && w === 'op') {
      p++;
      return { t: 'op' };
    }
    if (t.k === 'word' && (w === 'before' || w === 'after' || w === 'key')) {
      p++;
      expectSym('.');
      const col = peek();
      if (col?.k !== 'word') return fail('expected a column name', here());
      p++;
      return { t: 'ref', image: w, column: col.s };
    }
    return fail(`"${t.s}" is not a value (use before.<col>, after.<col>, key.<col>, op, or a literal)`, t.at);
  };
  const compare = (): Node => {
    const l = operand();
    const t = peek();
    if (t?.k === 'sym' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.s)) {
      p++;
      return { t: 'cmp', op: t.s === '<>' ? '!=' : t.s, l, r: operand() };
    }
    if (isWord('is')) {
      p++;
      const negate = isWord('not');
      if (negate) p++;
      if (!isWord('null')) fail('expected null after is', here());
      p++;
      return { t: 'isnull', negate, e: l };
    }
    const negate = isWord('not') && toks[p + 1]?.s.toLowerCase() === 'in';
    if (negate) p++;
    if (isWord('in')) {
      p++;
      expectSym('(');
      const list: CdcValue[] = [];
      for (;;) {
        const v = literal();
        if (v === undefined) fail('expected a literal in the list', here());
        list.push(v as CdcValue);
        if (isSym(',')) {
          p++;
          continue;
        }
        break;
      }
      expectSym(')');
      return { t: 'in', negate, e: l, list };
    }
    return l;
  };
  const unary = (): Node => {
    if (isWord('not')) {
      p++;
      return { t: 'not', e: unary() };
    }
    return compare();
  };
  const andExpr = (): Node => {
    let l = unary();
    while (isWord('and')) {
      p++;
      l = { t: 'bool', op: 'and', l, r: unary() };
    }
    return l;
  };
  function orExpr(): Node {
    let l = andExpr();
    while (isWord('or')) {
      p++;
      l = { t: 'bool', op: 'or', l, r: andExpr() };
    }
    return l;
  }
  const ast = orExpr();
  if (p < toks.length) fail(`unexpected "${toks[p]?.s}"`, here());
  return ast;
}

function truthy(v: CdcValue): boolean {
  return v === true;
}

function evaluate(n: Node, ev: ChangeEvent, src: string): CdcValue {
  switch (n.t) {
    case 'lit':
      return n.v;
    case 'op':
      return ev.op;
    case 'ref': {
      const row = n.image === 'before' ? ev.before : n.image === 'after' ? ev.after : ev.key;
      const v = row?.[n.column];
      if (v === UNAVAILABLE) {
        throw mapError(MapErrorCode.FILTER, `filter "${src}" reads ${n.image}.${n.column}, which is an unchanged-TOAST placeholder`, { column: n.column });
      }
      return v ?? null;
    }
    case 'not': {
      const v = evaluate(n.e, ev, src);
      return v === null ? null : !truthy(v);
    }
    case 'bool': {
      const l = truthy(evaluate(n.l, ev, src));
      if (n.op === 'and') return l && truthy(evaluate(n.r, ev, src));
      return l || truthy(evaluate(n.r, ev, src));
    }
    case 'isnull': {
      const v = evaluate(n.e, ev, src);
      return n.negate ? v !== null : v === null;
    }
    case 'in': {
      const v = evaluate(n.e, ev, src);
      if (v === null) return null;
      const found = n.list.some((x) => x !== null && compareValues(v, x) === 0);
      return n.negate ? !found : found;
    }
    case 'cmp': {
      const l = evaluate(n.l, ev, src);
      const r = evaluate(n.r, ev, src);
      if (l === null || r === null) return null;
      const c = compareValues(l, r);
      switch (n.op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    }
  }
}

const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function compareValues(a: CdcValue, b: CdcValue): number {
  const num = (v: CdcValue): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && NUMERIC.test(v) ? Number(v) : undefined);
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined && (typeof a === 'number' || typeof b === 'number')) return x - y;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : 1;
  const s = (v: CdcValue): string => (typeof v === 'string' ? v : JSON.stringify(v));
  const sa = s(a);
  const sb = s(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
