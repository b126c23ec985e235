/**
 * `node dist/bench/analyzer/gen-cli.js <out> <lines> [layered|modular] [domains] [seed] [domain|resource]`:
 * writes one synthetic monolith (see generate.ts) and prints its size.
 */
import { generateMonolith } from './generate.js';

const [out, lines, layout, domains, seed, routes] = process.argv.slice(2);
if (!out || !lines) {
  console.error('usage: gen-cli <out> <lines> [layered|modular] [domains] [seed] [domain|resource]');
  process.exit(2);
}
const tree = await generateMonolith({
  out,
  lines: Number(lines),
  layout: layout === 'modular' ? 'modular' : 'layered',
  domains: domains ? Number(domains) : 8,
  seed: seed ? Number(seed) : 1,
  routes: routes === 'resource' ? 'resource' : 'domain',
});
console.log(`${out}: ${tree.files} files, ${tree.lines} lines, ${Object.keys(tree.truth).length} contexts`);
