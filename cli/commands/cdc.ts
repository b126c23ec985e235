/**
 * `ficus cdc decode [FILE|-]`: decodes Debezium messages and prints each as one normalized
 * JSON line on stdout (see cdc/events/normalize.ts for the shape). FILE defaults to stdin.
 *
 * The input is detected, not declared:
 * - one JSON document (pretty-printed or not), as in Debezium's docs and our fixtures: a
 *   message value (`{schema, payload}` or a bare payload), a `{key, value}` pair, or a JSON
 *   array of such messages;
 * - NDJSON, one per line, of message values;
 * - NDJSON of Kafka records as `kcat -C -J` prints them: `{topic, partition, offset, key,
 *   payload}` (or `value`), key and value as JSON text or null (objects are accepted too).
 * It is NDJSON when the first non-blank line is a JSON document by itself; then lines are
 * decoded as they arrive, so `kcat … | ficus cdc decode` streams (and when the first line is
 * broken but most lines are JSON objects by themselves, it is still read as NDJSON). Messages without a record
 * around them get topic `--topic` (default empty), partition 0 and their 0-based index in the
 * input as offset.
 *
 * A message that cannot be decoded prints one line on stderr naming its line number and the
 * problem; the rest are still decoded, and the exit code is 1 if any failed.
 *
 * `ficus cdc run --config ficus.cdc.yaml [--metrics-port N]`: applies the Debezium topics, or
 * what the built-in Postgres source captures (a progress bar on a terminal during its initial
 * snapshot), to the target Postgres or MySQL/MariaDB (cdc/pipeline.ts; the source and the sink
 * are picked by cdc/sources/open.ts and cdc/sinks/open.ts) until SIGINT/SIGTERM, then finishes the in-flight batch, commits and disconnects. One line on
 * stdout at start, a summary at stop; logs go to stderr.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { defineCommand } from 'citty';
import { isLosslessNumber, parse, parseLosslessNumber, stringify } from 'lossless-json';
import {
  createSource,
  describeSource,
  createPipeline,
  createPipelineMetrics,
  decodeMessage,
  describeSink,
  formatJsonLine,
  loadCdcConfig,
  openSink,
  serveMetrics,
  type KafkaMessage,
  type PipelineSummary,
} from '../../cdc/index.js';
import { createLogger, isFicusError } from '../../core/index.js';
import { CliError, CliErrorCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { catchUpProgress } from '../cdc-progress.js';
import { progressReporter } from '../progress.js';

const JSON_CODE = 'CDC_DECODE_JSON';

type Doc = { readonly [k: string]: unknown };
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v) && !isLosslessNumber(v);

function parseDoc(text: string): unknown {
  return parse(text, null, { parseNumber: parseLosslessNumber, onDuplicateKey: ({ newValue }) => newValue });
}

/** A record's key or value as text for the decoder: strings as they are, JSON values re-serialized exactly. */
function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : (stringify(v) ?? null);
}

function numberOf(v: unknown): string | undefined {
  if (isLosslessNumber(v)) return v.toString();
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return undefined;
}

/** One input document as a Kafka message (see the module header for the forms). */
export function toKafkaMessage(doc: unknown, text: string | undefined, index: number, topic: string): KafkaMessage {
  if (isDoc(doc) && typeof doc.topic === 'string' && ('value' in doc || typeof doc.payload === 'string' || doc.payload === null)) {
    return {
      topic: doc.topic,
      partition: Number(numberOf(doc.partition) ?? 0),
      offset: numberOf(doc.offset) ?? String(index),
      key: asText(doc.key),
      value: asText('value' in doc ? doc.value : doc.payload),
    };
  }
  const keys = isDoc(doc) ? Object.keys(doc) : [];
  if (isDoc(doc) && 'value' in doc && keys.every((k) => k === 'key' || k === 'value')) {
    return { topic, partition: 0, offset: String(index), key: asText(doc.key), value: asText(doc.value) };
  }
  return { topic, partition: 0, offset: String(index), key: null, value: text ?? asText(doc) };
}

/** The line of a character position in text, for JSON syntax errors. */
function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

