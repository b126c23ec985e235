/**
 * Difference paths as the gateway writes them (`status`, `headers.<name>`, `body`, or a concrete
 * JSON path such as `$.items[2].price` or `$['first name']`, see gateway/shadow/jsonpath.ts):
 * splitting a JSON path into segments, generalising array indices to `[*]` so that
 * `$.items[2].price` and `$.items[7].price` count as one path, and finding a value in a body.
 */

export type Segment = string | number;

/** Segments of a concrete JSON path (`$…`), or null when it is not one. */
export function parsePath(path: string): Segment[] | null {
  if (!path.startsWith('$')) return null;
  const out: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(i + 1));
      if (m === null) return null;
      out.push(m[0]);
      i += 1 + m[0].length;
    } else if (path[i] === '[') {
      const index = /^\[(\d+|\*)\]/.exec(path.slice(i));
      if (index?.[1] !== undefined) {
        out.push(index[1] === '*' ? -1 : Number(index[1]));
        i += index[0].length;
        continue;
      }
      const quote = path[i + 1];
      if (quote !== "'" && quote !== '"') return null;
      let name = '';
      let j = i + 2;
      for (; j < path.length && path[j] !== quote; j += 1) {
        if (path[j] === '\\' && j + 1 < path.length) j += 1;
        name += path[j];
      }
      if (path[j + 1] !== ']') return null;
      out.push(name);
      i = j + 2;
    } else return null;
  }
  return out;
}

/** Segments back to a path, indices written `[n]` (or `[*]` for -1). */
export function renderPath(segments: readonly Segment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += s < 0 ? '[*]' : `[${s}]`;
    else out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `['${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** `$.items[2].price` → `$.items[*].price`; other paths (`status`, `headers.x`) stay as they are. */
export function generalisePath(path: string): string {
  const segments = parsePath(path);
  return segments === null ? path : renderPath(segments.map((s) => (typeof s === 'number' ? -1 : s)));
}

/** The value at `segments` in a parsed JSON value, or undefined when it is not there. */
export function valueAt(root: unknown, segments: readonly Segment[]): unknown {
  let v = root;
  for (const s of segments) {
    if (typeof s === 'number') {
      if (!Array.isArray(v) || s < 0) return undefined;
      v = v[s];
    } else {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, s)) return undefined;
      v = (v as Record<string, unknown>)[s];
    }
  }
  return v;
}
