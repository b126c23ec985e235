/**
 * Context colours, the same in every view of one report: a qualitative palette (Tableau 10
 * and two more) for the first twelve domain contexts, then hues spaced by the golden angle so
 * any number of contexts stay distinguishable; the shared kernel is always grey.
 */
import type { Decomposition } from '../../analyzer/index.js';

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#1f77b4', '#2ca02c', '#8c564b'];
export const KERNEL_COLOR = '#8a8f98';

export function contextColors(d: Decomposition): Map<string, string> {
  const out = new Map<string, string>();
  let k = 0;
  for (const c of d.contexts) {
    if (c.kind === 'shared-kernel') out.set(c.id, KERNEL_COLOR);
    else {
      out.set(c.id, k < PALETTE.length ? PALETTE[k]! : `hsl(${Math.round((k * 137.508) % 360)} 55% 50%)`);
      k++;
    }
  }
  return out;
}
