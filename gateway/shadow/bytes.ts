/**
 * A response body as the chunks it arrived in. The primary's capture and the shadow's answer
 * keep their chunks (views of the socket reads) instead of copying them into one Buffer: the
 * comparison reads them in place (`BodyReader`), and only the slow paths — parsing JSON,
 * excerpts, a DiffRecord — join them (`flatBody`). A 64 KiB answer arrives in two or three
 * chunks, and joining both sides cost two 64 KiB copies and the GC work for them per request.
 *
 * @example
 *   const r = new BodyReader([Buffer.from('{"a"'), Buffer.from(':1}')]);
 *   r.at(4); // 0x3a (':')
 *   r.equal(new BodyReader(Buffer.from('{"a":1}')), 0, 0, 7); // true
 */
export type Body = Buffer | readonly Buffer[];

const EMPTY = Buffer.alloc(0);

/** Bytes in a body, over its chunks (0 for none). */
export function bodyLength(b: Body | null): number {
  if (b === null) return 0;
  if (Buffer.isBuffer(b)) return b.length;
  let n = 0;
  for (const c of b) n += c.length;
  return n;
}

/** The body as one Buffer (the chunks joined; a single chunk as it is). */
export function flatBody(b: Body | null): Buffer | null {
  if (b === null) return null;
  if (Buffer.isBuffer(b)) return b;
  if (b.length === 0) return EMPTY;
  return b.length === 1 ? b[0]! : Buffer.concat(b as Buffer[]);
}

/**
 * Keeps a body's chunks as they arrive, up to `cap` bytes in all; past the cap it keeps nothing
 * (`body()` is then null). The primary's capture and the shadow's answer both collect this way.
 */
export class BodyCapture {
  private first: Buffer | null = null;
  private rest: Buffer[] | null = null;
  private size = 0;

  constructor(private readonly cap: number) {}

  add(chunk: Buffer): void {
    const size = (this.size += chunk.length);
    if (size > this.cap) {
      this.first = null;
      this.rest = null;
    } else if (this.first === null) this.first = chunk;
    else (this.rest ??= [this.first]).push(chunk);
  }

  /** The chunks (one Buffer when there was one; empty when none), or null when over the cap. */
  body(): Body | null {
    return this.size > this.cap ? null : (this.rest ?? this.first ?? EMPTY);
  }
}

/** Random and range access over a body's chunks, without joining them. */
export class BodyReader {
  readonly length: number;
  private readonly chunks: readonly Buffer[];
  /** Offset of each chunk's first byte. */
  private readonly starts: number[];
  /** The only chunk, when there is one: the fast path. */
  private readonly single: Buffer | null;
  /** The chunk the last lookup landed in (sequential reads stay in it). */
  private k = 0;

  constructor(body: Body | null) {
    const chunks = body === null ? [] : Buffer.isBuffer(body) ? [body] : body.filter((c) => c.length > 0);
    this.chunks = chunks;
    this.starts = [];
    let n = 0;
    for (const c of chunks) {
      this.starts.push(n);
      n += c.length;
    }
    this.length = n;
    this.single = chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : null;
  }

  private joined: Buffer | null = null;

  /** The whole body as one Buffer (joined once, on first use). */
  flat(): Buffer {
    return this.single ?? (this.joined ??= flatBody(this.chunks)!);
  }

  /** The first chunk (the whole body when there is one chunk). */
  get head(): Buffer {
    return this.chunks[0] ?? EMPTY;
  }

  /** The index of the chunk holding byte `i` (0 ≤ i < length). */
  private chunkOf(i: number): number {
    let k = this.k;
    const starts = this.starts;
    if (i < starts[k]!) {
      while (i < starts[k]!) k--;
    } else {
      while (k + 1 < starts.length && i >= starts[k + 1]!) k++;
    }
    this.k = k;
    return k;
  }

  /** The byte at `i`, or undefined past the end. */
  at(i: number): number | undefined {
    const s = this.single;
    if (s !== null) return s[i];
    if (i < 0 || i >= this.length) return undefined;
    const k = this.chunkOf(i);
    return this.chunks[k]![i - this.starts[k]!];
  }

  /** Whether this[from, from + len) equals other[otherFrom, otherFrom + len) (both in range). */
  equal(other: BodyReader, from: number, otherFrom: number, len: number): boolean {
    const a = this.single;
    const b = other.single;
    if (a !== null && b !== null) return a.compare(b, otherFrom, otherFrom + len, from, from + len) === 0;
    while (len > 0) {
      const ka = this.chunkOf(from);
      const kb = other.chunkOf(otherFrom);
      const ca = this.chunks[ka]!;
      const cb = other.chunks[kb]!;
      const oa = from - this.starts[ka]!;
      const ob = otherFrom - other.starts[kb]!;
      const n = Math.min(len, ca.length - oa, cb.length - ob);
      if (ca.compare(cb, ob, ob + n, oa, oa + n) !== 0) return false;
      from += n;
      otherFrom += n;
      len -= n;
    }
    return true;
  }

  /** Whether the two bodies hold the same bytes. */
  equals(other: BodyReader): boolean {
    return this.length === other.length && this.equal(other, 0, 0, this.length);
  }

  /** [from, to) decoded (joined only when it spans chunks). */
  text(encoding: 'utf8' | 'latin1', from: number, to: number): string {
    const s = this.single;
    if (s !== null) return s.toString(encoding, from, to);
    if (to <= from) return '';
    const k = this.chunkOf(from);
    const start = this.starts[k]!;
    const c = this.chunks[k]!;
    if (to - start <= c.length) return c.toString(encoding, from - start, to - start);
    const parts: Buffer[] = [];
    for (let i = k, at = from; at < to; i++) {
      const ci = this.chunks[i]!;
      const s0 = this.starts[i]!;
      parts.push(ci.subarray(at - s0, Math.min(ci.length, to - s0)));
      at = s0 + ci.length;
    }
    return Buffer.concat(parts).toString(encoding);
  }
}
