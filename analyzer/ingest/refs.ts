/**
 * Aggregates a file's use sites into `Reference`s: one per (target file, kind), with the
 * symbols used unique and sorted and `count` the number of use sites. References to the file
 * itself are dropped.
 */
import type { RefKind, Reference } from '../model.js';
import { compare } from './files.js';

interface Slot {
  readonly to: string;
  readonly kind: RefKind;
  readonly symbols: Set<string>;
  count: number;
}

export class RefCollector {
  private readonly slots = new Map<string, Slot>();

  /** @param self the file being analysed (posix, relative to root) */
  constructor(private readonly self: string) {}

  /** Records `n` use sites of `symbols` in `to`. */
  add(to: string, kind: RefKind, symbols: string | readonly string[] | null, n = 1): void {
    if (to === this.self) return;
    const key = `${kind}\u0000${to}`;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { to, kind, symbols: new Set(), count: 0 };
      this.slots.set(key, slot);
    }
    slot.count += n;
    if (typeof symbols === 'string') slot.symbols.add(symbols);
    else if (symbols !== null) for (const s of symbols) slot.symbols.add(s);
  }

  /** The references, sorted by target then kind. */
  list(): Reference[] {
    return [...this.slots.values()]
      .map((s) => ({ to: s.to, kind: s.kind, symbols: [...s.symbols].sort(compare), count: s.count }))
      .sort((a, b) => compare(a.to, b.to) || compare(a.kind, b.kind));
  }
}
