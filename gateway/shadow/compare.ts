/**
 * Comparing the shadow's response with the primary's, for a route's `shadow.compare` config.
 * `createComparer` compiles the config once (JSON paths, header names); its `compare` runs
 * after the primary answered, once per shadowed request, so it is kept allocation-light (no
 * benchmark gate; keep it that way: one mutable path stack, strings only for differences):
 *
 *   1. status, then the configured headers (names case-insensitive; `headers.<name>` in
 *      `ignore` leaves one out) — cheap, so first;
 *   2. body: equal bytes → nothing more (compared in place across chunks, the common case); both JSON (see
 *      json-body.ts) → the structural diff of json-diff.ts; otherwise one `body` difference with
 *      short excerpts around the first differing byte (text, or `base64:` for binary bodies).
 *
 * Difference values are the JSON values, clipped (clip.ts: strings over 200 characters cut).
 *
 * Cap: a comparison lists at most `maxDifferences` (100) entries. When there are more, the first
 * 99 are kept and the last entry is the truncation marker
 * `{ path: '$', kind: 'changed', primary: { truncated: true, listed: 99, note }, shadow: <same> }`
 * — unambiguous because a real `changed` at `$` always has scalar values — and the walk stops
 * there. `isTruncationMarker` recognises it.
 *
 * @example
 *   const { compare } = createComparer({ ignore: ['$.generatedAt', 'headers.date'], unorderedArrays: ['$.items'], numericTolerance: 0.001, headers: ['content-type'] });
 *   compare({ status: 200, headers, body }, { status: 200, headers: h2, body: b2 }); // Difference[]
 */
import { onlyIgnoredBytesDiffer } from './byte-diff.js';
import { BodyReader, type Body } from './bytes.js';
import { FicusError } from '../../core/index.js';
import type { CompareConfig } from '../config/schema.js';
import { GatewayErrorCode } from '../errors.js';
import type { Difference } from '../model.js';
import { bodyExcerpt, clipValue, firstDifference } from './clip.js';
import { headerValue, type HeaderBag } from './header-bag.js';
import { diffJson, type JsonDiffOptions } from './json-diff.js';
import { NOT_JSON, parseJsonBody } from './json-body.js';
import { anyOf, compilePath, compilePaths, type PathMatcher } from './jsonpath.js';

/** What the comparer needs of one response. */
export interface ComparedResponse {
  readonly status: number;
  readonly headers: HeaderBag;
  /** The whole body as received (decoded of transfer coding), one Buffer or its chunks; null or empty when there was none. */
  readonly body: Body | null;
}

/** A route's compiled comparison. */
export interface Comparer {
  /**
   * The differences between the two responses, status and headers first, at most `maxDifferences`.
   * With `seen`, the bodies it joined and the JSON it parsed are left there, for the record to reuse.
   */
  compare(primary: ComparedResponse, shadow: ComparedResponse, seen?: SeenBodies): Difference[];
  /**
   * True when the two are the same without parsing either body — equal status and headers, and
   * bytes equal or differing only in ignored values (steps 1 and the byte fast path of 2); then
   * `compare` would find nothing. False means `compare` must look closer (it may still find
   * nothing: JSON equal but for formatting, key order, unordered arrays or tolerance).
   */
  same(primary: ComparedResponse, shadow: ComparedResponse): boolean;
}

/** What a comparison joined and parsed, per side: the whole body and its JSON (NOT_JSON when it is none); undefined when it did not get that far. */
export interface SeenBodies {
  primaryBody?: Buffer;
  shadowBody?: Buffer;
  primaryJson?: unknown;
  shadowJson?: unknown;
}

export interface ComparerOptions {
  /** Most entries in one result, the truncation marker included (default 100, at least 2). */
  readonly maxDifferences?: number;
  /** Config field the paths come from, named in errors (`routes[3].shadow.compare`). */
  readonly where?: string;
}

export const MAX_DIFFERENCES = 100;

/** The entry that ends a capped list (see the module header). */
export function truncationMarker(listed: number): Difference {
  const value = Object.freeze({ truncated: true, listed, note: `more than ${listed} differences; only the first ${listed} are listed` });
  return Object.freeze({ path: '$', kind: 'changed', primary: value, shadow: value });
}

/** True for the entry `compare` appends when it stopped at the cap. */
export function isTruncationMarker(d: Difference): boolean {
  return (
    d.path === '$' && d.kind === 'changed' && typeof d.primary === 'object' && d.primary !== null && (d.primary as { truncated?: unknown }).truncated === true
  );
}

