/**
 * The CDC benchmark's change stream, deterministic from a seed: a mix of creates, updates and
 * deletes (default 40 / 40 / 20 %) over a growing key space of 10-column `orders` rows, each
 * rendered as the Kafka message Debezium's Postgres connector writes through JsonConverter
 * with `schemas.enable=true` (key `{schema, payload}`, value `{schema, payload}`; Decimal as
 * base64 unscaled bytes, MicroTimestamp as µs since the epoch; REPLICA IDENTITY DEFAULT, so an
 * update has no `before` and a delete's `before` holds only the key).
 *
 * The same stream gives the rows for the plain-Postgres baselines (COPY text, typed arrays)
 * and the expected final state of the target, to check every run against.
 */
import { mulberry32 } from '../../analyzer/index.js';

export type Op = 'c' | 'u' | 'd';

/** One `orders` row; `amountCents` is numeric(12,2) × 100, timestamps are µs since the epoch. */
export interface OrderRow {
  readonly id: number;
  readonly customerId: number;
  readonly status: string;
  readonly title: string;
  readonly amountCents: number;
  readonly quantity: number;
  readonly discount: number;
  readonly active: boolean;
  readonly createdUs: number;
  readonly updatedUs: number;
}

export interface StreamEvent {
  readonly op: Op;
  /** The row after the change (c, u) or the deleted row (d). */
  readonly row: OrderRow;
}

export const TABLE_SQL = (name: string, extra = ''): string => `CREATE TABLE ${name} (
  id          integer PRIMARY KEY,
  customer_id bigint NOT NULL,
  status      text NOT NULL,
  title       text NOT NULL,
  amount      numeric(12,2) NOT NULL,
  quantity    integer NOT NULL,
  discount    double precision NOT NULL,
  active      boolean NOT NULL,
  created_at  timestamp NOT NULL,
  updated_at  timestamp NOT NULL${extra}
)`;

export const COLUMNS = ['id', 'customer_id', 'status', 'title', 'amount', 'quantity', 'discount', 'active', 'created_at', 'updated_at'] as const;
export const COLUMN_TYPES = ['integer', 'bigint', 'text', 'text', 'numeric(12,2)', 'integer', 'double precision', 'boolean', 'timestamp', 'timestamp'] as const;

const STATUSES = ['new', 'paid', 'packed', 'shipped', 'delivered', 'returned'];
const WORDS = ['blue', 'oak', 'desk', 'lamp', 'chair', 'mug', 'café', 'shelf', 'rug', 'kettle', 'frame', 'vase', 'clock', 'stool', 'bench'];
const EPOCH_US = 1_735_689_600_000_000; // 2025-01-01T00:00:00Z

export interface StreamOptions {
  readonly seed?: number;
  /** Shares of creates and updates; deletes take the rest. */
  readonly creates?: number;
  readonly updates?: number;
}

/**
 * An endless deterministic stream; `expected` holds the live rows after everything taken so far.
 *
 * @example
 *   const s = createStream({ seed: 7 });
 *   for (let i = 0; i < 1000; i++) send(s.next());
 *   s.expected.size; // rows the target must hold now
 */
export function createStream(options: StreamOptions = {}) {
  const random = mulberry32(options.seed ?? 7);
  const creates = options.creates ?? 0.4;
  const updates = options.updates ?? 0.4;
  const live: number[] = [];
  const slot = new Map<number, number>();
  const expected = new Map<number, OrderRow>();
  let nextId = 1;
  let clockUs = EPOCH_US;
  const int = (n: number): number => Math.floor(random() * n);
  const title = (): string => `${WORDS[int(WORDS.length)]} ${WORDS[int(WORDS.length)]} ${WORDS[int(WORDS.length)]} #${int(100_000)}`;

  function fresh(id: number, createdUs: number): OrderRow {
    return {
      id,
      customerId: 1_000_000_000 + int(5_000_000),
      status: STATUSES[int(STATUSES.length)]!,
      title: title(),
      amountCents: int(10_000_000),
      quantity: 1 + int(20),
      discount: int(10_000) / 10_000,
      active: random() < 0.8,
      createdUs,
      updatedUs: clockUs,
    };
  }
  function remove(id: number): void {
    const i = slot.get(id)!;
    const last = live.pop()!;
    if (last !== id) {
      live[i] = last;
      slot.set(last, i);
    }
    slot.delete(id);
    expected.delete(id);
  }

  return {
    expected,
    next(): StreamEvent {
      clockUs += 1 + int(2_000);
      const r = random();
      if (live.length < 100 || r < creates) {
        const row = fresh(nextId++, clockUs);
        slot.set(row.id, live.length);
        live.push(row.id);
        expected.set(row.id, row);
        return { op: 'c', row };
      }
      const id = live[int(live.length)]!;
      const current = expected.get(id)!;
      if (r < creates + updates) {
        const row: OrderRow = { ...fresh(id, current.createdUs), customerId: current.customerId };
        expected.set(id, row);
        return { op: 'u', row };
      }
      remove(id);
      return { op: 'd', row: current };
    },
  };
}

