/**
 * Gateway benchmark, side by side in one run: wrk (pinned to the last core) against
 *   direct       the JSON upstream itself
 *   nginx        Debian's nginx as a reverse proxy (1 worker, upstream keepalive)
 *   http-proxy   plain http-proxy with a keep-alive agent
 *   ficus        ficus gateway, route in monolith mode
 *   ficus-canary ficus, canary 50 % (half the requests to a second, identical upstream)
 *   ficus-shadow ficus, shadow 100 %: every request also sent to a shadow upstream whose answer
 *                differs in one ignored field, so the bytes differ and the structural diff runs
 *   ficus-hung   ficus, shadow 100 % to an upstream that never answers (primary p99 must hold)
 * each with a ~200 B and a 64 KiB JSON body. The proxy under test runs alone on core 0; the
 * upstreams and wrk share the others; runs are interleaved (every repetition runs every variant, order rotated).
 * Medians of req/s, p99 and the CPU time the process under test spent per request (from
 * /proc, its children included) go to bench/RESULTS.md. On a 2-core machine the upstreams and
 * wrk share one core, which caps req/s of the variants that double upstream work (shadow,
 * canary); capacity ratios (1 / CPU per request) compare what one core of each proxy can do.
 *
 * Usage: node dist/bench/gateway/run.js [--reps 3] [--duration 8] [--connections 32] [--sizes 200,65536] [--variants …]
 */
