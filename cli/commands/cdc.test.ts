import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../io.js';
import { run } from '../run.js';

const fixtures = fileURLToPath(new URL('../../test/data/debezium/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ficus-cdc-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function decode(...args: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; err: string }> {
  let out = '';
  let err = '';
  const io: Partial<CliIO> = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, interactive: false, cwd: dir };
  const code = await run(['cdc', 'decode', ...args], { io });
  return {
    code,
    lines: out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    err,
  };
}

const value = (id: number, op = 'c') => JSON.stringify({ op, before: null, after: { id }, source: { db: 'inventory', table: 'customers', snapshot: false } });

describe('ficus cdc decode', () => {
  it('decodes one pretty-printed JSON message (a fixture)', async () => {
    const r = await decode(join(fixtures, '001-pg-docs-create-with-schema.json'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.lines).toEqual([
      {
        op: 'c',
        table: 'customers',
        schema: 'public',
        db: 'postgres',
        key: null,
        before: null,
        after: { id: 1, first_name: 'Anne', last_name: 'Kretchmar', email: 'annek@noanswer.org' },
        ts_ms: 1559033904863,
        position: { kind: 'kafka', topic: '', partition: 0, offset: '0' },
        snapshot: 'true',
      },
    ]);
  });

  it('decodes the {key, value: null} tombstone fixture and control-message fixtures', async () => {
    expect((await decode(join(fixtures, '038-mysql-tutorial-tombstone-record.json'))).lines).toEqual([
      { kind: 'tombstone', key: { id: 1004 }, position: { kind: 'kafka', topic: '', partition: 0, offset: '0' } },
    ]);
    expect((await decode(join(fixtures, '003-pg-docs-txn-end.json'))).lines[0]).toMatchObject({ kind: 'transaction', status: 'END', event_count: 2 });
    expect((await decode(join(fixtures, '005-mysql-docs-schema-change-value.json'))).lines[0]).toMatchObject({ kind: 'schema-change', db: 'inventory' });
  });

  it('decodes NDJSON of message values, with --topic for their position', async () => {
    const path = file('values.ndjson', `${value(1)}\n\n${value(2, 'r')}\n`);
    const r = await decode(path, '--topic', 'dbserver1.inventory.customers');
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.op, (l.after as { id: number }).id, (l.position as { offset: string }).offset])).toEqual([
      ['c', 1, '0'],
      ['r', 2, '1'],
    ]);
    expect(r.lines[0]?.position).toMatchObject({ topic: 'dbserver1.inventory.customers' });
  });

  it('decodes NDJSON of kcat -J records (key and payload as strings), int64 kept exact', async () => {
    const rec = (offset: number, key: string | null, payload: string | null, topic = 'dbserver1.inventory.customers') =>
      JSON.stringify({ topic, partition: 2, offset, tstype: 'create', ts: 1700000000000, broker: 1, key, payload });
    const big = '{"op":"u","before":null,"after":{"id":9007199254740993},"source":{"db":"inventory","table":"customers","snapshot":"incremental"}}';
    const path = file(
      'kcat.ndjson',
      [rec(10, '{"id":9007199254740993}', big), rec(11, '{"id":9007199254740993}', null), rec(12, null, '{"ts_ms":5}', '__debezium-heartbeat.dbserver1')].join(
        '\n',
      ),
    );
    const r = await decode(path);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatchObject({
      op: 'u',
      key: { id: '9007199254740993' },
      after: { id: '9007199254740993' },
      snapshot: 'incremental',
      position: { kind: 'kafka', topic: 'dbserver1.inventory.customers', partition: 2, offset: '10' },
    });
    expect(r.lines[1]).toEqual({
      kind: 'tombstone',
      key: { id: '9007199254740993' },
      position: { kind: 'kafka', topic: 'dbserver1.inventory.customers', partition: 2, offset: '11' },
    });
    expect(r.lines[2]).toMatchObject({ kind: 'heartbeat', ts_ms: 5 });
  });

  it('reports a broken line with its number, still prints the others, exits 1', async () => {
    const undecodable = JSON.stringify({ op: 'x', after: { id: 3 }, source: { table: 'customers' } });
    const path = file('broken.ndjson', [value(1), '{"op": "c", "after": {', value(2), undecodable, value(4)].join('\n'));
    const r = await decode(path);
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => (l.after as { id: number }).id)).toEqual([1, 2, 4]);
    const errs = r.err.trim().split('\n');
    expect(errs).toHaveLength(3);
    expect(errs[0]).toMatch(/^ficus: line 2: .*\[CDC_DECODE_JSON\]$/);
    expect(errs[1]).toMatch(/^ficus: line 4: .*value\.op.*\[CDC_DECODE_ENVELOPE\]$/);
    expect(errs[2]).toMatch(/2 of 5/);
  });

  it('still reads NDJSON whose first line is broken', async () => {
    const r = await decode(file('broken-first.ndjson', ['{"op":', value(1), value(2)].join('\n')));
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(2);
    expect(r.err).toMatch(/^ficus: line 1: not JSON .*\[CDC_DECODE_JSON\]/);
  });

  it('reports a broken single document with the line of the syntax error', async () => {
    const text = readFileSync(join(fixtures, '003-pg-docs-txn-end.json'), 'utf8').replace('"event_count": 2', '"event_count": ');
    const r = await decode(file('broken.json', text));
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([]);
    expect(r.err).toMatch(/^ficus: line 5: not JSON .*\[CDC_DECODE_JSON\]/);
  });

  it('decodes a JSON array of messages', async () => {
    const r = await decode(file('array.json', `[\n${value(1)},\n${value(2)}\n]`));
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(2);
  });

  it('refuses a file that cannot be read with exit 2', async () => {
    const r = await decode(join(dir, 'missing.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read .*missing\.json.*\[CLI_BAD_VALUE\]/);
  });
});
