/**
 * Gateway benchmark, side by side in one run: wrk (pinned to the last core) against
 *   direct       the JSON upstream itself
 *   nginx        Debian's nginx as a reverse proxy (1 worker, upstream keepalive)
 *   http-proxy   plain http-proxy with a keep-alive agent
 *   ficus        ficus gateway, route in monolith mode
 *   ficus-canary ficus, canary 50 % (half the requests to a second, identical upstream)
 *   ficus-shadow ficus, shadow 100 %: every request also sent to a shadow upstream whose answer
 *                differs in one ignored field, so the bytes differ and the comparison has to find
 *                that only an ignored value did
 *   ficus-hung   ficus, shadow 100 % to an upstream that never answers (primary p99 must hold)
 * each with a ~200 B and a 64 KiB JSON body. The proxy under test runs alone on core 0; the
 * upstreams and wrk share the others; runs are interleaved (every repetition runs every variant, order rotated).
 * Medians of req/s, p99 and the CPU time the process under test spent per request (from
 * /proc, its children included) go to bench/RESULTS.md. On a 2-core machine the upstreams and
 * wrk share one core, which caps req/s of the variants that double upstream work (shadow,
 * canary); capacity ratios (1 / CPU per request) compare what one core of each proxy can do.
 * For the shadow variants the table also gives the share of measured requests that were compared
 * (from the gateway's /metrics): a shadow call dropped at the in-flight bound costs nothing, so a
 * shadow figure is only worth what it compared.
 *
 * Usage: node dist/bench/gateway/run.js [--reps 3] [--duration 8] [--connections 32] [--sizes 200,65536] [--variants …]
 *        [--no-write] (print the table, leave bench/RESULTS.md alone)
 *        [--cpu-prof DIR] (ficus variants: the gateway writes a V8 CPU profile of each run into DIR)
 *        [--limits "{ shadowInFlight: 16 }"] (the ficus configs' `limits`, for A/B runs)
 */
import { type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CORES as cores,
  cpuSeconds,
  freePort as port,
  median,
  OTHER_CPUS,
  pinned,
  requireWrk,
  ROOT,
  SUT_CPUS,
  waitPort,
  wrk,
  writeResultsBlock,
} from '../common/processes.js';
import { gained, metricsText, sum } from '../common/gateway-metrics.js';
import { runMain } from '../common/main.js';

const TOKEN = 'bench-token-0123456789';
const SERVERS = join(import.meta.dirname, 'servers.js');
const FICUS = join(ROOT, 'bin', 'ficus.js');

type Variant = 'direct' | 'nginx' | 'http-proxy' | 'ficus' | 'ficus-canary' | 'ficus-shadow' | 'ficus-hung';
const VARIANTS: readonly Variant[] = ['direct', 'nginx', 'http-proxy', 'ficus', 'ficus-canary', 'ficus-shadow', 'ficus-hung'];

interface Running {
  readonly url: string;
  /** The process under test (its children, like nginx's worker, count too). */
  readonly pid: number;
  /** ficus variants: the admin port (for /metrics). */
  readonly admin?: number;
  stop(): Promise<void>;
}

async function start(procs: ChildProcess[], url: string, ports: number[], sut = procs[procs.length - 1]!): Promise<Running> {
  await Promise.all(ports.map(waitPort));
  return {
    url,
    pid: sut.pid!,
    stop: async () => {
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    },
  };
}

async function startVariant(v: Variant, size: number, dir: string, profDir?: string, limits = ''): Promise<Running> {
  const up = port();
  const procs = [pinned(process.execPath, [SERVERS, 'upstream', String(up), String(size)], v === 'direct' ? SUT_CPUS : OTHER_CPUS)];
  if (v === 'direct') return start(procs, `http://127.0.0.1:${up}/items`, [up], procs[0]);
  const front = port();
  if (v === 'nginx') {
    const conf = join(dir, `nginx-${front}.conf`);
    await writeFile(
      conf,
      `worker_processes 1; daemon off; pid ${dir}/nginx-${front}.pid; error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream u { server 127.0.0.1:${up}; keepalive 64; }
  server { listen 127.0.0.1:${front}; location / { proxy_pass http://u; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; } } }\n`,
    );
    procs.push(pinned('/usr/sbin/nginx', ['-c', conf, '-p', dir]));
    return start(procs, `http://127.0.0.1:${front}/items`, [up, front]);
  }
  if (v === 'http-proxy') {
    procs.push(pinned(process.execPath, [SERVERS, 'http-proxy', String(front), `http://127.0.0.1:${up}`]));
    return start(procs, `http://127.0.0.1:${front}/items`, [up, front]);
  }
  const other = port();
  const extraUp = v === 'ficus-canary' || v === 'ficus-shadow';
  if (extraUp)
    procs.push(pinned(process.execPath, [SERVERS, 'upstream', String(other), String(size), ...(v === 'ficus-shadow' ? ['--vary'] : [])], OTHER_CPUS));
  let hung: net.Server | null = null;
  if (v === 'ficus-hung') {
    hung = net.createServer(() => undefined); // accepts and never answers
    await new Promise<void>((r) => hung!.listen(other, '127.0.0.1', r));
  }
  const mode = v === 'ficus' ? 'monolith' : v === 'ficus-canary' ? 'canary' : 'shadow';
  const cfg = join(dir, `gw-${front}.yaml`);
  const admin = port();
  await writeFile(
    cfg,
    `listen: { host: 127.0.0.1, port: ${front} }
admin: { host: 127.0.0.1, port: ${admin}, token: ${TOKEN} }
upstreams:
  monolith: { url: http://127.0.0.1:${up} }
  svc: { url: http://127.0.0.1:${other}, timeoutMs: 60000 }
routes:
  - id: items
    match: { path: /items }
    service: svc
    mode: ${mode}
${mode === 'canary' ? '    weight: 50\n' : ''}${mode === 'shadow' ? '    shadow: { timeoutMs: 60000, compare: { ignore: [$.generatedAt] } }\n' : ''}
diffs: { store: ndjson, path: ${dir}/diffs-${front} }
${limits === '' ? '' : `limits: ${limits}\n`}`,
  );
  procs.push(
    pinned(process.execPath, [...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), FICUS, 'gateway', '--config', cfg, '--log-level', 'warn']),
  );
  const r = await start(procs, `http://127.0.0.1:${front}/items`, extraUp ? [up, other, front, admin] : [up, front, admin]);
  return {
    url: r.url,
    pid: r.pid,
    admin,
    stop: async () => {
      await r.stop();
      hung?.close();
    },
  };
}

