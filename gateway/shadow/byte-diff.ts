/**
 * The fast path between "bytes equal" and "parse both and diff the trees": when two JSON bodies
 * differ only inside scalar values at ignored paths (a timestamp, a request id), they are equal
 * for the comparison, and that can be decided without parsing either body.
 *
 * The differing byte runs are found position by position when the bodies have the same length
 * (volatile fields usually keep theirs: ISO timestamps, UUIDs, counters of equal width), else as
 * the one region between the common prefix and the common suffix. One scan of the primary body
 * — a tokenizer that tracks the JSON path and no values — finds the scalar token each run falls
 * in. The answer is "ignored" only when every run lies inside a single string or number token,
 * neither side's bytes in the run could change the token structure (no quote, backslash or
 * structural character; digits only inside numbers; no run touching an escape sequence; a
 * number still a JSON number on both sides), and the token's path matches an ignore pattern
 * (escaped member names decoded first). Anything else answers "unknown" and the caller does the full structural diff.
 *
 * Bodies may be chunk lists (bytes.ts): runs are found with range compares across the chunks, and the
 * tokenizer reads the first chunk in place when every run lies in it (the usual case: one volatile
 * field), joining the chunks only when a run lies beyond it.
 */
import { BodyReader, type Body } from './bytes.js';
import type { PathMatcher, Segment } from './jsonpath.js';

const MAX_RUNS = 4096;
/** Stretches up to this long are walked byte by byte; longer ones are skipped with native compares. */
const WALK = 32;

interface Run {
  /** [start, end) in the primary body. */
  readonly a0: number;
  readonly a1: number;
  /** [start, end) in the shadow body. */
  readonly b0: number;
  readonly b1: number;
}

/**
 * The first index in [from, to) where `a` and `b` differ (both at least `to` long), or `to`.
 * Past a short walk, equal stretches are skipped with native compares that double in length
 * while they hold; the stretch that differs is halved down to a short walk. A difference after
 * k equal bytes costs O(log k) compares — one volatile field near the start of a 64 KiB body is
 * found in a dozen, where fixed 256-byte blocks took 256.
 */
export function nextDifferingByte(a: Body | BodyReader, b: Body | BodyReader, from: number, to: number): number {
  return nextDiff(readerOf(a), readerOf(b), from, to);
}

const readerOf = (x: Body | BodyReader): BodyReader => (x instanceof BodyReader ? x : new BodyReader(x));

function nextDiff(a: BodyReader, b: BodyReader, from: number, to: number): number {
  let i = from;
  for (const walk = Math.min(to, i + WALK); i < walk; i++) if (a.at(i) !== b.at(i)) return i;
  let step = WALK * 2;
  while (i < to) {
    const end = Math.min(to, i + step);
    if (a.equal(b, i, i, end - i)) {
      i = end;
      step *= 2;
      continue;
    }
    // [i, end) holds a difference: halve it down to a stretch short enough to walk.
    let hi = end;
    while (hi - i > WALK) {
      const mid = (i + hi) >>> 1;
      if (a.equal(b, i, i, mid - i)) i = mid;
      else hi = mid;
    }
    for (; i < hi; i++) if (a.at(i) !== b.at(i)) return i;
    return hi;
  }
  return to;
}

/** How many trailing bytes `a` and `b` share, at most `max` (the same doubling and halving, from the end). */
export function commonSuffixLength(a: Body | BodyReader, b: Body | BodyReader, max: number): number {
  return suffix(readerOf(a), readerOf(b), max);
}

function suffix(a: BodyReader, b: BodyReader, max: number): number {
  const ea = a.length;
  const eb = b.length;
  let s = 0;
  for (const walk = Math.min(max, WALK); s < walk; s++) if (a.at(ea - 1 - s) !== b.at(eb - 1 - s)) return s;
  let step = WALK * 2;
  while (s < max) {
    const next = Math.min(max, s + step);
    if (a.equal(b, ea - next, eb - next, next - s)) {
      s = next;
      step *= 2;
      continue;
    }
    let hi = next;
    while (hi - s > WALK) {
      const mid = (s + hi) >>> 1;
      if (a.equal(b, ea - mid, eb - mid, mid - s)) s = mid;
      else hi = mid;
    }
    for (; s < hi; s++) if (a.at(ea - 1 - s) !== b.at(eb - 1 - s)) return s;
    return hi;
  }
  return max;
}

function differingRuns(a: BodyReader, b: BodyReader): Run[] | null {
  if (a.length === b.length) {
    const runs: Run[] = [];
    const n = a.length;
    let i = nextDiff(a, b, 0, n);
    while (i < n) {
      let j = i + 1;
      while (j < n && a.at(j) !== b.at(j)) j++;
      runs.push({ a0: i, a1: j, b0: i, b1: j });
      if (runs.length > MAX_RUNS) return null;
      i = nextDiff(a, b, j, n);
    }
    return runs;
  }
  const min = Math.min(a.length, b.length);
  const p = nextDiff(a, b, 0, min);
  const s = suffix(a, b, min - p);
  return [{ a0: p, a1: a.length - s, b0: p, b1: b.length - s }];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function safeInString(buf: BodyReader, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = buf.at(i)!;
    if (c === QUOTE || c === BACKSLASH || c < 0x20) return false;
  }
  return true;
}

/**
 * True when [from, to) touches an escape sequence (`\n`, `\u00e9`) of the string token
 * [start, end): a changed or inserted byte there could make the escape invalid JSON.
 */