import { spawn, type ChildProcess, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const SERVERS = join(import.meta.dirname, 'servers.js');
const FICUS = join(ROOT, 'bin', 'ficus.js');
const cores = cpus().length;
// The system under test (the proxy, or the upstream itself for `direct`) gets the first core
// alone; the upstreams and wrk share the rest (the upstream alone answers several times what
// any proxy can forward, so it is never the bottleneck).
const SUT_CPUS = '0';
const OTHER_CPUS = cores > 1 ? `1-${cores - 1}` : '0';

type Variant = 'direct' | 'nginx' | 'http-proxy' | 'ficus' | 'ficus-canary' | 'ficus-shadow' | 'ficus-hung';
const VARIANTS: readonly Variant[] = ['direct', 'nginx', 'http-proxy', 'ficus', 'ficus-canary', 'ficus-shadow', 'ficus-hung'];

let nextPort = 20_000 + Math.floor(Math.random() * 20_000);
const port = (): number => nextPort++;

function pinned(cmd: string, args: string[], cpus = SUT_CPUS): ChildProcess {
  return spawn('taskset', ['-c', cpus, cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function waitPort(p: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(p, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${p}`);
}

interface Running {
  readonly url: string;
  /** The process under test (its children, like nginx's worker, count too). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** CPU seconds (user + system) used so far by `pid` and its direct children, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  let ticks = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    if (Number(entry) === pid || ppid === pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100; // USER_HZ
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

async function startVariant(v: Variant, size: number, dir: string): Promise<Running> {
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
  if (extraUp) procs.push(pinned(process.execPath, [SERVERS, 'upstream', String(other), String(size), ...(v === 'ficus-shadow' ? ['--vary'] : [])], OTHER_CPUS));
  let hung: net.Server | null = null;
  if (v === 'ficus-hung') {
    hung = net.createServer(() => undefined); // accepts and never answers
    await new Promise<void>((r) => hung!.listen(other, '127.0.0.1', r));
  }
  const mode = v === 'ficus' ? 'monolith' : v === 'ficus-canary' ? 'canary' : 'shadow';
  const cfg = join(dir, `gw-${front}.yaml`);
  await writeFile(
    cfg,
    `listen: { host: 127.0.0.1, port: ${front} }
admin: { host: 127.0.0.1, port: ${port()}, token: bench-token-0123456789 }
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
`,
  );
  procs.push(pinned(process.execPath, [FICUS, 'gateway', '--config', cfg, '--log-level', 'warn']));
  const r = await start(procs, `http://127.0.0.1:${front}/items`, extraUp ? [up, other, front] : [up, front]);
  return { url: r.url, pid: r.pid, stop: async () => { await r.stop(); hung?.close(); } };
}

interface Sample {
  readonly rps: number;
  readonly p99Ms: number;
  /** CPU time the process under test spent per request, µs. */
  readonly cpuUs: number;
}

async function wrk(url: string, seconds: number, connections: number): Promise<Sample> {
  const { stdout } = await exec('taskset', ['-c', OTHER_CPUS, 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { maxBuffer: 1 << 24 });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: .*/.exec(stdout);
  if (!rps || !p99) throw new Error(`cannot read wrk output:\n${stdout}`);
  if (errors?.[1] && Number(errors[1]) > 0) process.stderr.write(`  warning: ${errors[0]}\n`);
  const unit = p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1;
  const total = /(\d+) requests in/.exec(stdout);
  return { rps: Number(rps[1]), p99Ms: Number(p99[1]) * unit, cpuUs: 0, requests: Number(total?.[1] ?? 0) } as Sample & { requests: number };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string', default: '3' },
      duration: { type: 'string', default: '8' },
      connections: { type: 'string', default: '32' },
      sizes: { type: 'string', default: '200,65536' },
      variants: { type: 'string', default: VARIANTS.join(',') },
    },
  });
  if (!existsSync('/usr/bin/wrk')) throw new Error("wrk is not installed (apt-get install -y wrk)");
  const variants = values.variants.split(',') as Variant[];
  const sizes = values.sizes.split(',').map(Number);
  const dir = await mkdtemp(join(tmpdir(), 'ficus-bench-gw-'));
  const results = new Map<string, Sample[]>();
  try {
    for (let rep = 0; rep < Number(values.reps); rep++) {
      for (const size of sizes) {
        const order = variants.map((_, i) => variants[(i + rep) % variants.length]!);
        for (const v of order) {
          const running = await startVariant(v, size, dir);
          try {
            await wrk(running.url, 3, Number(values.connections)); // warm-up: JIT, pools, nginx keepalive
            const cpu0 = await cpuSeconds(running.pid);
            const w = (await wrk(running.url, Number(values.duration), Number(values.connections))) as Sample & { requests: number };
            const cpu1 = await cpuSeconds(running.pid);
            const s: Sample = { rps: w.rps, p99Ms: w.p99Ms, cpuUs: w.requests > 0 ? ((cpu1 - cpu0) * 1e6) / w.requests : NaN };
            const key = `${v}\u0000${size}`;
            results.set(key, [...(results.get(key) ?? []), s]);
            process.stderr.write(`rep ${rep + 1} ${size} B ${v}: ${s.rps.toFixed(0)} req/s, p99 ${s.p99Ms.toFixed(2)} ms, ${s.cpuUs.toFixed(0)} µs CPU/req\n`);
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
      return { rps: median(s.map((x) => x.rps)), p99: median(s.map((x) => x.p99Ms)), cpu: median(s.map((x) => x.cpuUs)) };
    };
    const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '–');
    for (const v of variants) {
      const x = m(v);
      // Capacity ratios from CPU per request: what one core of each proxy can forward.
      const cap = (y: { cpu: number }) => 1e6 / y.cpu;
      rows.push(
        `| ${size === 200 ? '~200 B' : `${Math.round(size / 1024)} KiB`} | ${v} | ${x.rps.toFixed(0)} | ${x.p99.toFixed(2)} | ${x.cpu.toFixed(0)} | ${ratio(cap(x), cap(m('nginx')))} | ${ratio(cap(x), cap(m('http-proxy')))} | ${ratio(cap(x), cap(m('ficus')))} | ${ratio(x.rps, m('ficus').rps)} |`,
      );
    }
  }
  const table = [
    '| body | variant | median req/s | median p99 ms | CPU µs/req | capacity × nginx | capacity × http-proxy | capacity × ficus monolith | req/s × ficus monolith |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const file = join(ROOT, 'bench', 'RESULTS.md');
  const begin = '<!-- gateway:begin -->';
  const end = '<!-- gateway:end -->';
  const current = existsSync(file) ? await readFile(file, 'utf8') : '# Benchmark results\n';
  const block = `${begin}\n${table}\n\nReproduce: \`npm run bench -- gateway --reps ${values.reps} --duration ${values.duration} --connections ${values.connections}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cores} cores: the proxy (or, for direct, the upstream) alone on core ${SUT_CPUS}, upstreams and wrk on ${OTHER_CPUS}).\n${end}`;
  await writeFile(file, current.includes(begin) ? current.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${current.trimEnd()}\n\n${block}\n`);
}

await main();
