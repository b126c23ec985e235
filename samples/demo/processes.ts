/**
 * The demo's processes: each sample server and each `ficus` command runs as its own child
 * process (as a user would run them), its output kept in a log file under the demo's folder.
 * `start` waits until the process answers on its health URL (or prints a line), `stopAll`
 * sends SIGTERM and waits, then SIGKILLs what is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
  /** Resolves with the exit code once the process ended. */
  readonly exited: Promise<number | null>;
}

/** A port nothing listens on right now (bound to 0 and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Processes {
  private readonly running: Running[] = [];
  constructor(private readonly logDir: string) {}

  /** Starts `node <script> …args`; resolves once `ready()` says so (polled), or rejects with the log's tail. */
  async start(name: string, script: string, args: readonly string[], env: Record<string, string>, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<Running> {
    const log = join(this.logDir, `${name}.log`);
    const out = createWriteStream(log);
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      out.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (out.end(), resolve(code))));
    const r: Running = { name, child, log, exited };
    this.running.push(r);
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready; its log (${log}) ends:\n${tail}`);
      if (await ready().catch(() => false)) return r;
      await sleep(200);
    }
    throw new Error(`${name} was not ready after ${timeoutMs / 1000} s; its log (${log}) ends:\n${tail}`);
  }

  async stop(r: Running, graceMs = 10_000): Promise<void> {
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
    const late = setTimeout(() => r.child.kill('SIGKILL'), graceMs);
    await r.exited;
    clearTimeout(late);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].reverse().map((r) => this.stop(r)));
  }
}

/** True when GET `url` answers 2xx. */
export async function answers(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.ok;
}
