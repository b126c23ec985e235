/**
 * The message plan of the CDC fault benchmark: the stream's events as Debezium JSON (bench/cdc
 * events.ts), in order, with a poison message after every `poisonEvery` events when asked —
 * messages a Debezium topic should never hold and one day does. Each must be dead-lettered
 * (decoding or Postgres refuses it) while the stream goes on; none may change the target:
 *
 *   truncated-json   the value cut in half (not JSON)
 *   not-an-envelope  a JSON value that is no Debezium envelope (`[1,2,3]`)
 *   unknown-op       an envelope with `"op":"x"`
 *   int-as-text      an update with `"quantity":"lots"` (int32)
 *   bool-as-text     an update with `"active":"yes"` (boolean)
 *   bad-decimal      an update with `"amount":"%%%"` (Decimal: base64 expected)
 *   int32-overflow   an update with `"quantity":3000000000`
 *   null-not-null    a create with `"status":null`: decodes (Debezium does not enforce optionality),
 *                    and Postgres refuses it (NOT NULL, SQLSTATE 23502) — the sink's dead-letter path
 *
 * Decoding poisons reuse the key and row of the event just before them (same partition,
 * interleaved with that key's real changes: applied by mistake, verify would see the row
 * changed or brought back). The create uses a fresh id far above the stream's, so a mistake shows
 * as an extra row and no later change of the stream hides it.
 */
import { createEncoder, type StreamEvent } from '../cdc/events.js';
import type { OutMessage } from '../cdc/kafka.js';

export const POISON_KINDS = [
  'truncated-json',
  'not-an-envelope',
  'unknown-op',
  'int-as-text',
  'bool-as-text',
  'bad-decimal',
  'int32-overflow',
  'null-not-null',
] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

/** Fresh ids for poison creates count down from here (the stream's ids count up from 1). */
const FRESH_ID = 2_000_000_000;

export interface MessagePlan {
  /** The next messages, at most `max`, encoded now (their ts_ms is the send time); empty at the end. */
  next(max: number): OutMessage[];
  /** Poison messages handed out so far, by kind. */
  readonly poisons: Map<PoisonKind, number>;
  /** Messages in the whole plan (events plus poisons). */
  readonly total: number;
}

type Encoder = ReturnType<typeof createEncoder>;

function poison(kind: PoisonKind, ref: StreamEvent, n: number, enc: Encoder, tsMs: number): OutMessage {
  const key = enc.key(ref.row.id);
  const update = enc.value({ op: 'u', row: ref.row }, tsMs);
  const swap = (pattern: RegExp, to: string): string => {
    // Only the payload's `after` row: the schema part names fields as "field":"…", never "name":value.
    const at = update.indexOf('"payload":');
    return update.slice(0, at) + update.slice(at).replace(pattern, to);
  };
  switch (kind) {
    case 'truncated-json':
      return { key, value: update.slice(0, Math.floor(update.length / 2)), tsMs };
    case 'not-an-envelope':
      return { key, value: '[1,2,3]', tsMs };
    case 'unknown-op':
      return { key, value: swap(/"op":"u"/, '"op":"x"'), tsMs };
    case 'int-as-text':
      return { key, value: swap(/"quantity":\d+/, '"quantity":"lots"'), tsMs };
    case 'bool-as-text':
      return { key, value: swap(/"active":(true|false)/, '"active":"yes"'), tsMs };
    case 'bad-decimal':
      return { key, value: swap(/"amount":"[^"]*"/, '"amount":"%%%"'), tsMs };
    case 'int32-overflow':
      return { key, value: swap(/"quantity":\d+/, '"quantity":3000000000'), tsMs };
    case 'null-not-null': {
      const id = FRESH_ID - n;
      const value = enc.value({ op: 'c', row: { ...ref.row, id } }, tsMs);
      const at = value.indexOf('"payload":');
      return { key: enc.key(id), value: value.slice(0, at) + value.slice(at).replace(/"status":"[^"]*"/, '"status":null'), tsMs };
    }
  }
}

/** The stream's events in order, a poison before every `poisonEvery`-th event (0: none), kinds in turn. */
export function createPlan(events: readonly StreamEvent[], enc: Encoder, poisonEvery: number): MessagePlan {
  let at = 0;
  let injected = 0;
  let poisonDue = false;
  const poisons = new Map<PoisonKind, number>();
  return {
    poisons,
    total: events.length + (poisonEvery > 0 && events.length > 0 ? Math.floor((events.length - 1) / poisonEvery) : 0),
    next(max) {
      const tsMs = Date.now();
      const out: OutMessage[] = [];
      while (out.length < max && at < events.length) {
        if (poisonDue) {
          const kind = POISON_KINDS[injected % POISON_KINDS.length]!;
          out.push(poison(kind, events[at - 1]!, injected++, enc, tsMs));
          poisons.set(kind, (poisons.get(kind) ?? 0) + 1);
          poisonDue = false;
          continue;
        }
        const e = events[at++]!;
        out.push({ key: enc.key(e.row.id), value: enc.value(e, tsMs), tsMs });
        poisonDue = poisonEvery > 0 && at % poisonEvery === 0 && at < events.length;
      }
      return out;
    },
  };
}
