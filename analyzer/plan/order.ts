/**
 * The extraction order: strangle first what is least entangled. Repeatedly pick, among the
 * contexts not yet extracted, the one with the fewest inbound seams from the rest (fewest
 * callers to reroute), then the fewest shared-write tables (least data to untangle), then the
 * fewest files; each step lists the seams it cuts and says why it comes next. This is the
 * usual strangler-fig advice (Newman, "Monolith to Microservices", ch. 3: start with what is
 * easy to extract and has few inbound dependencies).
 */
import type { DecompositionContext, PlanStep, Seam, TableOwnership } from '../decomposition.js';
import { sharedWriteTables } from './ownership.js';

export function extractionPlan(
  contexts: readonly DecompositionContext[],
  seams: readonly Seam[],
  tables: readonly TableOwnership[],
): PlanStep[] {
  const remaining = new Set(contexts.filter((c) => c.kind === 'domain').map((c) => c.id));
  const size = new Map(contexts.map((c) => [c.id, c.members.length]));
  const steps: PlanStep[] = [];
  while (remaining.size > 0) {
    const scored = [...remaining].map((id) => {
      const inbound = seams.filter((s) => s.to === id && remaining.has(s.from));
      const callers = new Set(inbound.map((s) => s.from));
      return { id, callers: callers.size, calls: inbound.reduce((n, s) => n + s.calls, 0), shared: sharedWriteTables(id, tables) };
    });
    scored.sort(
      (a, b) =>
        a.callers - b.callers ||
        a.shared.length - b.shared.length ||
        a.calls - b.calls ||
        (size.get(a.id) ?? 0) - (size.get(b.id) ?? 0) ||
        a.id.localeCompare(b.id),
    );
    const pick = scored[0];
    if (!pick) break;
    remaining.delete(pick.id);
    const cut = seams
      .filter((s) => (s.from === pick.id && remaining.has(s.to)) || (s.to === pick.id && remaining.has(s.from)))
      .map((s) => ({ from: s.from, to: s.to, calls: s.calls }));
    steps.push({
      step: steps.length + 1,
      context: pick.id,
      reason: describe(pick.callers, pick.calls, pick.shared, remaining.size),
      inboundSeams: pick.callers,
      sharedWriteTables: pick.shared,
      seamsToCut: cut,
    });
  }
  return steps;
}

function describe(callers: number, calls: number, shared: readonly string[], left: number): string {
  const parts: string[] = [];
  parts.push(callers === 0 ? 'no remaining context calls it' : `${callers} remaining context${callers > 1 ? 's' : ''} call it (${calls} use sites)`);
  parts.push(shared.length === 0 ? 'it shares no written table' : `it shares written tables ${shared.join(', ')}`);
  if (left === 0) parts.push('last one left');
  return parts.join('; ');
}
