/**
 * Taking the Kafka broker away without losing its data. librdkafka's mock cluster (run by kcat)
 * keeps its log in memory, so a real restart would empty the topic; instead two outages as the
 * clients see them, each undone on exit whatever happens:
 *
 *   hung  SIGSTOP of the kcat process for the outage, then SIGCONT: the broker answers nothing
 *         (connections stay open, requests time out, new connections sit in the listen backlog),
 *         as a broker stuck in a long GC pause or a frozen VM;
 *   down  an iptables rule (OUTPUT, loopback) rejecting with `--reject-with tcp-reset` every
 *         packet sent to the broker port by any process but kcat: each open client connection is
 *         reset on its next packet and new ones are refused, and the broker's side of each is
 *         reset when it next writes to it — as when the broker process dies and comes back on
 *         the same address, minus the data loss (the group coordinator's state survives, as it
 *         does on a real broker in __consumer_offsets). kcat's own consumer is exempt, told apart
 *         by its group id (kcat runs with BROKER_GID): kcat exits once all its broker connections
 *         are down ("1/1 brokers are down: terminating"), taking the cluster with it. Needs
 *         iptables with the owner match (apt-get install -y iptables) and CAP_NET_ADMIN.
 */
import { execFileSync } from 'node:child_process';

/** The group id kcat runs with, so the firewall rule spares its own client (nogroup). */
export const BROKER_GID = 65534;

/** Why `down` cannot run here, or null when iptables works. */
export function firewallUnavailable(): string | null {
  try {
    execFileSync('iptables', ['-S', 'OUTPUT'], { stdio: 'pipe' });
    return process.getuid?.() === 0 ? null : 'it needs root (iptables, and kcat started with another group id)';
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    return e.code === 'ENOENT'
      ? 'iptables is not installed (apt-get install -y iptables)'
      : `iptables does not work here: ${e.stderr?.toString().trim() || String(err)}`;
  }
}

const ruleArgs = (port: number, tag: string): string[] => [
  'OUTPUT',
  '-p',
  'tcp',
  '-m',
  'tcp',
  '--dport',
  String(port),
  '!',
  '--tcp-flags',
  'RST',
  'RST',
  '-m',
  'owner',
  '!',
  '--gid-owner',
  String(BROKER_GID),
  '-m',
  'comment',
  '--comment',
  tag,
  '-j',
  'REJECT',
  '--reject-with',
  'tcp-reset',
];

/** Resets and refuses every client's packets to the ports but kcat's, until the returned function is called. */
export function brokerDown(ports: readonly number[]): () => void {
  const tag = `ficus-bench-cdc-faults-${process.pid}`;
  const rules = ports.map((p) => ruleArgs(p, tag));
  const added: string[][] = [];
  const undo = (): void => {
    process.off('exit', undo);
    for (const r of added.splice(0)) {
      try {
        execFileSync('iptables', ['-D', ...r], { stdio: 'pipe' });
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', undo); // never leave the rules behind
  try {
    for (const r of rules) {
      execFileSync('iptables', ['-I', ...r], { stdio: 'pipe' });
      added.push(r);
    }
  } catch (err) {
    undo();
    throw err;
  }
  return undo;
}

/** Stops the process (SIGSTOP) until the returned function is called (SIGCONT). */
export function brokerHung(pid: number): () => void {
  const resume = (): void => {
    process.off('exit', resume);
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone
    }
  };
  process.once('exit', resume); // never leave the broker stopped
  process.kill(pid, 'SIGSTOP');
  return resume;
}

/** The ports of `host:port` broker addresses. */
export const brokerPorts = (brokers: readonly string[]): number[] => brokers.map((b) => Number(b.slice(b.lastIndexOf(':') + 1)));
