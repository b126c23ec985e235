/**
 * The CDC fault benchmark's report: one Markdown table row per scenario (events, faults, wall
 * time, dead letters, rows lost / extra / different and the exit code of `ficus cdc verify`,
 * notes on unplanned exits, retries and timeouts), what exactly each fault was, and how the
 * figures were read. A pure function of the results.
 */
import { POISON_KINDS } from './cdc-poison.js';
import type { ScenarioResult } from './cdc-scenario.js';

export interface RunInfo {
  readonly events: number;
  readonly rowsAtEnd: number;
  readonly avgBytes: number;
  readonly window: number;
  readonly batch: number;
  readonly poisonEvery: number;
  /** A sentence on scenarios that could not run here, or ''. */
  readonly skipped: string;
}

const fmt = (n: number): string => (Number.isFinite(n) ? n.toLocaleString('en-US') : '–');
const total = (m: ReadonlyMap<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
const byCode = (m: ReadonlyMap<string, number>): string => [...m].map(([code, n]) => `${code} ${fmt(n)}`).join(', ');

function rowCount(n: number, truncated: boolean): string {
  return `${truncated ? '≥ ' : ''}${fmt(n)}`;
}

function notes(r: ScenarioResult): string {
  const out: string[] = [];
  if (r.timedOut) out.push(`**timed out** after ${r.seconds.toFixed(0)} s`);
  else if (!r.caughtUp) out.push('**did not catch up**');
  if (r.unplanned.length > 0) {
    const codes = [...new Set(r.unplanned.map((u) => (u.signal ? u.signal : `exit ${u.code}`)))].join(', ');
    out.push(
      `**${r.unplanned.length} unplanned exit${r.unplanned.length === 1 ? '' : 's'}** (${codes}; restarted by the bench): ${r.unplanned[0]?.log.slice(0, 200) ?? ''}`,
    );
  }
  if (r.name === 'sigkill') out.push(`${r.starts} processes in all`);
  if (Number.isFinite(r.retries) && r.retries > 0) out.push(`${fmt(r.retries)} batch apply retries`);
  if (r.sendErrors > 0) out.push(`${fmt(r.sendErrors)} produce requests failed and were sent again`);
  if (!r.stop.clean) out.push(`stop: ${r.stop.summary.slice(0, 200)}`);
  if (r.verify.status !== 'equal') out.push(`verify: ${r.verify.status}`);
  return out.join('; ') || '–';
}

function row(r: ScenarioResult): string {
  const v = r.verify;
  const dead = total(r.deadLetters);
  const events = r.poisons > 0 ? `${fmt(r.events)} + ${fmt(r.poisons)} poison` : fmt(r.events);
  const faults = r.name === 'poison' ? `${fmt(r.poisons)} poison` : fmt(r.faults.injected);
  const deadCell = r.poisons > 0 ? `${fmt(dead)} of ${fmt(r.poisons)}` : fmt(dead);
  return `| ${r.name} | ${events} | ${faults} | ${r.seconds.toFixed(1)} | ${deadCell} | ${rowCount(v.missing, v.truncated)} | ${rowCount(v.extra, v.truncated)} | ${rowCount(v.different, v.truncated)} | ${v.exit ?? '–'} | ${notes(r)} |`;
}

function injected(r: ScenarioResult, info: RunInfo): string {
  if (r.name !== 'poison') return `- **${r.name}**: ${r.faults.what}.`;
  return `- **poison**: ${fmt(r.poisons)} poison messages, one after every ${fmt(info.poisonEvery)} events, ${POISON_KINDS.length} kinds in turn (${POISON_KINDS.join(', ')}; see bench/reliability/cdc-poison.ts); dead letters by code: ${byCode(r.deadLetters) || 'none'}.`;
}

export function renderResults(results: readonly ScenarioResult[], info: RunInfo): string {
  return [
    `${fmt(info.events)} change events per scenario (creates, updates and deletes of 10-column rows, ${fmt(info.rowsAtEnd)} rows at the end; ~${(info.avgBytes / 1024).toFixed(1)} KiB per message, Debezium JSON with schemas) through librdkafka's mock Kafka cluster, 4 partitions keyed by id, into Postgres by \`ficus cdc run\` as a child process (batches of ${fmt(info.batch)}, consumer session timeout 6 s); the producer runs beside it, at most ${fmt(info.window)} messages ahead of the applied offsets (the mock keeps ~5 MB per partition). Each scenario: a fresh topic, group and target table; then \`ficus cdc verify --config …\` (the real CLI) against a second database holding the stream's expected final state.`,
    '',
    '| scenario | events | faults injected | wall s | dead-lettered | rows lost (missing) | rows extra | rows different | verify exit | notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(row),
    '',
    'What was injected:',
    ...results.map((r) => injected(r, info)),
    '',
    `Rows lost, extra and different are the counts in verify's JSON result (\`missing\`, \`extra\`, \`different\`); goal 0, 0, 0 and exit 0. A keyed table cannot hold a row twice: a change applied twice shows as an extra row (a delete undone) or a different one (an older value over a newer). Wall time runs from the first produce to the poll that sees every produced offset applied, faults included. The pipeline is watched from outside (its offsets table, every 25 ms); had it exited on its own, the bench would have restarted it after 1 s and counted an unplanned exit.${info.skipped ? ` ${info.skipped}` : ''}`,
  ].join('\n');
}
