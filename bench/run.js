#!/usr/bin/env node
// `npm run bench [-- <part> …flags]`: runs a part's benchmark from the compiled tree (dist/bench).
// Parts: analyzer, reports, gateway, probes (the gateway HTTP probe set, ficus beside nginx), reliability, main-thread (what a reload and a burst of shadow answers cost the main thread), cdc, cdc-verify, cdc-capture, cdc-faults (CDC under faults). Results land in bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const parts = { analyzer: '../dist/bench/analyzer/run.js', reports: '../dist/bench/reports/run.js', gateway: '../dist/bench/gateway/run.js', probes: '../dist/bench/gateway/probes.js', reliability: '../dist/bench/reliability/run.js', cdc: '../dist/bench/cdc/run.js', 'cdc-verify': '../dist/bench/cdc/verify.js', 'cdc-capture': '../dist/bench/cdc/capture.js', 'cdc-faults': '../dist/bench/reliability/cdc-faults.js', 'main-thread': '../dist/bench/gateway/main-thread.js' };
const [part = 'analyzer', ...rest] = process.argv.slice(2);
const entry = parts[part];
if (!entry) {
  process.stderr.write(`bench: unknown part "${part}"; valid: ${Object.keys(parts).join(', ')}\n`);
  process.exit(2);
}
const r = spawnSync(process.execPath, [fileURLToPath(new URL(entry, import.meta.url)), ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
