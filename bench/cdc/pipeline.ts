/**
 * The system under test: `ficus cdc run` as users start it, in a child process (config file,
 * Kafka source, Postgres sink, `--metrics-port`), watched from outside through the offsets
 * table it commits with every batch — so the benchmark needs no hook inside the pipeline: a
 * message is applied once its partition's stored next offset is past it. The same config file
 * (with `verify.source.url` when given) serves `ficus cdc verify`; starting again with the same
 * group resumes where the stored offsets say (the fault benchmark kills and restarts it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';

export interface PipelineProcess {
  readonly metricsUrl: string;
  readonly pid: number;
  /** The config file it runs with. */
  readonly config: string;
  /** Settles when the process has exited, however. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The end of what it wrote on stderr (its logs). */
  stderr(): string;
  /** SIGTERM, then the summary line `ficus cdc` prints at stop. */
  stop(): Promise<string>;
  /** SIGKILL (the benchmark failed). */
  kill(): void;
}

export interface PipelineConfig {
  readonly dir: string;
  readonly ficus: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly url: string;
  readonly table: string;
  readonly maxEvents: number;
  readonly maxWaitMs: number;
  /** Extra node flags for the pipeline process (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  /** Consumer group session timeout and heartbeat (ms; default 10000 and 1000). */
  readonly sessionTimeout?: number;
  readonly heartbeatInterval?: number;
  /** `verify.source.url`: the database `ficus cdc verify` reads the expected rows from. */
  readonly verifySource?: string;
  /** `--log-level` (default warn), and a file its logs are appended to as well. */
  readonly logLevel?: string;
  readonly logFile?: string;
}

// maxWaitTimeInMs: librdkafka's mock broker holds a fetch that found no data for the whole wait,
// even when data arrives meanwhile (Kafka answers at once), so a pipeline that has caught up would
// idle up to the default 1 s per fetch; 20 ms keeps that artefact of the mock out of the figures.
export async function startPipeline(c: PipelineConfig): Promise<PipelineProcess> {
  const file = join(c.dir, `${c.groupId}.cdc.yaml`);
  await writeFile(
    file,
    `source:
  kafka:
    brokers: [${c.brokers.join(', ')}]
    topics: [${c.topic}]
    groupId: ${c.groupId}
    sessionTimeout: ${c.sessionTimeout ?? 10000}
    heartbeatInterval: ${c.heartbeatInterval ?? 1000}
    maxWaitTimeInMs: 20
sink:
  postgres:
    url: ${c.url}
tables:
  - from: public.${c.table}
    to: ${c.table}
batch:
  maxEvents: ${c.maxEvents}
  maxWaitMs: ${c.maxWaitMs}
${c.verifySource ? `verify:\n  source: { url: ${c.verifySource} }\n` : ''}`,
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [...(c.nodeArgs ?? []), c.ficus, 'cdc', 'run', '--config', file, '--log-level', c.logLevel ?? 'warn', '--metrics-port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill); // never leave a pipeline behind when the benchmark dies
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', kill);
      resolve({ code, signal });
    }),
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const logFile = c.logFile ? createWriteStream(c.logFile, { flags: 'a' }) : undefined;
  child.once('exit', () => logFile?.end());
  child.stderr?.on('data', (b: Buffer) => {
    logFile?.write(b);
    err += b.toString('utf8');
    if (err.length > 100_000) err = err.slice(-20_000);
  });
  const metricsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ficus cdc run did not start within 30 s:\n${out}${err}`));
    }, 30_000);
    const check = (): void => {
      const m = /metrics on (http:\/\/\S+\/metrics)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ficus cdc run exited with ${code}:\n${out}${err}`));
    });
    child.once('error', reject);
  });
  return {
    metricsUrl,
    pid: child.pid ?? 0,
    config: file,
    exited,
    stderr: () => err,
    kill: () => {
      process.off('exit', kill);
      kill();
    },
    stop: async () => {
      process.off('exit', kill);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (child.exitCode !== 0) throw new Error(`ficus cdc run exited with ${child.exitCode}:\n${out}${err.slice(-4000)}`);
      if (err.trim() !== '') process.stderr.write(`  ficus cdc run logged on stderr: ${err.trim().slice(0, 600)}\n`);
      return /stopped; (.*)/.exec(out)?.[1] ?? out.trim();
    },
  };
}

/** Stored next offset per partition of `topic` (0 where nothing is stored yet). */
export async function appliedOffsets(pool: pg.Pool | pg.Client, topic: string, partitions: number): Promise<number[]> {
  const r = await pool.query<{ position: { partition: number; offset: string } }>(`SELECT position FROM ficus_offsets WHERE stream LIKE $1`, [
    `kafka:${topic}:%`,
  ]);
  const next = Array.from({ length: partitions }, () => 0);
  for (const { position } of r.rows) next[position.partition] = Number(position.offset);
  return next;
}

/** The share of the pipeline's own lag observations (ficus_cdc_lag_seconds) at or under `le` seconds, and their count. */
export async function lagHistogramShare(metricsUrl: string, le: string): Promise<{ share: number; count: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const bucket = new RegExp(`^ficus_cdc_lag_seconds_bucket\\{le="${le.replace('.', '\\.')}"\\} (\\d+)`, 'm').exec(text);
  const count = /^ficus_cdc_lag_seconds_count (\d+)/m.exec(text);
  const n = Number(count?.[1] ?? 0);
  return { share: n > 0 ? Number(bucket?.[1] ?? 0) / n : NaN, count: n };
}