interface Counts {
  ok: number;
  failed: number;
}

function decodeOne(io: CliIO, counts: Counts, where: string, doc: unknown, text: string | undefined, index: number, topic: string): void {
  try {
    io.stdout.write(`${formatJsonLine(decodeMessage(toKafkaMessage(doc, text, index, topic)))}\n`);
    counts.ok++;
  } catch (err) {
    counts.failed++;
    if (isFicusError(err)) io.stderr.write(`ficus: ${where}: ${err.message} [${err.code}]\n`);
    else io.stderr.write(`ficus: ${where}: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

function syntaxReason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function parsesAsObject(line: string): boolean {
  try {
    return isDoc(parseDoc(line));
  } catch {
    return false;
  }
}

function looksLikeNdjson(lines: readonly string[]): boolean {
  const nonBlank = lines.filter((l) => l.trim() !== '');
  return nonBlank.length > 1 && nonBlank.filter(parsesAsObject).length * 2 >= nonBlank.length;
}

function lineError(io: CliIO, lineNo: number, err: unknown): void {
  io.stderr.write(`ficus: line ${lineNo}: not JSON (${syntaxReason(err)}); expected one Debezium message or kcat -J record per line [${JSON_CODE}]\n`);
}

function decodeLines(lines: readonly string[], io: CliIO, topic: string, counts: Counts): Counts {
  let index = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let doc: unknown;
    try {
      doc = parseDoc(line);
    } catch (err) {
      counts.failed++;
      index++;
      lineError(io, i + 1, err);
      return;
    }
    decodeOne(io, counts, `line ${i + 1}`, doc, line, index++, topic);
  });
  return counts;
}

/** Reads the input, decodes every message, writes the lines; returns the counts. */
export async function decodeStream(input: Readable, io: CliIO, topic: string): Promise<Counts> {
  const counts: Counts = { ok: 0, failed: 0 };
  const rl = createInterface({ input, crlfDelay: Infinity });
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  const held: string[] = [];
  let lineNo = 0;
  let index = 0;
  for await (const line of rl) {
    lineNo++;
    if (mode === 'document') {
      held.push(line);
      continue;
    }
    if (mode === 'unknown') held.push(line);
    if (line.trim() === '') continue;
    let doc: unknown;
    try {
      doc = parseDoc(line);
    } catch (err) {
      if (mode === 'unknown') {
        mode = 'document';
        continue;
      }
      counts.failed++;
      lineError(io, lineNo, err);
      index++;
      continue;
    }
    mode = 'lines';
    held.length = 0;
    decodeOne(io, counts, `line ${lineNo}`, doc, line, index++, topic);
  }
  if (mode !== 'document') return counts;
  const text = held.join('\n');
  let doc: unknown;
  try {
    doc = parseDoc(text);
  } catch (err) {
    // NDJSON whose first line is broken: most lines are JSON objects by themselves.
    if (looksLikeNdjson(held)) return decodeLines(held, io, topic, counts);
    const at = /position (\d+)/.exec(syntaxReason(err));
    counts.failed++;
    io.stderr.write(
      `ficus: line ${at ? lineOf(text, Number(at[1])) : 1}: not JSON (${syntaxReason(err)}); expected one JSON document or one per line [${JSON_CODE}]\n`,
    );
    return counts;
  }
  if (Array.isArray(doc)) doc.forEach((d, i) => decodeOne(io, counts, `message ${i + 1}`, d, undefined, i, topic));
  else decodeOne(io, counts, 'line 1', doc, text, 0, topic);
  return counts;
}

async function openInput(file: string, io: CliIO): Promise<{ input: Readable; close: () => Promise<void> }> {
  if (file === '-') return { input: process.stdin, close: async () => {} };
  const path = resolve(io.cwd, file);
  try {
    const handle = await open(path, 'r');
    return { input: handle.createReadStream({ encoding: 'utf8' }), close: () => handle.close().catch(() => {}) };
  } catch (err) {
    const code = (err as { code?: string }).code ?? String(err);
    throw new CliError(CliErrorCode.BAD_VALUE, `cannot read "${file}" (${code}); give a file of Debezium messages, or - for stdin`);
  }
}

const decode = defineCommand({
  meta: { name: 'decode', description: 'Print Debezium messages (JSON, NDJSON or kcat -J records) as normalized change events, one JSON line each' },
  args: {
    file: { type: 'positional', description: 'File of messages, or - for stdin (default)', required: false },
    topic: { type: 'string', description: 'Topic to assume for messages given without a Kafka record around them' },
  },
  async run({ args, data }) {
    const { io } = data as { io: CliIO };
    const file = args.file === undefined || args.file === '' ? '-' : String(args.file);
    const topic = typeof args.topic === 'string' ? args.topic : '';
    const { input, close } = await openInput(file, io);
    let counts: Counts;
    try {
      counts = await decodeStream(input, io, topic);
    } finally {
      await close();
    }
    if (counts.failed > 0) {
      io.stderr.write(`ficus: ${counts.failed} of ${counts.ok + counts.failed} messages could not be decoded\n`);
      return 1;
    }
    return 0;
  },
});

function portOf(v: unknown): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new CliError(CliErrorCode.BAD_VALUE, `--metrics-port "${String(v)}" is not a port; give 0–65535`);
  return n;
}

function describeSummary(s: PipelineSummary): string {
  const m = s.messages;
  return `${m.change} changes in ${s.batches} batches (${s.applied} applied), ${s.deadLettered} dead-lettered, ${m.control} control, ${m.unmapped} unmapped, ${m.skipped} filtered`;
}

const runCmd = defineCommand({
  meta: {
    name: 'run',
    description:
      'Apply change events (Debezium topics in Kafka, or captured from Postgres directly) to the target Postgres or MySQL/MariaDB until SIGINT/SIGTERM',
  },
  args: {
    config: { type: 'string', description: 'CDC config (YAML or JSON)', default: 'ficus.cdc.yaml' },
    'metrics-port': { type: 'string', description: 'Serve Prometheus metrics on http://127.0.0.1:PORT/metrics' },
    'log-level': { type: 'string', description: 'pino level: fatal, error, warn, info, debug, trace, silent', default: 'info' },
  },
  async run({ args, data }) {
    const { io } = data as { io: CliIO };
    const metricsPort = portOf(args['metrics-port']);
    const config = await loadCdcConfig(resolve(io.cwd, String(args.config)), io.env);
    const logger = createLogger({ level: String(args['log-level']) as 'info', base: { part: 'cdc' } });
    const sink = await openSink(config, logger);
    const metrics = createPipelineMetrics();
    const server = metricsPort === undefined ? undefined : await serveMetrics(metrics.registry, metricsPort);
    const progress = progressReporter(io, false);
    const source = createSource(config, {
      positions: () => sink.lastPositions(),
      logger,
      onSnapshotProgress: (p) => (p.done && p.tableIndex === p.tables - 1 ? progress.stop() : progress.update(`Snapshot ${p.table}`, p.rows, p.total)),
    });
    const pipeline = createPipeline({ config, sink, source, logger, metrics });
    const catchUp = catchUpProgress({ io, metrics }); // a bar on a terminal while far behind Kafka
    const stop = (): void => void pipeline.stop().catch(() => undefined);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await pipeline.start();
      const address = server?.address();
      io.stdout.write(
        `ficus cdc: ${describeSource(config)} → ${describeSink(config)}, ${config.tables.length} table mapping${config.tables.length === 1 ? '' : 's'}${typeof address === 'object' && address ? `; metrics on http://127.0.0.1:${address.port}/metrics` : ''}\n`,
      );
      const summary = await pipeline.done;
      io.stdout.write(`ficus cdc: stopped; ${describeSummary(summary)}\n`);
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      progress.stop();
      catchUp.stop();
      await pipeline.stop().catch(() => undefined);
      await sink.close();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    }
  },
});

export default defineCommand({
  meta: { name: 'cdc', description: 'Change data capture: decode Debezium messages, apply them to a target database' },
  subCommands: {
    decode,
    run: runCmd,
    verify: () => import('./cdc-verify.js').then((m) => m.default),
    slot: () => import('./cdc-slot.js').then((m) => m.default),
  },
});
