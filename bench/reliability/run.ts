/**
 * The gateway under faults (issue 9), on loopback, bounded in time. Each scenario runs `ficus
 * gateway` (a real child process, pinned to core 0) in front of the bench upstream, under wrk
 * load, once without the fault (baseline) and once with it, interleaved per repetition, and
 * reports failed primary requests (non-2xx answers plus socket errors; goal 0), the p99 change
 * against its baseline (goal < 20 %), and for the soak the resident memory over time (goal flat):
 *
 *   shadow-down    shadow 100 % to a port where nothing listens
 *   shadow-hung    shadow 100 % to an upstream that accepts and never answers
 *   shadow-slow    shadow 100 % to an upstream that answers after 300 ms (the same answers as the
 *                  baseline's shadow: the only change is the latency)
 *   shadow-differs shadow 100 % to an upstream that answers at once, every answer different from
 *                  the primary's (each one judged and recorded): what differences cost the primary
 *   service-down   canary 50 % (fallback on); the service is killed halfway through the load
 *   reload         the config file rewritten every second under load (hot reload each time)
 *   admin          canary 50 % with shadowing; the fault run changes the route's weight through the
 *                  admin API every 100 ms (10, 90, 30, 70, 50 %, …: the same mix of sides on average)
 *   control        shadow 100 % to a healthy upstream in both runs: no fault at all (A/A), so its
 *                  "change" is what this machine's run-to-run noise alone does to p99
 *   soak           shadow 100 % with differences recorded, for --soak seconds; RSS sampled every 5 s
 *
 * The p99 change is the median over the repetitions of each pair's change (fault run against the
 * baseline run next to it in time), with every pair's change listed: a slow drift of the machine
 * moves both runs of a pair alike, and the spread of the pairs — the control's above all — shows how
 * far one pair's figure can be trusted.
 *
 * The bench process itself (which injects the faults) is pinned beside wrk and the upstreams.
 * Load: wrk, each connection pausing between its requests (a wrk Lua `delay()`), so baseline and fault
 * run at about the same offered rate and the p99 change is latency at equal load. Unpaced a fault that
 * makes the gateway cheaper (a hung shadow is dropped, not sent) raises its request rate by a third,
 * and the p99 then compares different loads.
 *
 * The pace is set per scenario (`--load F`, default 0.4): its baseline is first run unpaced (capacity
 * C req/s, the median of three probes; scenarios whose baselines are the same setup share one), then each connection pauses `connections / (F × C)` ms on
 * average, so every scenario runs at about the same share of what the gateway can do on this machine.
 * `--pace-ms N` pauses N ms instead; a fixed pace runs a slower machine closer to saturation, where
 * p99 is mostly queueing and moves from run to run with the machine.
 * Each pause is drawn from an exponential distribution with the pace as its mean (`--arrivals exp`,
 * the default): with a fixed pause (`--arrivals fixed`) the connections keep in step and fire
 * together, p99 becomes the wait of the last of ~32 requests that arrived at once, and the control
 * scenario's pairs moved by −22 to +109 % (7 pairs; −21 to +48 % with exponential pauses).
 *
 * Usage: node dist/bench/reliability/run.js [--reps 3] [--duration 10] [--connections 32] [--load 0.4 | --pace-ms 3] [--arrivals exp|fixed] [--soak 600] [--scenarios …]
 *        [--gateway-node-args "--flag …"] (node flags for the gateway, for A/B runs) [--limits "{ shadowInFlight: 16 }"] (the gateway
 *        config's `limits`, for A/B runs) [--no-write] (leave bench/RESULTS.md alone)
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import {
  CORES,
  freePort,
  median,
  OTHER_CPUS,
  pinned,
  requireWrk,
  ROOT,
  rssMiB,
  SUT_CPUS,
  waitPort,
  wrk,
  writeResultsBlock,
  type WrkResult,
} from '../common/processes.js';
import { gained, metricsText, sum } from '../common/gateway-metrics.js';
import { runMain } from '../common/main.js';

const SERVERS = join(import.meta.dirname, '..', 'gateway', 'servers.js');
const FICUS = join(ROOT, 'bin', 'ficus.js');
const TOKEN = 'bench-reliability-token-0123';

type Scenario = 'shadow-down' | 'shadow-hung' | 'shadow-slow' | 'shadow-differs' | 'service-down' | 'reload' | 'admin' | 'control';
const SCENARIOS: readonly Scenario[] = ['shadow-down', 'shadow-hung', 'shadow-slow', 'shadow-differs', 'service-down', 'reload', 'admin', 'control'];

interface Setup {
  readonly url: string;
  readonly gatewayPid: number;
  /** The gateway's admin port (bearer TOKEN). */
  readonly admin: number;
  /** Runs beside the load: injects the fault (no-op for the baseline). */
  readonly during: (durationMs: number, faulty: boolean) => Promise<void>;
  stop(): Promise<void>;
}

