/**
 * Adjusted Rand index between two partitions (Hubert & Arabie 1985, "Comparing partitions",
 * Journal of Classification 2(1), 193–218): the Rand index corrected for chance under the
 * permutation model, 1 for identical partitions, about 0 for independent ones, negative when
 * worse than chance. Used to score a decomposition against a known one.
 *
 * ARI = (Σᵢⱼ C(nᵢⱼ,2) − E) / (½(Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)) − E),  E = Σᵢ C(aᵢ,2)·Σⱼ C(bⱼ,2) / C(n,2)
 * over the contingency table nᵢⱼ with row sums aᵢ and column sums bⱼ.
 */

const choose2 = (x: number): number => (x * (x - 1)) / 2;

/**
 * Compare the labels two partitions give the items they share (items in only one are ignored).
 * When the denominator is 0 (both partitions all one cluster or all singletons) the result is
 * 1 if they are the same partition and 0 otherwise.
 * @example adjustedRandIndex(new Map([['a', 0], ['b', 0], ['c', 1], ['d', 1]]), new Map([['a', 'x'], ['b', 'x'], ['c', 'y'], ['d', 'z']])) // 4/7
 */
export function adjustedRandIndex(
  a: ReadonlyMap<string, string | number>,
  b: ReadonlyMap<string, string | number>,
): number {
  const cells = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  let n = 0;
  for (const [item, la] of a) {
    const lb = b.get(item);
    if (lb === undefined) continue;
    n++;
    const key = `${typeof la}:${String(la)}\u0000${typeof lb}:${String(lb)}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(la, (rows.get(la) ?? 0) + 1);
    cols.set(lb, (cols.get(lb) ?? 0) + 1);
  }
  if (n < 2) return 1;
  let index = 0;
  for (const c of cells.values()) index += choose2(c);
  let sumA = 0;
  for (const r of rows.values()) sumA += choose2(r);
  let sumB = 0;
  for (const c of cols.values()) sumB += choose2(c);
  const expected = (sumA * sumB) / choose2(n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return cells.size === rows.size && cells.size === cols.size ? 1 : 0;
  return (index - expected) / (max - expected);
}