function touchesEscape(buf: Buffer, start: number, end: number, from: number, to: number): boolean {
  for (let p = start + 1; p < end - 1; p++) {
    if (buf[p] !== BACKSLASH) continue;
    const len = buf[p + 1] === 0x75 ? 6 : 2;
    if (from < p + len && to > p) return true;
    p += len - 1;
  }
  return false;
}

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function safeInNumber(buf: BodyReader, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = buf.at(i)!;
    const digit = c >= 0x30 && c <= 0x39;
    if (!digit && c !== 0x2e && c !== 0x2d && c !== 0x2b && c !== 0x65 && c !== 0x45) return false;
  }
  return true;
}

/**
 * True when `a` and `b` differ only inside scalar values whose paths `ignore` matches; false when
 * that cannot be shown this way (the caller then parses and diffs).
 */
export function onlyIgnoredBytesDiffer(primary: Body | BodyReader, shadow: Body | BodyReader, ignore: PathMatcher): boolean {
  const A = readerOf(primary);
  const B = readerOf(shadow);
  const runs = differingRuns(A, B);
  if (runs === null || runs.length === 0) return runs !== null;
  // The tokenizer reads the primary as one Buffer: its first chunk when every run lies inside it
  // (a token reaching that chunk's end then answers "unknown"), else the chunks joined.
  const inHead = runs[runs.length - 1]!.a1 < A.head.length;
  const a = inHead ? A.head : A.flat();
  const cut = inHead && a.length < A.length;
  const path: Segment[] = [];
  // Per container on the stack: is it an array, and its next index.
  const arrays: boolean[] = [];
  const index: number[] = [];
  let expectKey = false;
  let key = '';
  let r = 0;
  /** How far the shadow's bytes are ahead of the primary's, after the runs consumed so far. */
  let shift = 0;
  const n = a.length;
  let i = 0;
  const enterValue = (): void => {
    const top = arrays.length - 1;
    if (top >= 0 && arrays[top]) path.push(index[top]!);
    else if (top >= 0) path.push(key);
  };
  const leaveValue = (): void => {
    const top = arrays.length - 1;
    if (top >= 0) {
      path.pop();
      if (arrays[top]) index[top]!++;
    }
  };
  while (i < n && r < runs.length) {
    const c = a[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x3a) {
      if (runs[r]!.a0 <= i) return false; // a run touches whitespace or a separator
      i++;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (runs[r]!.a0 <= i) return false;
      enterValue();
      arrays.push(c === 0x5b);
      index.push(0);
      expectKey = c === 0x7b;
      i++;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      if (runs[r]!.a0 <= i) return false;
      arrays.pop();
      index.pop();
      leaveValue();
      expectKey = arrays.length > 0 && !arrays[arrays.length - 1];
      i++;
      continue;
    }
    // A scalar token: string, number, true/false/null.
    const start = i;
    let end: number;
    if (c === QUOTE) {
      end = i + 1;
      while (end < n && a[end] !== QUOTE) end += a[end] === BACKSLASH ? 2 : 1;
      end++;
    } else {
      end = i + 1;
      while (end < n) {
        const d = a[end]!;
        if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09 || d === 0x3a) break;
        end++;
      }
    }
    // Reading only the first chunk, a token that reaches its end may go on in the next one.
    if (cut && end >= n) return false;
    if (expectKey && c === QUOTE && !(arrays.length > 0 && arrays[arrays.length - 1])) {
      if (runs[r]!.a0 < end) return false; // a key differs
      key = a.toString('utf8', start + 1, end - 1);
      if (key.includes('\\')) {
        // An escaped key (`"\u0061"` is "a"): match its decoded name, as the structural diff does.
        try {
          key = JSON.parse(a.toString('utf8', start, end)) as string;
        } catch {
          return false;
        }
      }
      expectKey = false;
      i = end;
      continue;
    }
    enterValue();
    // A number can grow at its end (17 → 1799): an empty primary run right after it belongs to it.
    const touches = (run: Run): boolean => run.a0 < end || (c !== QUOTE && run.a0 === end && run.a1 === end);
    const bStart = start + shift;
    let touched = false;
    while (r < runs.length && touches(runs[r]!)) {
      const run = runs[r]!;
      // The run must sit strictly inside the token's content, in both bodies.
      const inside = c === QUOTE ? run.a0 > start && run.a1 < end : run.a0 >= start && run.a1 <= end;
      if (!inside) return false;
      const safe =
        c === QUOTE
          ? safeInString(A, run.a0, run.a1) && safeInString(B, run.b0, run.b1) && !touchesEscape(a, start, end, run.a0, run.a1)
          : safeInNumber(A, run.a0, run.a1) && safeInNumber(B, run.b0, run.b1) && c !== 0x74 && c !== 0x66 && c !== 0x6e;
      if (!safe || !ignore.matches(path)) return false;
      shift += run.b1 - run.b0 - (run.a1 - run.a0);
      touched = true;
      r++;
    }
    // The shadow's number must still be a JSON number (`17` → `1-7` is not), and so must the primary's.
    if (touched && c !== QUOTE && !(JSON_NUMBER.test(a.toString('latin1', start, end)) && JSON_NUMBER.test(B.text('latin1', bStart, end + shift)))) return false;
    leaveValue();
    expectKey = arrays.length > 0 && !arrays[arrays.length - 1];
    i = end;
  }
  return r === runs.length;
}