/** The weights the admin scenario cycles through, every 100 ms: they average the baseline's 50 %. */
const ADMIN_WEIGHTS = [10, 90, 30, 70, 50] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A shadow side that accepts connections and never answers. */
function hungServer(port: number): Promise<net.Server> {
  const server = net.createServer(() => undefined);
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r(server)));
}

/** The bench upstream's flags for the shadow side in a scenario's fault run (servers.ts): slow or wrong, not both. */
const FAULTY_SIDE: Partial<Record<Scenario, readonly string[]>> = {
  'shadow-slow': ['--delay-ms', '300'],
  'shadow-differs': ['--differ'],
};

function gatewayConfig(o: {
  front: number;
  admin: number;
  monolith: number;
  service: number;
  mode: string;
  extra?: string;
  dir: string;
  comment?: string;
}): string {
  return `# ${o.comment ?? 'bench'}
listen: { host: 127.0.0.1, port: ${o.front} }
admin: { host: 127.0.0.1, port: ${o.admin}, token: ${TOKEN} }
upstreams:
  monolith: { url: http://127.0.0.1:${o.monolith} }
  svc: { url: http://127.0.0.1:${o.service}, timeoutMs: 2000 }
routes:
  - id: items
    match: { path: /items }
    service: svc
    mode: ${o.mode}
${o.extra ?? ''}
diffs: { store: ndjson, path: ${o.dir}/diffs-${o.front} }
accessLog: false
${gatewayLimits === '' ? '' : `limits: ${gatewayLimits}\n`}`;
}

/** The gateway config's `limits` as YAML flow text (`--limits`, for A/B runs); the defaults when empty. */
let gatewayLimits = '';

/** Node/V8 flags for the gateway process (`--gateway-node-args`, for A/B runs); none by default. */
let gatewayNodeArgs: readonly string[] = [];