function configError(where: string | undefined, field: string, index: number, value: string, valid: string): FicusError {
  const at = `${where ? `${where}.` : ''}${field}[${index}]`;
  return new FicusError(GatewayErrorCode.CONFIG, `${at}: ${JSON.stringify(value)} is not valid; ${valid}`, { details: { field: at, value } });
}

function startsLikeJson(b: BodyReader): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b.at(i)!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

/** Compiles a route's compare config; throws FicusError GW_CONFIG naming a bad path. */
export function createComparer(config: CompareConfig, options: ComparerOptions = {}): Comparer {
  const { where } = options;
  const cap = Math.max(2, options.maxDifferences ?? MAX_DIFFERENCES);
  const ignoredHeaders = new Set<string>();
  const jsonIgnores: PathMatcher[] = [];
  config.ignore.forEach((entry, i) => {
    if (entry.toLowerCase().startsWith('headers.')) {
      const name = entry.slice('headers.'.length).trim().toLowerCase();
      if (name === '') throw configError(where, 'ignore', i, entry, 'write headers.<name>, e.g. headers.date');
      ignoredHeaders.add(name);
    } else if (entry.startsWith('$')) {
      jsonIgnores.push(compilePath(entry, `${where ? `${where}.` : ''}ignore[${i}]`));
    } else {
      throw configError(where, 'ignore', i, entry, 'write a JSON path ($.generatedAt, $.items[*].updatedAt) or headers.<name>');
    }
  });
  const ignore = anyOf(jsonIgnores);
  const unordered = compilePaths(config.unorderedArrays, `${where ? `${where}.` : ''}unorderedArrays`);
  const headers = [...new Set(config.headers.map((h) => h.trim().toLowerCase()))].filter((h) => h !== '' && !ignoredHeaders.has(h));
  const json: JsonDiffOptions = { ignore, unordered, tolerance: config.numericTolerance };
  const bodyIgnored = ignore.matches([]);
  // The byte-level shortcut (byte-diff.ts) can only prove "equal except ignored values".
  const fastPath = jsonIgnores.length > 0;

  const bytesSame = (pr: BodyReader, sr: BodyReader): boolean =>
    bodyIgnored || pr.equals(sr) || (fastPath && startsLikeJson(pr) && onlyIgnoredBytesDiffer(pr, sr, ignore));

  function same(primary: ComparedResponse, shadow: ComparedResponse): boolean {
    if (primary.status !== shadow.status) return false;
    for (const name of headers) if (headerValue(primary.headers, name) !== headerValue(shadow.headers, name)) return false;
    return bytesSame(new BodyReader(primary.body), new BodyReader(shadow.body));
  }

  function compare(primary: ComparedResponse, shadow: ComparedResponse, seen?: SeenBodies): Difference[] {
    const out: Difference[] = [];
    if (primary.status !== shadow.status) out.push({ path: 'status', kind: 'status', primary: primary.status, shadow: shadow.status });
    for (const name of headers) {
      const p = headerValue(primary.headers, name);
      const s = headerValue(shadow.headers, name);
      if (p !== s) out.push({ path: `headers.${name}`, kind: 'header', primary: clipValue(p), shadow: clipValue(s) });
    }
    const pr = new BodyReader(primary.body);
    const sr = new BodyReader(shadow.body);
    if (!bytesSame(pr, sr)) {
      const pb = pr.flat();
      const sb = sr.flat();
      const pj = parseJsonBody(pb, headerValue(primary.headers, 'content-type'));
      const sj = pj === NOT_JSON ? NOT_JSON : parseJsonBody(sb, headerValue(shadow.headers, 'content-type'));
      if (seen) {
        seen.primaryBody = pb;
        seen.shadowBody = sb;
        seen.primaryJson = pj;
        // Not parsed when the primary's is not JSON: left undefined so the record parses it if it wants.
        if (pj !== NOT_JSON) seen.shadowJson = sj;
      }
      if (pj !== NOT_JSON && sj !== NOT_JSON) {
        diffJson(pj, sj, json, out, cap + 1);
      } else {
        const at = firstDifference(pb, sb);
        out.push({ path: 'body', kind: 'body', primary: bodyExcerpt(pb, at), shadow: bodyExcerpt(sb, at) });
      }
    }
    if (out.length > cap) {
      out.length = cap - 1;
      out.push(truncationMarker(cap - 1));
    }
    return out;
  }
  return { compare, same };
}
