// The config shape README.md shows is one the gateway loads, as written (references unquoted).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from './load.js';

const README = join(import.meta.dirname, '..', '..', 'README.md');

/** The fenced yaml blocks of the README that start with `start`. */
function blocks(start: string): string[] {
  const text = readFileSync(README, 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.startsWith(start));
}

describe('README gateway config', () => {
  it('loads the documented shape, with ${FICUS_ADMIN_TOKEN} unquoted in a flow mapping', () => {
    const [shape] = blocks('listen: { host: 127.0.0.1, port: 8080 }');
    expect(shape).toBeDefined();
    const cfg = parseGatewayConfig(shape!, 'README.md', { FICUS_ADMIN_TOKEN: 'a-token-of-sixteen-chars' });
    expect(cfg.admin.token).toBe('a-token-of-sixteen-chars');
    expect(cfg.routes[0]).toMatchObject({ id: 'products', service: 'catalog', mode: 'shadow' });
    expect(cfg.routes[0]?.shadow?.compare.ignore).toEqual(['$.generatedAt', 'headers.date']);
  });
});
