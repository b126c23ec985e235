// Priming runs every kind of ending it is there for, on loopback, and leaves nothing open.
import { describe, expect, it } from 'vitest';
import { primeIoPaths } from './prime.js';

/** Open sockets, servers and timers of this process, by kind. */
function resources(): Record<string, number> {
  const out: Record<string, number> = { TCPSocketWrap: 0, TCPServerWrap: 0, Timeout: 0 };
  for (const r of process.getActiveResourcesInfo()) if (r in out) out[r]!++;
  return out;
}

describe('primeIoPaths', () => {
  it('answers, times out, is reset and refused — twice where quick — and closes what it opened', async () => {
    const before = resources();
    const report = await primeIoPaths();
    expect(report).toMatchObject({ answered: 6, timedOut: 1, reset: 2, refused: 2, other: 0 });
    // Timers and sockets it made are gone once it resolves (closes are asynchronous: let them land).
    await new Promise((r) => setTimeout(r, 50));
    const after = resources();
    expect(after.TCPSocketWrap).toBe(before.TCPSocketWrap);
    expect(after.TCPServerWrap).toBe(before.TCPServerWrap);
    expect(after.Timeout).toBeLessThanOrEqual(before.Timeout!);
  });
});
