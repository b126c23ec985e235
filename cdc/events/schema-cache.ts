/**
 * Splitting a JsonConverter key or value into its schema and payload, with a compiled decoder
 * for the schema, without reading the schema again on every message.
 *
 * With `schemas.enable=true` every message carries its full Connect schema — about 3 KiB of a
 * 3.5 KiB row change — and the schema of a topic changes only with the table's DDL. The first
 * message of a schema is parsed whole; when it is written as JsonConverter writes it,
 * `{"schema":<S>,"payload":<P>}`, the bytes of <S> are kept with the parsed schema and its
 * compiled decoder (values.ts compileValue). A later message whose bytes start with the same
 * `{"schema":<S>,"payload":` and end with `}` has exactly that schema, so only <P> is parsed.
 * Anything else (another layout, whitespace, a new schema, a payload that does not parse on
 * its own) takes the whole parse, which also gives every error its usual form.
 */
import { isObject, MAX_NESTING, parseJson } from './json.js';
import { hasSchema } from './schema.js';
import { compileValue, type ValueDecoder } from './values.js';

const HEAD = '{"schema":';
const MID = ',"payload":';
const HEAD_BYTES = Buffer.from(HEAD);
const MID_BYTES = Buffer.from(MID);
/** Distinct schemas kept per topic and side; a schema change adds one, the oldest goes. */
const KEEP = 8;

export interface Unwrapped {
  readonly schema: unknown;
  readonly payload: unknown;
  /** Where the payload sits: `value.payload` (with schema envelope) or `value`. */
  readonly path: string;
  /** The payload's decoder when a schema came with it. */
  readonly decode: ValueDecoder | null;
}

interface Known {
  readonly text: string;
  readonly bytes: Buffer;
  readonly schema: unknown;
  readonly decode: ValueDecoder;
}

export interface SchemaCache {
  /** The key or value split into schema and payload; null for no data (or only whitespace). */
  read(data: Buffer | string | null, side: 'key' | 'value', topic: string): Unwrapped | null;
}

/** Where the JSON object starting at `text[start]` ends (the index after its `}`), or -1. */
function objectEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== 0x7b) return -1;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

/** JsonConverter's `{schema, payload}`; anything else is a bare payload. */
function unwrap(doc: unknown, side: 'key' | 'value'): { schema: unknown; payload: unknown; path: string } {
  if (isObject(doc) && 'payload' in doc && 'schema' in doc && Object.keys(doc).length === 2) {
    return { schema: hasSchema(doc.schema) ? doc.schema : null, payload: doc.payload, path: `${side}.payload` };
  }
  return { schema: null, payload: doc, path: side };
}

/** The payload text after a known schema's bytes, or undefined when `data` is not laid out so. */
function payloadAfter(data: Buffer | string, k: Known): string | undefined {
  if (typeof data === 'string') {
    const start = HEAD.length + k.text.length + MID.length;
    if (data.length <= start || !data.startsWith(k.text, HEAD.length) || !data.startsWith(MID, start - MID.length) || !data.endsWith('}')) return undefined;
    return data.slice(start, -1);
  }
  const start = HEAD.length + k.bytes.length + MID.length;
  if (data.length <= start || data[data.length - 1] !== 0x7d) return undefined;
  if (data.compare(k.bytes, 0, k.bytes.length, HEAD.length, HEAD.length + k.bytes.length) !== 0) return undefined;
  if (data.compare(MID_BYTES, 0, MID.length, start - MID.length, start) !== 0) return undefined;
  return data.toString('utf8', start, data.length - 1);
}

function startsWithHead(data: Buffer | string): boolean {
  return typeof data === 'string' ? data.startsWith(HEAD) : data.length > HEAD.length && data.compare(HEAD_BYTES, 0, HEAD.length, 0, HEAD.length) === 0;
}

/** A cache per consumer: it holds compiled decoders for the schemas it has seen, per topic. */
export function createSchemaCache(): SchemaCache {
  /** Per side, per topic: the schemas seen, newest last. */
  const known = { key: new Map<string, Known[]>(), value: new Map<string, Known[]>() };

  function fast(data: Buffer | string, side: 'key' | 'value', list: readonly Known[]): Unwrapped | undefined {
    for (const k of list) {
      const text = payloadAfter(data, k);
      if (text === undefined) continue;
      try {
        // The payload sits one level below the document: the same nesting bound as the whole parse.
        return { schema: k.schema, payload: parseJson(text, `${side}.payload`, MAX_NESTING - 1), path: `${side}.payload`, decode: k.decode };
      } catch {
        return undefined; // the whole parse says what is wrong, as it would have without the cache
      }
    }
    return undefined;
  }

  function remember(byTopic: Map<string, Known[]>, topic: string, text: string, schema: unknown): ValueDecoder {
    const decode = compileValue(schema);
    const end = objectEnd(text, HEAD.length);
    if (end > 0 && text.startsWith(MID, end)) {
      const schemaText = text.slice(HEAD.length, end);
      const list = byTopic.get(topic) ?? [];
      if (list.length >= KEEP) list.shift();
      list.push({ text: schemaText, bytes: Buffer.from(schemaText, 'utf8'), schema, decode });
      byTopic.set(topic, list);
    }
    return decode;
  }

  return {
    read(data, side, topic) {
      if (data === null) return null;
      const byTopic = known[side];
      const list = byTopic.get(topic);
      if (list && startsWithHead(data)) {
        const hit = fast(data, side, list);
        if (hit) return hit;
      }
      const text = typeof data === 'string' ? data : data.toString('utf8');
      if (text.trim() === '') return null;
      const u = unwrap(parseJson(text, side), side);
      if (!u.schema) return { ...u, decode: null };
      const decode = text.startsWith(HEAD) ? remember(byTopic, topic, text, u.schema) : compileValue(u.schema);
      return { ...u, decode };
    },
  };
}
