/**
 * `ficus cdc slot list [--config ficus.cdc.yaml | --url URL] [--json]` and
 * `ficus cdc slot drop [NAME] [--config … | --url …] [--force]`: the replication slots of the
 * source Postgres (the built-in source creates one). `list` prints each slot with the WAL it
 * retains and warns on stderr about inactive ones — an idle slot keeps the server from removing
 * WAL, and one nobody resumes fills the disk. `drop` removes a slot (default: the config's
 * source.postgres.slot); an active one only with --force, which ends the process holding it.
 *
 * Exit codes: 0 done; 1 no such slot, or the server refused; 2 bad options.
 */
import { resolve } from 'node:path';
import { defineCommand } from 'citty';
import { dropSlot, listSlots, loadCdcConfig, type SlotInfo } from '../../cdc/index.js';
import { redactUrl } from '../../core/index.js';
import { CliError, CliErrorCode } from '../errors.js';
import type { CliIO } from '../io.js';

const common = {
  config: { type: 'string', description: 'CDC config whose source.postgres.url (and slot) to use', default: 'ficus.cdc.yaml' },
  url: { type: 'string', description: 'Source Postgres URL (instead of --config)' },
} as const;

async function target(args: { config?: unknown; url?: unknown }, io: CliIO): Promise<{ url: string; slot?: string }> {
  if (typeof args.url === 'string' && args.url !== '') {
    if (!/^postgres(ql)?:\/\//.test(args.url)) throw new CliError(CliErrorCode.BAD_VALUE, `--url "${redactUrl(args.url)}" is not a postgres:// URL`);
    return { url: args.url };
  }
  const config = await loadCdcConfig(resolve(io.cwd, String(args.config ?? 'ficus.cdc.yaml')), io.env);
  const pg = config.source.postgres;
  if (!pg) throw new CliError(CliErrorCode.BAD_VALUE, `${String(args.config)} has no source.postgres; give --url postgres://… of the source database`);
  return { url: pg.url, slot: pg.slot };
}

/** 1536 → '1.5 KiB'. */
export function formatBytes(n: number | null): string {
  if (n === null) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

function table(slots: readonly SlotInfo[]): string {
  const head = ['slot', 'plugin', 'database', 'active', 'confirmed_flush', 'retained WAL', 'wal_status'];
  const rows = slots.map((s) => [
    s.name,
    s.plugin ?? s.type,
    s.database ?? '-',
    s.active ? `yes (pid ${s.activePid ?? '?'})` : 'no',
    s.confirmedFlushLsn ?? '-',
    formatBytes(s.retainedBytes),
    s.walStatus ?? '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const list = defineCommand({
  meta: { name: 'list', description: 'List the replication slots of the source Postgres, with the WAL each retains' },
  args: { ...common, json: { type: 'boolean', description: 'Print JSON instead of a table' } },
  async run({ args, data }) {
    const { io } = data as { io: CliIO };
    const { url } = await target(args, io);
    const slots = await listSlots({ url });
    if (args.json === true) io.stdout.write(`${JSON.stringify(slots, null, 2)}\n`);
    else io.stdout.write(slots.length === 0 ? `no replication slots on ${redactUrl(url)}\n` : `${table(slots)}\n`);
    for (const s of slots.filter((x) => !x.active)) {
      io.stderr.write(
        `ficus: warning: slot ${s.name} is inactive and holds ${formatBytes(s.retainedBytes)} of WAL, which the server keeps until the slot is resumed (ficus cdc run) or dropped (ficus cdc slot drop ${s.name})\n`,
      );
    }
    return 0;
  },
});

const drop = defineCommand({
  meta: { name: 'drop', description: "Drop a replication slot (default: the config's source.postgres.slot)" },
  args: {
    name: { type: 'positional', description: 'Slot to drop', required: false },
    ...common,
    force: { type: 'boolean', description: 'Also drop an active slot, ending the process that holds it' },
  },
  async run({ args, data }) {
    const { io } = data as { io: CliIO };
    const t = await target(args, io);
    const slot = typeof args.name === 'string' && args.name !== '' ? args.name : t.slot;
    if (!slot) throw new CliError(CliErrorCode.USAGE, 'name the slot to drop: ficus cdc slot drop NAME --url postgres://…');
    const dropped = await dropSlot({ url: t.url, slot, force: args.force === true });
    if (!dropped) {
      io.stderr.write(`ficus: there is no replication slot ${slot} on ${redactUrl(t.url)}; ficus cdc slot list shows the slots there\n`);
      return 1;
    }
    io.stdout.write(`ficus cdc: dropped replication slot ${slot}\n`);
    return 0;
  },
});

export default defineCommand({
  meta: { name: 'slot', description: 'Manage the replication slots of the source Postgres (an idle slot holds WAL)' },
  subCommands: { list, drop },
});
