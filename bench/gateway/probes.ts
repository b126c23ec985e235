/**
 * The gateway HTTP probe set (bench/gateway/probes/) side by side: every probe is sent raw to
 * ficus's gateway and to Debian's nginx as a reverse proxy, each in front of its own pair of
 * recording upstreams with the same routes and limits. Per probe it compares the safety outcome
 * (refused: no upstream completed a request; forwarded: exactly one did; unsafe: something was
 * smuggled, more than one request began upstream, or the next ordinary request failed), the
 * request forwarded, the headers the probe checks, the tunnel and the cancel. bench/RESULTS.md
 * gets the probes where ficus and nginx differ and a count of those where they agree.
 *
 * Usage: node dist/bench/gateway/probes.js [--nginx /usr/sbin/nginx] [--no-write]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { writeResultsBlock } from '../common/processes.js';
import {
  headerMisses,
  NGINX,
  PROBES,
  runProbe,
  safety,
  startFicusFront,
  startNginxFront,
  startProbeUpstreams,
  type Front,
  type Outcome,
  type Probe,
  type ProbeUpstreams,
} from './probes/index.js';
import { runMain } from '../common/main.js';

interface Row {
  readonly probe: Probe;
  readonly ficus: Outcome;
  readonly nginx: Outcome;
  readonly index: number;
}

const forwarded = (o: Outcome): string => {
  const first = o.seen[0];
  return first ? `${first.side} ${first.r.method} ${first.r.url} ${JSON.stringify(first.r.body)}` : '';
};

const statuses = (o: Outcome): string => o.statuses.join(' + ') || 'no answer';

/** What one front did with a probe, in one table cell. */
function cell(p: Probe, o: Outcome, index: number): string {
  const s = safety(o, index);
  const first = o.seen[0];
  let saw = first ? `${first.side} \`${first.r.method} ${first.r.url}\`` : 'nothing';
  if (first && p.upstream && first.r.body !== (p.upstream.body ?? '')) saw += `, body of ${Buffer.byteLength(first.r.body)} B`;
  const misses = headerMisses(p, o);
  if (misses.length > 0) saw += ` (${misses.join(', ')})`;
  if (p.tunnel) saw += o.tunnel?.includes(p.tunnel.echo) ? ', tunnel echoes' : ', no tunnel';
  if (p.leaveAfterMs !== undefined) saw += o.cancelled.length > 0 ? ', cancelled' : ', **not cancelled**';
  if (o.seen.length > 1) saw += ` and ${o.seen.length - 1} more`;
  return `${statuses(o)} / ${saw}${s === 'unsafe' ? ' — **unsafe**' : ''}`;
}

/** "yes", or how the two differ; only the safety outcome, the request forwarded and the checked headers, tunnel and cancel count. */
function verdict({ probe: p, ficus: f, nginx: n, index }: Row): string {
  const sf = safety(f, index);
  const sn = safety(n, index);
  if (sf !== sn) return `no: ficus ${sf}, nginx ${sn}`;
  if (p.leaveAfterMs !== undefined && f.cancelled.length !== n.cancelled.length) return 'no: cancel differs';
  if (p.tunnel && f.tunnel?.includes(p.tunnel.echo) !== n.tunnel?.includes(p.tunnel.echo)) return 'no: tunnel differs';
  const notes: string[] = [];
  if (forwarded(f) !== forwarded(n)) notes.push('another request forwarded');
  if (headerMisses(p, f).join() !== headerMisses(p, n).join()) notes.push('checked headers differ');
  return notes.length > 0 ? `yes; ${notes.join(', ')}` : 'yes';
}

async function runAll(start: (ups: ProbeUpstreams) => Promise<Front>, label: string): Promise<Outcome[]> {
  const ups = await startProbeUpstreams();
  const front = await start(ups);
  const out: Outcome[] = [];
  const t0 = performance.now();
  try {
    for (const [i, p] of PROBES.entries()) out.push(await runProbe(front.port, ups, p, i));
    process.stderr.write(`${label}: ${PROBES.length} probes in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  } finally {
    await front.close();
    await ups.close();
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nginx: { type: 'string', default: NGINX }, 'no-write': { type: 'boolean', default: false } } });
  const ficus = await runAll(startFicusFront, 'ficus');
  const nginx = await runAll((ups) => startNginxFront(ups, values.nginx), 'nginx');
  const rows: Row[] = PROBES.map((probe, index) => ({ probe, ficus: ficus[index]!, nginx: nginx[index]!, index }));
  const differ = rows.map((r) => ({ r, v: verdict(r) })).filter(({ v }) => v !== 'yes');
  const agree = rows.length - differ.length;
  const statusOnly = rows.filter((r) => verdict(r) === 'yes' && r.ficus.statuses.join() !== r.nginx.statuses.join());
  const unsafe = (which: 'ficus' | 'nginx'): number => rows.filter((r) => safety(r[which], r.index) === 'unsafe').length;
  const table = [
    '| probe | ficus: status / upstream saw | nginx: status / upstream saw | same safety outcome? |',
    '| --- | --- | --- | --- |',
    ...differ.map(({ r, v }) => `| ${r.probe.name} | ${cell(r.probe, r.ficus, r.index)} | ${cell(r.probe, r.nginx, r.index)} | ${v} |`),
  ].join('\n');
  const nginxVersion = spawnSync(values.nginx, ['-v'], { encoding: 'utf8' })
    .stderr.trim()
    .replace(/^nginx version: /, ''); // nginx -v writes to stderr
  const summary =
    `${rows.length} probes; unsafe outcomes: ficus ${unsafe('ficus')}, nginx ${unsafe('nginx')}. ` +
    `${agree} agree on the safety outcome, the request forwarded and the headers the probe checks` +
    (statusOnly.length > 0
      ? `, ${statusOnly.length} of them with another status — ficus vs nginx: ${statusOnly.map((r) => `${r.probe.name} — ${statuses(r.ficus)} vs ${statuses(r.nginx)}`).join('; ')}`
      : '') +
    `. The ${differ.length} others:`;
  const date = new Date().toISOString().slice(0, 10);
  const body = `${summary}\n\n${table}\n\nReproduce: \`npm run bench -- probes\` (${date}, Node ${process.version}, ${nginxVersion || 'nginx'}).`;
  process.stdout.write(`${body}\n`);
  if (!values['no-write']) await writeResultsBlock('probes', body);
}

await runMain(main, import.meta.url);