async function setup(s: Scenario | 'soak', faulty: boolean, dir: string): Promise<Setup> {
  const up = freePort();
  const procs: ChildProcess[] = [pinned(process.execPath, [SERVERS, 'upstream', String(up), '200'], OTHER_CPUS)];
  const front = freePort();
  const admin = freePort();
  const service = freePort();
  let side: { close(): unknown } | null = null;
  let serviceProc: ChildProcess | null = null;
  const wait = [up, front];
  let mode = 'shadow';
  let extra = '    shadow: { timeoutMs: 2000, compare: { ignore: [$.generatedAt] } }';
  if (s === 'shadow-down') {
    // Baseline: a healthy shadow; fault: nothing listens on the shadow's port.
    if (!faulty) serviceProc = pinned(process.execPath, [SERVERS, 'upstream', String(service), '200'], OTHER_CPUS);
  } else if (s === 'shadow-hung') {
    if (faulty) side = await hungServer(service);
    else serviceProc = pinned(process.execPath, [SERVERS, 'upstream', String(service), '200'], OTHER_CPUS);
  } else if (s === 'shadow-slow' || s === 'shadow-differs') {
    serviceProc = pinned(process.execPath, [SERVERS, 'upstream', String(service), '200', ...(faulty ? FAULTY_SIDE[s]! : [])], OTHER_CPUS);
  } else if (s === 'service-down') {
    mode = 'canary';
    extra = '    weight: 50\n    fallback: true';
    serviceProc = pinned(process.execPath, [SERVERS, 'upstream', String(service), '200'], OTHER_CPUS);
  } else if (s === 'admin') {
    // Baseline and fault serve the same mix of sides (the weights the fault cycles through average
    // 50 %), so the p99 change is what the changes themselves cost, not a cheaper or dearer mode.
    mode = 'canary';
    extra = '    weight: 50\n    shadow: { timeoutMs: 2000, compare: { ignore: [$.generatedAt] } }';
    serviceProc = pinned(process.execPath, [SERVERS, 'upstream', String(service), '200'], OTHER_CPUS);
  } else if (s === 'soak') {
    serviceProc = pinned(process.execPath, [SERVERS, 'upstream', String(service), '200', '--vary'], OTHER_CPUS);
    extra = '    shadow: { timeoutMs: 2000 }'; // the varying field is compared: every request is recorded
  } else {
    serviceProc = pinned(process.execPath, [SERVERS, 'upstream', String(service), '200'], OTHER_CPUS);
  }
  if (serviceProc) {
    procs.push(serviceProc);
    wait.push(service);
  }
  const cfgFile = join(dir, `gw-${front}.yaml`);
  const cfg = (comment?: string) => gatewayConfig({ front, admin, monolith: up, service, mode, extra, dir, ...(comment && { comment }) });
  await writeFile(cfgFile, cfg());
  const gateway = pinned(process.execPath, [...gatewayNodeArgs, FICUS, 'gateway', '--config', cfgFile, '--log-level', 'error'], SUT_CPUS);
  procs.push(gateway);
  await Promise.all(wait.map(waitPort));
  await waitPort(admin);
  const during = async (durationMs: number, fault: boolean): Promise<void> => {
    if (!fault) return;
    const t0 = Date.now();
    if (s === 'service-down') {
      await sleep(durationMs / 2);
      serviceProc?.kill('SIGKILL');
    } else if (s === 'reload') {
      for (let i = 0; Date.now() - t0 < durationMs - 500; i++) {
        await writeFile(cfgFile, cfg(`reload ${i}`));
        await sleep(1000);
      }
    } else if (s === 'admin') {
      for (let i = 0; Date.now() - t0 < durationMs - 200; i++) {
        const res = await request(`http://127.0.0.1:${admin}/routes/items`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ mode: 'canary', weight: ADMIN_WEIGHTS[i % ADMIN_WEIGHTS.length], reason: `bench change ${i}` }),
        });
        await res.body.dump();
        await sleep(100);
      }
    }
  };
  return {
    url: `http://127.0.0.1:${front}/items`,
    admin,
    gatewayPid: gateway.pid!,
    during,
    stop: async () => {
      for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)))));
      side?.close();
    },
  };
}

async function measure(s: Scenario, faulty: boolean, dir: string, seconds: number, connections: number, pace: string[]): Promise<WrkResult> {
  const running = await setup(s, faulty, dir);
  try {
    await wrk(running.url, 2, connections, pace); // warm-up
    const [result] = await Promise.all([wrk(running.url, seconds, connections, pace), running.during(seconds * 1000, faulty)]);
    return result;
  } finally {
    await running.stop();
  }
}

/** Unpaced req/s of a scenario's baseline (median of three probes): the gateway's capacity in it on this machine. */
async function capacity(s: Scenario, dir: string, connections: number): Promise<number> {
  const running = await setup(s, false, dir);
  try {
    await wrk(running.url, 2, connections);
    // Three probes, their median: one 4-second probe moved by up to ±40 % here.
    const probes: number[] = [];
    for (let i = 0; i < 3; i++) probes.push((await wrk(running.url, 4, connections)).rps);
    return median(probes);
  } finally {
    await running.stop();
  }
}

