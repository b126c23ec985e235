/**
 * What the benchmarks share: starting a process pinned to cores with `taskset`, waiting for a
 * port, the CPU time and resident memory of a process from /proc, running wrk and reading its
 * report (req/s, p99, non-2xx and socket errors), medians, and replacing a marked block in
 * bench/RESULTS.md.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const CORES = cpus().length;
/** The process under test gets the first core alone; upstreams and load generators share the rest. */
export const SUT_CPUS = '0';
export const OTHER_CPUS = CORES > 1 ? `1-${CORES - 1}` : '0';

// Below Linux's ephemeral range (32768–60999): a port there can be held by an outgoing connection's
// local end, and the server meant for it would fail to listen (seen once: "nothing listens on 39154").
let nextPort = 20_000 + Math.floor(Math.random() * 10_000);
export const freePort = (): number => nextPort++;

export function pinned(cmd: string, args: string[], cpuList = SUT_CPUS): ChildProcess {
  return spawn('taskset', ['-c', cpuList, cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export async function waitPort(p: number): Promise<void> {
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

/** CPU seconds (user + system) used so far by `pid` and its direct children, from /proc. */
export async function cpuSeconds(pid: number): Promise<number> {
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

/** Resident memory of a process in MiB (VmRSS). `taskset` execs the command, so its pid is the command's. */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) / 1024 : NaN;
}

export interface WrkResult {
  readonly rps: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Answers that were not 2xx/3xx. */
  readonly non2xx: number;
  /** connect + read + write + timeout socket errors. */
  readonly socketErrors: number;
}

export function requireWrk(): void {
  if (!existsSync('/usr/bin/wrk')) throw new Error('wrk is not installed (apt-get install -y wrk)');
}

export async function wrk(url: string, seconds: number, connections: number, extra: string[] = []): Promise<WrkResult> {
  const { stdout } = await exec('taskset', ['-c', OTHER_CPUS, 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...extra, url], { maxBuffer: 1 << 24 });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  if (!rps || !p99) throw new Error(`cannot read wrk output:\n${stdout}`);
  const unit = p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1;
  const total = /(\d+) requests in/.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    rps: Number(rps[1]),
    p99Ms: Number(p99[1]) * unit,
    requests: Number(total?.[1] ?? 0),
    non2xx: Number(non2xx?.[1] ?? 0),
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Replaces (or appends) the `<!-- name:begin -->…<!-- name:end -->` block of bench/RESULTS.md. */
export async function writeResultsBlock(name: string, body: string): Promise<void> {
  const file = join(ROOT, 'bench', 'RESULTS.md');
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const current = existsSync(file) ? await readFile(file, 'utf8') : '# Benchmark results\n';
  const block = `${begin}\n${body}\n${end}`;
  await writeFile(file, current.includes(begin) ? current.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), () => block) : `${current.trimEnd()}\n\n${block}\n`);
}