// ---- Debezium JSON (JsonConverter, schemas.enable=true)
const field = (type: string, name: string, optional: boolean, extra: Record<string, unknown> = {}) => ({ type, optional, ...extra, field: name });
const ROW_FIELDS = [
  field('int32', 'id', false),
  field('int64', 'customer_id', false),
  field('string', 'status', false),
  field('string', 'title', false),
  field('bytes', 'amount', false, { name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '12' } }),
  field('int32', 'quantity', false),
  field('double', 'discount', false),
  field('boolean', 'active', false),
  field('int64', 'created_at', false, { name: 'io.debezium.time.MicroTimestamp', version: 1 }),
  field('int64', 'updated_at', false, { name: 'io.debezium.time.MicroTimestamp', version: 1 }),
];

function valueSchema(topicPrefix: string, table: string): string {
  const rowStruct = (name: string) => ({ type: 'struct', fields: ROW_FIELDS, optional: true, name: `${topicPrefix}.public.${table}.Value`, field: name });
  const str = (name: string, optional = false) => field('string', name, optional);
  return JSON.stringify({
    type: 'struct',
    fields: [
      rowStruct('before'),
      rowStruct('after'),
      {
        type: 'struct',
        fields: [
          str('version'),
          str('connector'),
          str('name'),
          field('int64', 'ts_ms', false),
          field('string', 'snapshot', true, {
            name: 'io.debezium.data.Enum',
            version: 1,
            parameters: { allowed: 'true,last,false,incremental' },
            default: 'false',
          }),
          str('db'),
          field('string', 'sequence', true),
          str('schema'),
          str('table'),
          field('int64', 'txId', true),
          field('int64', 'lsn', true),
          field('int64', 'xmin', true),
        ],
        optional: false,
        name: 'io.debezium.connector.postgresql.Source',
        field: 'source',
      },
      str('op'),
      field('int64', 'ts_ms', true),
      {
        type: 'struct',
        fields: [str('id'), field('int64', 'total_order', false), field('int64', 'data_collection_order', false)],
        optional: true,
        name: 'event.block',
        version: 1,
        field: 'transaction',
      },
    ],
    optional: false,
    name: `${topicPrefix}.public.${table}.Envelope`,
    version: 1,
  });
}

/** Java BigInteger.toByteArray of a non-negative integer, base64 (Connect's Decimal). */
export function decimalBase64(unscaled: number): string {
  let hex = unscaled.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Buffer.from(hex, 'hex').toString('base64');
}

function payloadRow(r: OrderRow): string {
  return `{"id":${r.id},"customer_id":${r.customerId},"status":${JSON.stringify(r.status)},"title":${JSON.stringify(r.title)},"amount":"${decimalBase64(r.amountCents)}","quantity":${r.quantity},"discount":${r.discount},"active":${r.active},"created_at":${r.createdUs},"updated_at":${r.updatedUs}}`;
}

const keyRow = (id: number): string =>
  `{"id":${id},"customer_id":null,"status":null,"title":null,"amount":null,"quantity":null,"discount":null,"active":null,"created_at":null,"updated_at":null}`;

/** Renders stream events as Kafka messages of topic `<prefix>.public.<table>`. */
export function createEncoder(topicPrefix: string, table: string) {
  const schema = valueSchema(topicPrefix, table);
  const keySchema = JSON.stringify({ type: 'struct', fields: [ROW_FIELDS[0]], optional: false, name: `${topicPrefix}.public.${table}.Key` });
  const source = `"version":"2.7.0.Final","connector":"postgresql","name":"${topicPrefix}"`;
  let lsn = 30_000_000;
  return {
    key: (id: number): string => `{"schema":${keySchema},"payload":{"id":${id}}}`,
    /** The value; `tsMs` is the source commit time the pipeline measures lag from. */
    value(e: StreamEvent, tsMs: number): string {
      lsn += 120;
      const before = e.op === 'd' ? keyRow(e.row.id) : 'null';
      const after = e.op === 'd' ? 'null' : payloadRow(e.row);
      const src = `{${source},"ts_ms":${tsMs},"snapshot":"false","db":"shop","sequence":"[null,\\"${lsn}\\"]","schema":"public","table":"${table}","txId":${lsn >> 4},"lsn":${lsn},"xmin":null}`;
      return `{"schema":${schema},"payload":{"before":${before},"after":${after},"source":${src},"op":"${e.op}","ts_ms":${tsMs + 3},"transaction":null}}`;
    },
  };
}

// ---- Postgres text forms (independent of ficus's decoders: the check must not share their bugs)
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function timestampText(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const micros = us % 1_000_000;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}`;
}

export const amountText = (cents: number): string => `${Math.floor(cents / 100)}.${pad(cents % 100)}`;

/** A row's columns as Postgres text input, in COLUMNS order. */
export function rowTexts(r: OrderRow): string[] {
  return [
    String(r.id),
    String(r.customerId),
    r.status,
    r.title,
    amountText(r.amountCents),
    String(r.quantity),
    String(r.discount),
    r.active ? 't' : 'f',
    timestampText(r.createdUs),
    timestampText(r.updatedUs),
  ];
}

const copyEscape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** One line of COPY text format. */
export function copyLine(r: OrderRow, id = r.id): string {
  const t = rowTexts(r);
  t[0] = String(id);
  return `${t.map(copyEscape).join('\t')}\n`;
}
