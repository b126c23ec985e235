/**
 * The whole strangler-fig journey on the samples, on one machine with Postgres — what `ficus
 * demo` runs and test/journey/demo.int.test.ts checks:
 *
 *   1. analyze legacy-shop (report + drafts);
 *   2. two databases: the monolith's and the catalog service's; start both servers;
 *   3. CDC: the built-in Postgres capture syncs the monolith's catalog tables into the service's
 *      schema (samples/ficus.cdc.yaml's mapping, source switched to logical decoding);
 *   4. the gateway, from the analyzer's draft: the catalog routes in shadow;
 *   5. traffic through the gateway (the generator's catalog mix: writes land on the monolith and
 *      reach the service through CDC), differences recorded;
 *   6. the diff report;
 *   7. replay the recorded differences against the squad's fixed build;
 *   8. a rollout on the fixed build, gated on the diff rate, stepping up to migrated;
 *   9. `ficus cdc verify`: source and target agree.
 * Each step prints what it did and where to look. Every process is a real child process; the
 * databases, the slot and the processes are cleaned up at the end unless `keep`.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { parse, stringify } from 'yaml';
import { runTraffic } from '../traffic/generator.js';
import { answers, freePort, Processes } from './processes.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FICUS = join(ROOT, 'bin', 'ficus.js');
const DIST_SAMPLES = join(ROOT, 'dist', 'samples');
const SRC_SAMPLES = join(ROOT, 'samples');
const TOKEN = 'ficus-demo-admin-token-0123';

export interface DemoOptions {
  /** Postgres admin URL (creates and drops the demo's databases). */
  readonly pg: string;
  /** Folder for everything the demo writes. */
  readonly work: string;
  /** Leave databases, slot and folder in place. */
  readonly keep?: boolean;
  /** Seconds of traffic in the shadow phase (default 8). */
  readonly trafficSeconds?: number;
  readonly print: (line: string) => void;
}

export interface DemoResult {
  readonly contexts: number;
  readonly diffRecords: number;
  readonly replay: { readonly total: number; readonly fixed: number; readonly code: number };
  readonly rollout: readonly number[];
  readonly migrated: boolean;
  readonly verifyCode: number;
}

