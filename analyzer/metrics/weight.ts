/**
 * The coupling weight of one edge of the combined graph, read the same way by every metric
 * here: the numeric `weight` attribute when it is a finite positive number, else 0 (no
 * coupling). The graph stage always sets it; the guard keeps a bad value from turning a
 * metric into NaN.
 */
import type { Attributes } from 'graphology-types';

export function edgeWeight(attributes: Attributes): number {
  const w: unknown = attributes['weight'];
  return typeof w === 'number' && Number.isFinite(w) && w > 0 ? w : 0;
}