interface Sample {
  readonly rps: number;
  readonly p99Ms: number;
  /** CPU time the process under test spent per request, µs. */
  readonly cpuUs: number;
  /** Shadow variants: comparisons made per measured request (0–1); NaN for the others. */
  readonly compared: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string', default: '3' },
      duration: { type: 'string', default: '8' },
      connections: { type: 'string', default: '32' },
      sizes: { type: 'string', default: '200,65536' },
      variants: { type: 'string', default: VARIANTS.join(',') },
      'no-write': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      limits: { type: 'string', default: '' },
    },
  });
  requireWrk();
  const variants = values.variants.split(',') as Variant[];
  const unknown = variants.filter((v) => !VARIANTS.includes(v));
  if (unknown.length > 0) throw new Error(`--variants: unknown ${unknown.join(', ')}; valid: ${VARIANTS.join(', ')}`);
  const sizes = values.sizes.split(',').map(Number);
  const dir = await mkdtemp(join(tmpdir(), 'ficus-bench-gw-'));
  const results = new Map<string, Sample[]>();
  try {
    for (let rep = 0; rep < Number(values.reps); rep++) {
      for (const size of sizes) {
        const order = variants.map((_, i) => variants[(i + rep) % variants.length]!);
        for (const v of order) {
          const running = await startVariant(v, size, dir, values['cpu-prof'], values.limits.trim());
          try {
            await wrk(running.url, 3, Number(values.connections)); // warm-up: JIT, pools, nginx keepalive
            const shadowing = running.admin !== undefined && (v === 'ficus-shadow' || v === 'ficus-hung');
            const before = shadowing ? await metricsText(running.admin!, TOKEN) : '';
            const cpu0 = await cpuSeconds(running.pid);
            const w = await wrk(running.url, Number(values.duration), Number(values.connections));
            if (w.non2xx + w.socketErrors > 0) process.stderr.write(`  warning: ${w.non2xx} non-2xx, ${w.socketErrors} socket errors\n`);
            const cpu1 = await cpuSeconds(running.pid);
            // Comparisons in flight at either scrape move the count by at most the in-flight bound.
            const compared = shadowing
              ? sum(gained(before, await metricsText(running.admin!, TOKEN), 'ficus_gateway_shadow_total', 'result')) / w.requests
              : NaN;
            const s: Sample = { rps: w.rps, p99Ms: w.p99Ms, cpuUs: w.requests > 0 ? ((cpu1 - cpu0) * 1e6) / w.requests : NaN, compared };
            const key = `${v}\u0000${size}`;
            results.set(key, [...(results.get(key) ?? []), s]);
            process.stderr.write(
              `rep ${rep + 1} ${size} B ${v}: ${s.rps.toFixed(0)} req/s, p99 ${s.p99Ms.toFixed(2)} ms, ${s.cpuUs.toFixed(0)} µs CPU/req${shadowing ? `, ${(compared * 100).toFixed(1)} % compared` : ''}\n`,
            );
          } finally {
            await running.stop();
          }
        }
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const rows: string[] = [];
  for (const size of sizes) {
    const m = (v: Variant) => {
      const s = results.get(`${v}\u0000${size}`) ?? [];
      return {
        rps: median(s.map((x) => x.rps)),
        p99: median(s.map((x) => x.p99Ms)),
        cpu: median(s.map((x) => x.cpuUs)),
        compared: median(s.map((x) => x.compared)),
      };
    };
    const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '–');
    for (const v of variants) {
      const x = m(v);
      // Capacity ratios from CPU per request: what one core of each proxy can forward.
      const cap = (y: { cpu: number }) => 1e6 / y.cpu;
      rows.push(
        `| ${size === 200 ? '~200 B' : `${Math.round(size / 1024)} KiB`} | ${v} | ${x.rps.toFixed(0)} | ${x.p99.toFixed(2)} | ${x.cpu.toFixed(0)} | ${ratio(cap(x), cap(m('nginx')))} | ${ratio(cap(x), cap(m('http-proxy')))} | ${ratio(cap(x), cap(m('ficus')))} | ${ratio(x.rps, m('ficus').rps)} | ${Number.isFinite(x.compared) ? `${(x.compared * 100).toFixed(1)} %` : '–'} |`,
      );
    }
  }
  const table = [
    '| body | variant | median req/s | median p99 ms | CPU µs/req | capacity × nginx | capacity × http-proxy | capacity × ficus monolith | req/s × ficus monolith | compared |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  if (values['no-write']) return;
  await writeResultsBlock(
    'gateway',
    `${table}\n\nReproduce: \`npm run bench -- gateway --reps ${values.reps} --duration ${values.duration} --connections ${values.connections}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cores} cores: the proxy (or, for direct, the upstream) alone on core ${SUT_CPUS}, upstreams and wrk on ${OTHER_CPUS}).`,
  );
}

await runMain(main, import.meta.url);
