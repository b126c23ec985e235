/**
 * Term frequencies for the semantic signal, from the identifiers a file declares or references
 * (counted by static.ts during its walk) and from the file's base name.
 *
 * Each identifier is split at camelCase/PascalCase humps, acronym ends (`HTTPServer` → http,
 * server), `_`, `-` and digits; tokens are lower-cased; tokens under 3 characters, numbers and
 * stop words (English glue, programming noise and layer words such as service/controller/
 * repository, which would tie layers together across domains) are dropped. Stemming is deliberately light
 * and only folds plurals: `-ies` → `-y`, `-sses`/`-xes`/`-ches`/`-shes` drop `es`, and a
 * final `s` is dropped unless the word ends in `ss`, `us` or `is` (status, analysis).
 * `-ing`/`-ed` are left alone: without a dictionary they fold wrongly (pricing → pric, not
 * price) as often as they help.
 */

const TOKEN = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** Words that carry no domain meaning: English glue and programming noise. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    // English
    'the and for with from into onto that this these those then than there here what when where which while who why how ' +
    'not are was were been being has have had does did done can could should would will shall may might must ' +
    'all any some each every other own same such only also just more most less very too out off over under again ' +
    'per via about after before above below between both but nor yet use used using ' +
    // language keywords and built-ins
    'get set new return async await string number boolean void promise const let var function export import default ' +
    'type interface class null undefined true false typeof instanceof keyof readonly private public protected static ' +
    'abstract extends implements enum namespace module require exports declare yield throw try catch finally ' +
    'switch case break continue else while for await unknown never object symbol bigint array map record partial ' +
    'date json math console log error errors value values data result results item items list index ' +
    'args arg options opts params param props prop req res ctx next err key keys val obj tmp temp str num cnt len ' +
    'length size count push pop shift slice splice filter reduce find some includes join split concat then ' +
    'callback handler handle init run main self that super constructor prototype apply call bind ' +
    'info debug warn trace test spec mock src lib dist utils util helper helpers misc common base ' +
    'foo bar baz ' +
    // layer words: they tie every service to every other service, not a domain to itself
    'service controller repository repo model route router routes manager factory provider dto entity impl adapter'
  ).split(/\s+/),
);

/** Folds plurals (see the module comment). */
export function stem(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length > 4 && /(ss|x|ch|sh)es$/.test(token)) return token.slice(0, -2);
  if (token.length > 3 && token.endsWith('s') && !/(ss|us|is)$/.test(token)) return token.slice(0, -1);
  return token;
}

/** The terms one identifier contributes, in order (duplicates kept). */
export function splitIdentifier(identifier: string): string[] {
  const out: string[] = [];
  for (const raw of identifier.match(TOKEN) ?? []) {
    if (raw.length < 3 || raw.charCodeAt(0) <= 57) continue; // too short, or a number
    const lower = raw.toLowerCase();
    if (STOP_WORDS.has(lower)) continue;
    const term = stem(lower);
    if (term.length >= 3 && !STOP_WORDS.has(term)) out.push(term);
  }
  return out;
}

/**
 * Term frequencies for a file.
 * @param identifiers identifier text → number of occurrences in the file
 * @param relPath posix path of the file; its base name (without extensions) adds its terms once
 * @example termsOf(new Map([['orderItems', 2], ['OrderService', 1]]), 'src/orders/orderRepository.ts')
 * // → { order: 4 }   ('item', 'service' and 'repository' are stop words)
 */
export function termsOf(identifiers: ReadonlyMap<string, number>, relPath: string): Record<string, number> {
  const counts = new Map<string, number>();
  const add = (id: string, n: number): void => {
    for (const t of splitIdentifier(id)) counts.set(t, (counts.get(t) ?? 0) + n);
  };
  for (const [id, n] of identifiers) add(id, n);
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  add(base.slice(0, base.indexOf('.') > 0 ? base.indexOf('.') : base.length), 1);
  const out: Record<string, number> = {};
  for (const k of [...counts.keys()].sort()) out[k] = counts.get(k)!;
  return out;
}
