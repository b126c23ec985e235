/**
 * CPU time, the measure that survives a shared machine: wall-clock rates on 2 cores shared by
 * everything (producer, pipeline, Postgres, other work) say more about the neighbours than
 * about the code. Read from /proc (Linux): a process's user + system time, and the same for
 * every Postgres backend serving the bench database, so each variant gets CPU µs per event
 * split by who spent it. (A process that is gone reads as 0.)
 */
import type pg from 'pg';
import { cpuSeconds } from '../common/processes.js';

/** CPU seconds per backend of the pool's database (Postgres on this machine). */
export async function backendsCpu(pool: pg.Pool): Promise<Map<number, number>> {
  const r = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  const out = new Map<number, number>();
  for (const { pid } of r.rows) out.set(pid, await cpuSeconds(pid));
  return out;
}

export interface CpuMeter {
  /** CPU seconds since start: this process, the watched process, the database's backends. */
  stop(): Promise<{ self: number; process: number; postgres: number }>;
}

/** Starts counting; `pid` is the process under test (0: none). */
export async function startCpuMeter(pool: pg.Pool, pid = 0): Promise<CpuMeter> {
  const proc0 = pid ? await cpuSeconds(pid) : 0;
  const pg0 = await backendsCpu(pool);
  const self0 = process.cpuUsage(); // after the readings, which cost this process CPU themselves
  return {
    async stop() {
      const self = process.cpuUsage(self0);
      const proc = pid ? (await cpuSeconds(pid)) - proc0 : 0;
      const pg1 = await backendsCpu(pool);
      let postgres = 0;
      // A backend that started meanwhile counts whole; one that ended meanwhile is lost (rare: pools stay open).
      for (const [p, s] of pg1) postgres += s - (pg0.get(p) ?? 0);
      return { self: (self.user + self.system) / 1e6, process: proc, postgres };
    },
  };
}
