/**
 * What a reload and a burst of shadow answers cost the gateway's main thread — the thread every
 * primary request waits for. This process runs the gateway (all its threads pinned to core 0,
 * the upstreams on the other cores) and measures, interleaved:
 *
 *   reload  main-thread CPU per reload (/proc/self/task/<pid>/schedstat: the main thread alone),
 *           the config loaded in process vs on the loader thread (gateway/config/loader.ts);
 *   burst   64 shadow calls to a side that stalls and then answers all of them at once, each answer
 *           different from the primary's (every item of a ~2 KiB or 64 KiB body): the longest event-loop
 *           delay while they are compared and recorded, how long until all are done, and the main
 *           thread's CPU for it, with the judge (gateway/shadow/judge.ts: diff, noise, redaction,
 *           record) in its own thread (threadJudge, the default) vs in the proxy's thread
 *           (inlineJudge) — two gateways in this process, bursts alternating between them.
 *
 * Usage: node dist/bench/gateway/main-thread.js [--rounds 6] [--reloads 10] [--bursts 5] [--sizes 2048,65536]
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { createLogger } from '../../core/index.js';
import {
  buildGateway,
  createReloader,
  inlineJudge,
  inProcessLoader,
  parseGatewayConfig,
  threadJudge,
  threadLoader,
  type Gateway,
} from '../../gateway/index.js';
import { runMain } from '../common/main.js';
import { freePort, median, OTHER_CPUS, pinned, SUT_CPUS, waitPort, writeResultsBlock } from '../common/processes.js';

const SERVERS = join(import.meta.dirname, 'servers.js');
const BURST = 64;
const JUDGED = ['thread', 'inline'] as const;
type Judged = (typeof JUDGED)[number];
const silent = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** CPU the main thread has used, in ms (Linux: the first field of schedstat is run time in ns). */
const mainCpuMs = (): number => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;

function config(o: { monolith: number; shadow: number; dir: string; comment: string }): string {
  return `# ${o.comment}
admin: { host: 127.0.0.1, port: 9, token: \${BENCH_TOKEN} }
upstreams:
  monolith: { url: http://127.0.0.1:${o.monolith} }
  svc: { url: http://127.0.0.1:${o.shadow}, timeoutMs: 5000 }
routes:
  - id: items
    match: { path: /items }
    service: svc
    mode: shadow
    shadow: { timeoutMs: 5000, compare: { ignore: [$.generatedAt] } }
diffs: { store: ndjson, path: ${o.dir}/diffs-${o.comment.replace(/\W/g, '')} }
limits: { shadowInFlight: ${BURST} }
accessLog: false
`;
}

async function reloadCost(
  gw: Gateway,
  file: string,
  write: (comment: string) => Promise<void>,
  env: Record<string, string>,
  kind: 'process' | 'thread',
  reloads: number,
): Promise<number[]> {
  const loader = kind === 'thread' ? threadLoader(silent) : inProcessLoader;
  const reloader = createReloader(gw.runtime, file, env, silent, { loader });
  try {
    await sleep(1500); // the thread starts and loads the file once
    const out: number[] = [];
    for (let i = 0; i < reloads; i++) {
      await sleep(1000); // reloads are rare: the code that runs them is never hot
      await write(`${kind} reload ${i}`);
      const before = mainCpuMs();
      if (!(await reloader.reload('bench'))) throw new Error('bench reload refused');
      out.push(mainCpuMs() - before);
    }
    return out;
  } finally {
    reloader.close();
  }
}

/** One burst: the longest event-loop delay (ms) while the answers are judged, and ms until all are. */
async function burst(gw: Gateway, pool: Pool): Promise<{ maxDelayMs: number; drainMs: number; cpuMs: number }> {
  await Promise.all(
    Array.from({ length: BURST }, async () => {
      const res = await pool.request({ path: '/items', method: 'GET' });
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`primary answered ${res.statusCode}`);
    }),
  );
  // The held side answers 100 ms after the 64th call arrived; watch from before that.
  await sleep(20);
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  const cpu0 = mainCpuMs();
  while (gw.dispatcher.pending > 0) await sleep(1);
  const drainMs = performance.now() - t0; // includes the side's wait: the same in both variants
  const cpuMs = mainCpuMs() - cpu0;
  h.disable();
  await sleep(50);
  return { maxDelayMs: h.max / 1e6, drainMs, cpuMs };
}

