/**
 * Maps a JSON pointer in a parsed config back to the line and column of the YAML/JSON text,
 * so every config error can say `file:line:col`.
 */
import { isMap, isNode, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** `/routes/0/mode` → ['routes', 0, 'mode']. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

/** ['routes', 0, 'mode'] → `routes[0].mode` (the form users read). */
export function formatFieldPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

function positionOf(node: Node | undefined, counter: LineCounter): Position | undefined {
  const start = node?.range?.[0];
  if (start === undefined) return undefined;
  const { line, col } = counter.linePos(start);
  return { line, col };
}

/** Position of the value at `path`, or of the nearest ancestor that exists. */
export function positionAt(doc: Document, counter: LineCounter, path: readonly (string | number)[]): Position | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node)) return positionOf(node, counter);
  }
  return undefined;
}

/** Position of the key `key` inside the mapping at `path` (for unknown-field errors). */
export function positionOfKey(
  doc: Document,
  counter: LineCounter,
  path: readonly (string | number)[],
  key: string,
): Position | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(parent)) {
    for (const item of parent.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) {
        return positionOf(item.key, counter);
      }
    }
  }
  return positionAt(doc, counter, path);
}
