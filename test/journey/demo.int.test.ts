// `ficus demo` end to end, as a user runs it: the built CLI as a child process on the machine's
// Postgres (wal_level=logical). It analyzes the shop, starts the monolith, the catalog service,
// the built-in CDC capture and the gateway as processes of their own, drives traffic, renders the
// diff report, replays against the fixed build, rolls the fixed build out and verifies the data
// — and exits 0 only when each of those did what it should. The test checks the steps it printed
// and the files it left behind, then that it cleaned up its databases and slot.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_ADMIN_URL, REPO_ROOT, walLevel } from '../harness/index.js';

const BIN = join(REPO_ROOT, 'bin', 'ficus.js');

describe('ficus demo', () => {
  let work: string | undefined;
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('runs the whole journey on the samples and cleans up after itself', async () => {
    expect(existsSync(join(REPO_ROOT, 'dist', 'samples', 'demo', 'run.js')), 'run `npm run build` first (npm ci does)').toBe(true);
    expect(await walLevel()).toBe('logical');
    work = await mkdtemp(join(tmpdir(), 'ficus-demo-test-'));
    const child = spawn(process.execPath, [BIN, 'demo', '--work', work, '--pg', PG_ADMIN_URL, '--traffic', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect({ code, err: err.slice(-2000) }).toEqual({ code: 0, err: '' });
    for (let n = 1; n <= 9; n++) expect(out).toContain(`==> ${n}.`);
    expect(out).toMatch(/replayed \d+ records .*: (\d+) fixed, 0 still different, 0 newly different, 0 error/);
    expect(out).toMatch(/migrated at 100 %/);
    expect(out).toMatch(/public\.products → public\.catalog_items: equal/);
    expect(out).toMatch(/^done: /m);
    // What it left to look at.
    for (const f of ['report/decomposition.html', 'reports/diffs.html', 'replay/replay.html', 'verify/verify.html', 'ficus.gateway.yaml', 'ficus.cdc.yaml']) expect(existsSync(join(work, f)), f).toBe(true);
    const verify = JSON.parse(await readFile(join(work, 'verify.json'), 'utf8')) as { tables: { status?: string; equal?: boolean }[] };
    expect(verify.tables.length).toBe(2);
    // Nothing left behind in Postgres.
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      const dbs = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'ficus_demo_%'`);
      const slots = await admin.query(`SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'ficus_demo_%'`);
      expect({ dbs: dbs.rows, slots: slots.rows }).toEqual({ dbs: [], slots: [] });
    } finally {
      await admin.end();
    }
  }, 240_000);
});