/**
 * The wrk script that paces each connection: a fixed pause, or (`exp`) one drawn from an exponential
 * distribution with that mean, so the connections' requests stop arriving in step (LuaJIT's unseeded
 * `math.random`: the same draws every run).
 */
async function paceScript(dir: string, ms: number, arrivals: Arrivals): Promise<string[]> {
  if (ms <= 0) return [];
  const script = join(dir, `pace-${arrivals}-${ms}.lua`);
  const body = arrivals === 'exp' ? `return math.floor(-${ms} * math.log(1 - math.random()))` : `return ${ms}`;
  await writeFile(script, `function delay()\n  ${body}\nend\n`);
  return ['-s', script];
}

type Arrivals = 'fixed' | 'exp';

/** Which gateway setup a scenario's baseline runs (setup() with faulty false): the healthy shadow for five of them. */
function baselineSetup(s: Scenario): string {
  return s === 'service-down' || s === 'admin' ? s : 'healthy-shadow';
}

/** A percentage with its sign, rounded: +12, -3. */
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(0)}`;

interface SoakResult {
  samples: number[];
  result: WrkResult;
  /** Unpaced req/s measured first, and the pause per connection it gave (null: unpaced, or --pace-ms). */
  capacity: number | null;
  pauseMs: number;
  /** From the gateway's /metrics at the end: comparisons by result, and shadow calls dropped by reason. */
  shadow: Record<string, number>;
  dropped: Record<string, number>;
}

/** Sums a counter's samples by one label from Prometheus text. */
/**
 * The soak: paced like the scenarios (with --load, to that share of the soak setup's own unpaced
 * req/s, measured first), because at saturation the shadow judge's thread, at idle priority on the
 * gateway's one core, gets no time, and the calls it cannot take are dropped (counted) — a soak
 * that records 1 % of its requests would not test what recording costs in memory.
 */
async function soak(dir: string, seconds: number, connections: number, load: number | undefined, paceMs: number, arrivals: Arrivals): Promise<SoakResult> {
  const running = await setup('soak', true, dir);
  const samples: number[] = [];
  try {
    await wrk(running.url, 2, connections);
    let capacity: number | null = null;
    let pauseMs = paceMs;
    if (load !== undefined) {
      const probes: number[] = [];
      for (let i = 0; i < 3; i++) probes.push((await wrk(running.url, 4, connections)).rps);
      capacity = median(probes);
      pauseMs = Math.max(1, Math.round((connections / (load * capacity)) * 1000));
      process.stderr.write(`soak: capacity ${capacity.toFixed(0)} req/s unpaced → pace ${pauseMs} ms per connection\n`);
    }
    const pace = await paceScript(dir, pauseMs, arrivals);
    await wrk(running.url, 5, connections, pace); // warm-up, then the first sample
    const before = await metricsText(running.admin, TOKEN);
    samples.push(await rssMiB(running.gatewayPid));
    let done = false;
    const sampler = (async () => {
      while (!done) {
        await sleep(5000);
        if (!done) samples.push(await rssMiB(running.gatewayPid));
      }
    })();
    const result = await wrk(running.url, seconds, connections, pace);
    done = true;
    await sampler;
    samples.push(await rssMiB(running.gatewayPid));
    await sleep(500); // the last comparisons settle
    const after = await metricsText(running.admin, TOKEN);
    return {
      samples,
      result,
      capacity,
      pauseMs,
      shadow: gained(before, after, 'ficus_gateway_shadow_total', 'result'),
      dropped: gained(before, after, 'ficus_gateway_shadow_dropped_total', 'reason'),
    };
  } finally {
    await running.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string', default: '3' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      /** A fixed pace instead of --load: every wrk connection pauses this long (ms) between requests. */
      'pace-ms': { type: 'string' },
      /** Pace each scenario to this share of its measured capacity (the default, 0.4, unless --pace-ms is given). */
      load: { type: 'string' },
      /** `exp` (default) draws each pause from an exponential distribution with the pace as its mean; `fixed` pauses every connection the pace. */
      arrivals: { type: 'string', default: 'exp' },
      soak: { type: 'string', default: '600' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      /** Flags for the gateway's node process, space-separated (e.g. "--single-threaded"), for A/B runs. */
      'gateway-node-args': { type: 'string', default: '' },
      limits: { type: 'string', default: '' },
      /** Print the table only; leave bench/RESULTS.md alone. */
      'no-write': { type: 'boolean', default: false },
    },
  });
  gatewayNodeArgs = values['gateway-node-args'].split(' ').filter((a) => a !== '');
  gatewayLimits = values.limits.trim();
  requireWrk();
  // This process injects the faults (writes the config, calls the admin API, serves the slow
  // shadow): it runs beside wrk and the upstreams, never on the gateway's core, or a fault run's
  // tail would count the bench's own work (every thread: -a).
  execFileSync('taskset', ['-a', '-p', '-c', OTHER_CPUS, String(process.pid)], { stdio: 'ignore' });
  const scenarios = values.scenarios.split(',').filter((x) => x !== '') as Scenario[];
  const seconds = Number(values.duration);
  const connections = Number(values.connections);
  const dir = await mkdtemp(join(tmpdir(), 'ficus-bench-rel-'));
  if (values['pace-ms'] !== undefined && values.load !== undefined) throw new Error('--pace-ms and --load: give one of them');
  const paceMs = Number(values['pace-ms'] ?? 0);
  const load = values['pace-ms'] !== undefined ? undefined : Number(values.load ?? '0.4');
  if (load !== undefined && !(load > 0 && load < 1)) throw new Error(`--load ${values.load}: give a share of capacity between 0 and 1, such as 0.4`);
  const arrivals = values.arrivals as Arrivals;
  if (arrivals !== 'fixed' && arrivals !== 'exp') throw new Error(`--arrivals ${values.arrivals}: valid are fixed, exp`);
  const results = new Map<string, WrkResult[]>();
  /** Per scenario: the pause of each wrk connection (ms) and, with --load, the capacity it was derived from. */
  const paces = new Map<Scenario, { ms: number; capacity?: number }>();
  /** Capacity per baseline setup: scenarios whose baselines are the same gateway setup are probed once and paced alike. */
  const probed = new Map<string, number>();
  try {
    for (const s of scenarios) {
      if (load === undefined) {
        paces.set(s, { ms: paceMs });
        continue;
      }
      const kind = baselineSetup(s);
      const c = probed.get(kind) ?? (await capacity(s, dir, connections));
      probed.set(kind, c);
      paces.set(s, { ms: Math.max(1, Math.round((connections / (load * c)) * 1000)), capacity: c });
      process.stderr.write(`${s}: capacity ${c.toFixed(0)} req/s unpaced → pace ${paces.get(s)!.ms} ms per connection\n`);
    }
    for (let rep = 0; rep < Number(values.reps); rep++) {
      for (const s of scenarios) {
        for (const faulty of rep % 2 ? [true, false] : [false, true]) {
          const r = await measure(s, faulty, dir, seconds, connections, await paceScript(dir, paces.get(s)!.ms, arrivals));
          const key = `${s}\u0000${faulty}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          process.stderr.write(
            `rep ${rep + 1} ${s} ${faulty ? 'fault' : 'baseline'}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(2)} ms, ${r.non2xx} non-2xx, ${r.socketErrors} socket errors\n`,
          );
        }
      }
    }
    const rows = scenarios.map((s) => {
      const base = results.get(`${s}\u0000false`) ?? [];
      const fault = results.get(`${s}\u0000true`) ?? [];
      const failed = fault.reduce((a, r) => a + r.non2xx + r.socketErrors, 0);
      const total = fault.reduce((a, r) => a + r.requests, 0);
      const p99b = median(base.map((r) => r.p99Ms));
      const p99f = median(fault.map((r) => r.p99Ms));
      const pairs = fault.map((f, i) => ((f.p99Ms - base[i]!.p99Ms) / base[i]!.p99Ms) * 100);
      const change = median(pairs);
      const pace = paces.get(s)!;
      const paced = load === undefined ? '' : ` ${pace.ms} ms of ${pace.capacity!.toFixed(0)} |`;
      return `| ${s} | ${failed} of ${total} | ${p99b.toFixed(2)} | ${p99f.toFixed(2)} | ${signed(change)} % | ${pairs.map(signed).join(', ')} | ${median(base.map((r) => r.rps)).toFixed(0)} → ${median(fault.map((r) => r.rps)).toFixed(0)} |${paced}`;
    });
    let soakText = '';
    const soakSeconds = Number(values.soak);
    if (soakSeconds > 0) {
      const { samples, result, capacity: soakCapacity, pauseMs, shadow, dropped } = await soak(dir, soakSeconds, connections, load, paceMs, arrivals);
      const first = samples[0]!;
      const half = samples.slice(Math.floor(samples.length / 2));
      const last = median(half.slice(-3));
      const drops = Object.entries(dropped)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      const paced =
        soakCapacity !== null
          ? `, paced to ${Math.round(load! * 100)} % of its unpaced ${soakCapacity.toFixed(0)} req/s (${pauseMs} ms per connection)`
          : pauseMs > 0
            ? `, each connection pausing ${pauseMs} ms`
            : ', unpaced';
      soakText = `\n\nSoak: shadow 100 % with every comparison differing (so every comparison is recorded to ndjson)${paced}, ${soakSeconds} s at ${result.rps.toFixed(0)} req/s (${result.requests} requests, ${result.non2xx + result.socketErrors} failed; ${sum(shadow)} compared, ${shadow.different ?? 0} different and recorded, ${sum(dropped)} shadow calls dropped${drops ? ` (${drops})` : ''}): RSS ${first.toFixed(0)} MiB after warm-up → ${last.toFixed(0)} MiB at the end (${(((last - first) / first) * 100).toFixed(0)} %); samples every 5 s: ${samples.map((x) => x.toFixed(0)).join(' ')}.`;
      process.stderr.write(`${soakText.trim()}\n`);
    }
    const table = [
      `| scenario | failed primary requests (fault runs) | baseline p99 ms | fault p99 ms | p99 change (median of pairs) | each pair's change % | req/s baseline → fault |${load === undefined ? '' : ' pace of capacity req/s |'}`,
      `| --- | ---: | ---: | ---: | ---: | ---: | ---: |${load === undefined ? '' : ' ---: |'}`,
      ...rows,
    ].join('\n');
    process.stdout.write(`${table}${soakText}\n`);
    if (!values['no-write'])
      await writeResultsBlock(
        'reliability',
        `${table}${soakText}\n\nReproduce: \`npm run bench -- reliability --reps ${values.reps} --duration ${values.duration} --connections ${connections} ${load === undefined ? `--pace-ms ${paceMs}` : `--load ${load}`}${arrivals === 'fixed' ? ' --arrivals fixed' : ''} --soak ${values.soak}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${CORES} cores: the gateway alone on core ${SUT_CPUS}, upstreams and wrk on ${OTHER_CPUS}; ${load !== undefined ? `each scenario paced to ${Math.round(load * 100)} % of its baseline's unpaced req/s measured first (each wrk connection pausing the ms shown${arrivals === 'exp' ? ' on average, each pause drawn from an exponential distribution' : ''}); ` : paceMs > 0 ? `each wrk connection pausing ${paceMs} ms${arrivals === 'exp' ? ' on average (exponentially distributed)' : ''} between requests; ` : ''}p99 columns medians over the repetitions, the change the median of each pair's change; baseline and fault runs interleaved).`,
      );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await runMain(main, import.meta.url);