interface BurstResult {
  maxDelayMs: number;
  drainMs: number;
  cpuMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '6' },
      reloads: { type: 'string', default: '10' },
      bursts: { type: 'string', default: '5' },
      sizes: { type: 'string', default: '2048,65536' },
    },
  });
  const rounds = Number(values.rounds);
  const sizes = values.sizes.split(',').map(Number);
  // Every thread of this process (the loader and judge threads too) on the gateway's core.
  execFileSync('taskset', ['-a', '-p', '-c', SUT_CPUS, String(process.pid)], { stdio: 'ignore' });
  const dir = await mkdtemp(join(tmpdir(), 'ficus-bench-main-'));
  const ends = sizes.map((size) => ({ size, monolith: freePort(), shadow: freePort() }));
  const procs: ChildProcess[] = ends.flatMap((e) => [
    pinned(process.execPath, [SERVERS, 'upstream', String(e.monolith), String(e.size)], OTHER_CPUS),
    pinned(process.execPath, [SERVERS, 'held', String(e.shadow), String(e.size), String(BURST), '100'], OTHER_CPUS),
  ]);
  const env = { BENCH_TOKEN: 'bench-main-thread-token-0123' };
  const file = join(dir, 'gw.yaml');
  const write = (comment: string) => writeFile(file, config({ monolith: ends[0]!.monolith, shadow: ends[0]!.shadow, dir, comment }));
  const gws: { size: number; kind: Judged; gw: Gateway; pool: Pool }[] = [];
  try {
    await Promise.all(ends.flatMap((e) => [e.monolith, e.shadow]).map(waitPort));
    await write('start');
    for (const e of ends) {
      for (const kind of JUDGED) {
        const judge = kind === 'thread' ? threadJudge(silent) : inlineJudge();
        if (kind === 'thread' && (await (judge as ReturnType<typeof threadJudge>).ready) === null)
          throw new Error('the judge thread did not start (run npm run build)');
        const cfg = parseGatewayConfig(config({ monolith: e.monolith, shadow: e.shadow, dir, comment: `${kind}${e.size}` }), file, env);
        const gw = await buildGateway({ config: cfg, logger: silent, judge });
        const { port } = await gw.listen(0, '127.0.0.1');
        gws.push({ size: e.size, kind, gw, pool: new Pool(`http://127.0.0.1:${port}`, { connections: BURST }) });
      }
    }
    const reloads: Record<'process' | 'thread', number[]> = { process: [], thread: [] };
    const bursts = new Map<(typeof gws)[number], BurstResult[]>(gws.map((g) => [g, []]));
    for (let b = 0; b < 3; b++) for (const g of gws) await burst(g.gw, g.pool); // warm-up
    for (let r = 0; r < rounds; r++) {
      const kinds = r % 2 === 0 ? (['process', 'thread'] as const) : (['thread', 'process'] as const);
      for (const kind of kinds) reloads[kind].push(...(await reloadCost(gws[0]!.gw, file, write, env, kind, Number(values.reloads))));
      for (let b = 0; b < Number(values.bursts); b++) {
        for (const g of (r + b) % 2 === 0 ? gws : [...gws].reverse()) bursts.get(g)!.push(await burst(g.gw, g.pool));
      }
      process.stdout.write(`round ${r + 1}/${rounds} done\n`);
    }
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
    const f = (n: number) => n.toFixed(2);
    const kib = (n: number) => (n >= 1024 ? `${n / 1024} KiB` : `${n} B`);
    const lines = [
      `Main-thread CPU per reload, ${reloads.process.length} reloads each, one a second, interleaved (all the gateway's threads on one core):`,
      '',
      '| config loaded | median ms | p90 ms | max ms |',
      '| --- | ---: | ---: | ---: |',
      ...(['process', 'thread'] as const).map(
        (k) =>
          `| ${k === 'process' ? 'in process' : 'on the loader thread (nice 19)'} | ${f(median(reloads[k]))} | ${f(q(reloads[k], 0.9))} | ${f(Math.max(...reloads[k]))} |`,
      ),
      '',
      `A burst: ${BURST} shadow answers arriving together, each different from the primary's body in every item (${rounds * Number(values.bursts)} bursts per row, all rows interleaved; the judge compares, redacts and makes the records):`,
      '',
      '| body | judge | longest event-loop delay, median ms | p90 ms | all judged after, median ms | main-thread CPU per burst, median ms |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
      ...gws.map((g) => {
        const xs = bursts.get(g)!;
        return `| ${kib(g.size)} | ${g.kind === 'thread' ? 'its own thread' : "the proxy's thread"} | ${f(median(xs.map((b) => b.maxDelayMs)))} | ${f(
          q(
            xs.map((b) => b.maxDelayMs),
            0.9,
          ),
        )} | ${f(median(xs.map((b) => b.drainMs)))} | ${f(median(xs.map((b) => b.cpuMs)))} |`;
      }),
      '',
      `Reproduce: \`npm run bench -- main-thread --rounds ${rounds} --reloads ${values.reloads} --bursts ${values.bursts} --sizes ${values.sizes}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}).`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    await writeResultsBlock('main-thread', lines.join('\n'));
  } finally {
    for (const g of gws) {
      await g.pool.close();
      await g.gw.close(100);
    }
    for (const p of procs) p.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

await runMain(main, import.meta.url);
