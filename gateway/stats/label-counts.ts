/**
 * Hot-path counting for a prom-client Counter with two labels. prom-client hashes the label
 * object (sorted names, joined values) and validates it on every `inc`, and `counter.labels(…)`
 * only binds those labels — it caches nothing. Here a label set is found by its two values (two
 * Map lookups on strings the caller already has: no object, no string built), the increments
 * gather in a plain number, and they are added to the Counter when the registry is scraped (the
 * Counter's `collect` calls `flush`), so `/metrics` and `counter.get()` see every increment.
 *
 * @example
 *   const counts = new LabelCounts(dropped, 'route', 'reason');   // dropped: Counter<'route' | 'reason'>
 *   counts.inc('products', 'queue-full');
 *   // new Counter({ …, collect: () => counts.flush() })
 */
import type { Counter, LabelValues } from 'prom-client';

interface Pending<L extends string> {
  readonly labels: LabelValues<L>;
  n: number;
}

export class LabelCounts<L extends string> {
  private readonly pending = new Map<string, Map<string, Pending<L>>>();
  private size = 0;

  /** `maxKeys` bounds the label sets held (beyond it increments go straight into the Counter). */
  constructor(
    private readonly counter: Counter<L>,
    private readonly first: L,
    private readonly second: L,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one for the label set { [first]: a, [second]: b }. */
  inc(a: string, b: string): void {
    let byB = this.pending.get(a);
    const p = byB?.get(b);
    if (p !== undefined) {
      p.n++;
      return;
    }
    const labels = { [this.first]: a, [this.second]: b } as LabelValues<L>;
    if (this.size >= this.maxKeys) {
      this.counter.inc(labels);
      return;
    }
    if (byB === undefined) this.pending.set(a, (byB = new Map()));
    byB.set(b, { labels, n: 1 });
    this.size++;
  }

  /** Adds what was counted since the last flush to the Counter (from its `collect`, at scrape time). */
  flush(): void {
    for (const byB of this.pending.values()) {
      for (const p of byB.values()) {
        if (p.n === 0) continue;
        this.counter.inc(p.labels, p.n);
        p.n = 0;
      }
    }
  }
}
