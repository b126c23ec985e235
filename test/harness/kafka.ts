/**
 * A real Kafka broker spoken to over the wire: librdkafka's mock cluster started through
 * Debian's `kcat` (`kcat -X test.mock.num.brokers=1 -d mock -b x:1 -C -t <topic>`). Its
 * bootstrap address is read from kcat's debug output. The mock cluster auto-creates topics
 * with 4 partitions, has no CreateTopics API and keeps ~5 MB per partition.
 *
 * @example
 *   const kafka = await startMockKafka();
 *   afterAll(() => kafka.stop());
 *   new Kafka({ brokers: kafka.brokers, clientId: 'test' });
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { MissingServiceError, uniqueName } from './services.js';

export interface MockKafka {
  readonly brokers: string[];
  readonly pid: number;
  stop(): Promise<void>;
}

const BOOTSTRAP = /bootstrap\.servers=([0-9.:,]+)/;

export async function startMockKafka(options: { brokers?: number; timeoutMs?: number } = {}): Promise<MockKafka> {
  const args = ['-X', `test.mock.num.brokers=${options.brokers ?? 1}`, '-d', 'mock', '-b', 'x:1', '-C', '-t', uniqueName('kcat_probe')];
  const child: ChildProcess = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new MissingServiceError('the Kafka mock cluster (kcat)', `no bootstrap address within ${options.timeoutMs ?? 10000} ms`));
    }, options.timeoutMs ?? 10_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new MissingServiceError('kcat', "install Debian's kcat package ('apt-get install -y kcat', or run bash .ci/run)", err));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const m = BOOTSTRAP.exec(seen);
      if (m?.[1]) {
        clearTimeout(timer);
        seen = '';
        resolve(m[1]);
      } else if (seen.length > 65_536) {
        seen = seen.slice(-4096);
      }
    });
  });
  // Keep draining the debug output so kcat never blocks on a full pipe.
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  const pid = child.pid ?? -1;
  return {
    brokers: bootstrap.split(','),
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}