async function ficus(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [FICUS, ...args], { cwd, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function dbUrl(admin: string, name: string): string {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const say = o.print;
  const step = (n: number, text: string) => say(`\n==> ${n}. ${text}`);
  const look = (text: string) => say(`    look at: ${text}`);
  await mkdir(join(o.work, 'logs'), { recursive: true });
  const procs = new Processes(join(o.work, 'logs'));
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const shopDb = `ficus_demo_shop_${suffix}`;
  const catalogDb = `ficus_demo_catalog_${suffix}`;
  const slot = `ficus_demo_${suffix}`;
  const admin = new pg.Client({ connectionString: o.pg });
  await admin.connect();
  const created: string[] = [];
  try {
    // 1. analyze
    step(1, 'Analyze the legacy shop into candidate bounded contexts');
    const report = join(o.work, 'report');
    const analyzed = await ficus(['analyze', join(SRC_SAMPLES, 'legacy-shop'), '--out', report, '--quiet'], o.work);
    if (analyzed.code !== 0) throw new Error(`ficus analyze failed (${analyzed.code}): ${analyzed.stderr}`);
    const decomposition = JSON.parse(await readFile(join(report, 'decomposition.json'), 'utf8')) as { contexts: { name: string; endpoints: { path: string }[] }[] };
    say(`    ${decomposition.contexts.length} contexts: ${decomposition.contexts.map((c) => c.name).join(', ')}`);
    look(`${join(report, 'decomposition.html')} (and ficus.gateway.draft.yaml, ficus.cdc.draft.yaml beside it)`);

    // 2. databases and servers
    step(2, 'Start the monolith and the extracted catalog service, each on its own database');
    for (const db of [shopDb, catalogDb]) {
      await admin.query(`CREATE DATABASE "${db}"`);
      created.push(db);
    }
    const [shopPort, catalogPort, fixedPort, gwPort, adminPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const shopUrl = `http://127.0.0.1:${shopPort}`;
    const catalogUrl = `http://127.0.0.1:${catalogPort}`;
    const fixedUrl = `http://127.0.0.1:${fixedPort}`;
    await procs.start('legacy-shop', join(DIST_SAMPLES, 'legacy-shop', 'server.js'), [], { PORT: String(shopPort), DATABASE_URL: dbUrl(o.pg, shopDb), LOG_LEVEL: 'warn' }, () => answers(`${shopUrl}/health`));
    await procs.start('catalog-service', join(DIST_SAMPLES, 'catalog-service', 'server.js'), [], { PORT: String(catalogPort), DATABASE_URL: dbUrl(o.pg, catalogDb) }, () => answers(`${catalogUrl}/health`));
    say(`    monolith ${shopUrl} (database ${shopDb}); catalog service ${catalogUrl} (database ${catalogDb})`);

    // 3. CDC
    step(3, 'Sync the monolith’s catalog tables into the service’s schema (built-in Postgres logical decoding)');
    const sample = parse(await readFile(join(SRC_SAMPLES, 'ficus.cdc.yaml'), 'utf8')) as Record<string, unknown>;
    const cdcConfig = {
      ...sample,
      source: { postgres: { url: dbUrl(o.pg, shopDb), publication: `ficus_demo`, slot, snapshot: 'initial' } },
      sink: { postgres: { url: dbUrl(o.pg, catalogDb), schema: 'public' } },
      batch: { maxEvents: 500, maxWaitMs: 100 },
    };
    const cdcFile = join(o.work, 'ficus.cdc.yaml');
    await writeFile(cdcFile, stringify(cdcConfig));
    const catalogPool = new pg.Pool({ connectionString: dbUrl(o.pg, catalogDb), max: 2 });
    const offsetsRow = async (): Promise<boolean> => {
      const r = await catalogPool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'ficus_offsets'`);
      if ((r.rows[0] as { n: number }).n === 0) return false;
      return ((await catalogPool.query('SELECT count(*)::int AS n FROM ficus_offsets')).rows[0] as { n: number }).n > 0;
    };
    await procs.start('ficus-cdc', FICUS, ['cdc', 'run', '--config', cdcFile, '--log-level', 'warn'], {}, offsetsRow, 90_000);
    say(`    slot ${slot} on ${shopDb} → ${catalogDb}: categories → catalog_categories, products → catalog_items`);
    look(`${cdcFile}; ${join(o.work, 'logs', 'ficus-cdc.log')}`);

    // 4. gateway from the draft
    step(4, 'Put the gateway in front, from the analyzer’s draft: the catalog routes in shadow');
    const draft = parse(await readFile(join(report, 'ficus.gateway.draft.yaml'), 'utf8')) as { routes: { id: string; match: { path: string; methods?: string[]; exact?: boolean } }[] };
    const catalogRoutes = draft.routes.filter((r) => /^\/(products|categories)(\/|$)/.test(r.match.path));
    if (catalogRoutes.length === 0) throw new Error(`the draft routes no catalog paths (${draft.routes.map((r) => r.match.path).join(', ')})`);
    const compare = { ignore: ['$.slug', '$.items[*].slug', 'headers.date'], headers: ['content-type'] };
    const routes = (mode: 'shadow' | 'canary') =>
      catalogRoutes.map((r) => ({
        id: r.id,
        match: { ...r.match, methods: ['GET'] }, // writes stay on the monolith; CDC carries them over
        service: 'catalog',
        mode,
        shadow: { sample: 100, compare },
        ...(mode === 'canary' && { rollout: { steps: [10, 50, 100], interval: '3s', minRequests: 20, gates: { maxDiffRate: '1%', maxErrorRate: '1%' } } }),
      }));
    const diffs = join(o.work, 'diffs');
    const gatewayConfig = (catalog: string, mode: 'shadow' | 'canary') => ({
      listen: { host: '127.0.0.1', port: gwPort },
      admin: { host: '127.0.0.1', port: adminPort, token: TOKEN },
      upstreams: { monolith: { url: shopUrl }, catalog: { url: catalog, timeoutMs: 5000 } },
      routes: routes(mode),
      diffs: { store: 'ndjson', path: diffs },
      rollouts: { state: join(o.work, 'rollouts.json') },
      accessLog: false,
    });
    const gwFile = join(o.work, 'ficus.gateway.yaml');
    await writeFile(gwFile, stringify(gatewayConfig(catalogUrl, 'shadow')));
    const gwUrl = `http://127.0.0.1:${gwPort}`;
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const auth = { authorization: `Bearer ${TOKEN}` };
    await procs.start('ficus-gateway', FICUS, ['gateway', '--config', gwFile, '--log-level', 'warn'], {}, () => answers(`${adminUrl}/readyz`, auth));
    say(`    gateway ${gwUrl}; routes ${catalogRoutes.map((r) => `${r.id} (${r.match.path})`).join(', ')} → catalog in shadow`);
    look(`${adminUrl}/ui (token ${TOKEN}); ${gwFile}`);

    // 5. traffic
    step(5, 'Drive traffic through the gateway; the service is compared on every catalog read');
    const seconds = o.trafficSeconds ?? 8;
    const t1 = await runTraffic({ base: gwUrl, rate: 40, durationMs: seconds * 1000, mix: 'catalog', seed: 7, concurrency: 8 });
    await sleep(1500); // shadow comparisons and the diff writer settle
    const routesNow = (await (await fetch(`${adminUrl}/routes`, { headers: auth })).json()) as { routes: { id: string; stats: { compared: number; different: number; diffRate: number } }[] };
    for (const r of routesNow.routes) say(`    ${r.id}: ${r.stats.compared} compared, ${r.stats.different} different (${(r.stats.diffRate * 100).toFixed(1)} %)`);
    say(`    ${t1.sent} requests, ${t1.errors} errors`);

    // 6. diff report
    step(6, 'Render the diff report: which paths differ, how often, with examples');
    const diffReport = await ficus(['report', diffs, '--out', join(o.work, 'reports')], o.work);
    if (diffReport.code !== 0) throw new Error(`ficus report failed: ${diffReport.stderr}`);
    // The data moved on since the records were made (the traffic wrote to the monolith, CDC
    // carried it over): replay against the live monolith as the baseline, not the old answers.
    const diffRecords = (await ficus(['replay', diffs, '--target', catalogUrl, '--baseline', shopUrl, '--config', gwFile, '--out', join(o.work, 'replay-before'), '--quiet'], o.work)).stdout;
    look(diffReport.stdout.trim().split('\n').join(', '));

    // 7. replay against the fixed build
    step(7, 'The squad fixes the differences (prices as numbers, searches by id): replay the recorded requests against the fixed build');
    await procs.start('catalog-service-fixed', join(DIST_SAMPLES, 'catalog-service', 'server.js'), [], { PORT: String(fixedPort), DATABASE_URL: dbUrl(o.pg, catalogDb), CATALOG_COMPAT: '1' }, () => answers(`${fixedUrl}/health`));
    const replayed = await ficus(['replay', diffs, '--target', fixedUrl, '--baseline', shopUrl, '--config', gwFile, '--out', join(o.work, 'replay'), '--quiet'], o.work);
    const replay = JSON.parse(await readFile(join(o.work, 'replay', 'replay.json'), 'utf8')) as { summary: { total: number; fixed: number } };
    say(`    before the fix: ${diffRecords.trim().split('\n')[0] ?? ''}`);
    say(`    after the fix:  ${replayed.stdout.trim().split('\n')[0] ?? ''} (exit ${replayed.code})`);
    look(join(o.work, 'replay', 'replay.html'));

    // 8. rollout
    step(8, 'Roll the fixed build out: canary 10 % → 50 % → 100 %, stepping while the diff rate stays under 1 %');
    await writeFile(gwFile, stringify(gatewayConfig(fixedUrl, 'canary')));
    const weights: number[] = [];
    const seen = new Map<string, string>();
    let migrated = false;
    const abort = new AbortController();
    const load = runTraffic({ base: gwUrl, rate: 40, durationMs: 60_000, mix: 'browse', seed: 8, concurrency: 8, signal: abort.signal });
    for (let i = 0; i < 120 && !migrated; i++) {
      await sleep(500);
      const r = (await (await fetch(`${adminUrl}/rollouts`, { headers: auth })).json()) as { rollouts: { route: string; phase: string; weight: number; migrated: boolean }[] };
      const first = r.rollouts[0];
      if (!first) continue;
      if (weights.at(-1) !== first.weight) weights.push(first.weight);
      for (const x of r.rollouts) {
        const now = `${x.migrated ? 'migrated' : x.phase} at ${x.weight} %`;
        if (seen.get(x.route) !== now) say(`    ${x.route}: ${now}`);
        seen.set(x.route, now);
      }
      if (r.rollouts.some((x) => x.phase === 'rolled-back' || x.phase === 'aborted')) break;
      migrated = r.rollouts.every((x) => x.migrated);
    }
    abort.abort();
    await load;
    say(migrated ? '    every catalog route is migrated: the service answers them, gates holding' : '    the rollout did not finish');
    look(`${adminUrl}/ui; ficus routes rollout <route> --admin ${adminUrl} --token ${TOKEN}`);

    // 9. verify
    step(9, 'Prove the data agree: ficus cdc verify compares source and target through the mapping');
    const verified = await ficus(['cdc', 'verify', '--config', cdcFile, '--out', join(o.work, 'verify.json'), '--report', join(o.work, 'verify')], o.work);
    say(`    ${verified.stderr.trim().split('\n').join('\n    ')}`);
    look(join(o.work, 'verify', 'verify.html'));
    await catalogPool.end();
    return { contexts: decomposition.contexts.length, diffRecords: replay.summary.total, replay: { ...replay.summary, code: replayed.code }, rollout: weights, migrated, verifyCode: verified.code };
  } finally {
    await procs.stopAll();
    if (!o.keep) {
      await admin.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [slot]).catch(() => undefined);
      for (const db of created) {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db]).catch(() => undefined);
        await admin.query(`DROP DATABASE IF EXISTS "${db}"`).catch(() => undefined);
      }
    }
    await admin.end();
  }
}
