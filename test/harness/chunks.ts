/**
 * `b` cut into chunks at the given fractions of its length (duplicate and end cuts dropped), the
 * way a body arrives from a socket: for tests of code that reads bodies as chunk lists.
 *
 * @example
 *   cutInto(Buffer.from('abcdef'), [0.5]); // [<abc>, <def>]
 */
export function cutInto(b: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * b.length)))].filter((x) => x > 0 && x < b.length).sort((x, y) => x - y);
  const out: Buffer[] = [];
  let from = 0;
  for (const x of at) {
    out.push(b.subarray(from, x));
    from = x;
  }
  out.push(b.subarray(from));
  return out;
}
