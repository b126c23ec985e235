/**
 * Words in file and folder names: splitting identifiers, singularising, and the file-name
 * stem that names a domain concept across layers (`routes/orderRoutes.ts`,
 * `controllers/OrderController.ts`, `repositories/OrderRepository.ts`, `models/Order.ts` all
 * have the stem `order`). Role suffixes (Controller, Service, Repository…) and leading verbs
 * (createOrder → order) are dropped; what remains is the concept. Approach after Anquetil &
 * Lethbridge 1999, "Recovering software architecture from the names of source files" (JSME).
 */

/** Words naming a technical role of a file, dropped from the end of a name. */
export const ROLE_WORDS: ReadonlySet<string> = new Set([
  'controller', 'ctrl', 'service', 'svc', 'repository', 'repo', 'dao', 'route', 'router', 'routing',
  'handler', 'model', 'entity', 'schema', 'dto', 'vo', 'mapper', 'validator', 'validation', 'serializer',
  'middleware', 'resolver', 'gateway', 'adapter', 'provider', 'factory', 'impl', 'manager', 'helper',
  'util', 'type', 'interface', 'spec', 'test', 'mock', 'fixture', 'module', 'component', 'view', 'page',
  'reducer', 'action', 'selector', 'hook', 'api', 'endpoint', 'resource', 'config', 'constant', 'index',
  'request', 'response', 'input', 'output', 'query', 'command', 'event', 'listener', 'subscriber', 'job',
  'worker', 'task', 'facade', 'usecase', 'interactor', 'presenter', 'enum', 'error', 'exception', 'guard',
  'interceptor', 'decorator', 'pipe', 'filter', 'seed', 'seeder', 'migration', 'd', 'js', 'ts', 'tsx',
  'jsx', 'mjs', 'cjs', 'store', 'client', 'table', 'record', 'form', 'dal', 'bo', 'pojo', 'bean', 'params',
]);

/** Words that never name a domain concept on their own. */
export const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'index', 'main', 'app', 'application', 'server', 'util', 'type', 'config', 'constant', 'base', 'common',
  'shared', 'core', 'helper', 'setup', 'bootstrap', 'init', 'test', 'abstract', 'default', 'generic',
  'http', 'db', 'database', 'sql', 'json', 'xml', 'api', 'rest', 'web', 'lib', 'misc', 'global', 'env',
  'logger', 'log', 'logging', 'error', 'exception', 'container', 'context', 'plugin', 'router', 'route',
  'i', 'data', 'info', 'item', 'entity', 'model', 'dto', 'service', 'controller', 'repository', 'handler',
]);

/** Leading verbs of use-case style names (createOrder.ts → order). */
const VERBS: ReadonlySet<string> = new Set([
  'create', 'get', 'update', 'delete', 'remove', 'list', 'find', 'add', 'set', 'fetch', 'save', 'handle',
  'process', 'send', 'build', 'make', 'validate', 'compute', 'calculate', 'load', 'register', 'upsert',
  'search', 'show', 'edit', 'put', 'post', 'patch', 'read', 'write', 'sync', 'import', 'export', 'on',
]);

/** Leading qualifiers dropped before the concept (BaseOrderRepository, IOrderService). */
const QUALIFIERS: ReadonlySet<string> = new Set(['base', 'abstract', 'i', 'default', 'generic', 'my', 'new', 'old']);

/** Split an identifier or file name into lower-case words: `HTTPOrderItem_v2` → http order item v 2. */
export function splitWords(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w.toLowerCase());
}

/** Crude English singular, enough for names: categories → category, addresses → address. */
export function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh|zz|us)es$/.test(word)) return word.slice(0, -2);
  if (/(ss|us|is|ws)$/.test(word)) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** The file name without directories and without every extension (`a/order.routes.ts` → `order.routes`). */
export function baseName(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file.replace(/\.(d\.)?[cm]?[jt]sx?$/i, '').replace(/\.(test|spec)$/i, '');
}

/**
 * The concept words of a file name, singular, with qualifiers, leading verbs and trailing
 * role words dropped; empty when nothing domain-like is left (`index.ts`, `utils.ts`).
 * @example stemWords('src/routes/orderItemRoutes.ts') // ['order', 'item']
 */
export function stemWords(path: string): string[] {
  let words = splitWords(baseName(path))
    .map(singular)
    .filter((w) => !/^\d+$/.test(w));
  while (words.length > 1 && (QUALIFIERS.has(words[0]!) || VERBS.has(words[0]!))) words = words.slice(1);
  while (words.length > 1 && ROLE_WORDS.has(words[words.length - 1]!)) words = words.slice(0, -1);
  words = words.filter((w, i) => i === 0 || !ROLE_WORDS.has(w));
  if (words.length === 0) return [];
  if (words.length === 1 && (GENERIC_WORDS.has(words[0]!) || ROLE_WORDS.has(words[0]!) || words[0]!.length < 3)) return [];
  return words;
}

/** Normalised folder word: lower-case, singular, separators dropped (`Use-Cases` → `usecase`). */
export function folderWord(segment: string): string {
  return singular(segment.toLowerCase().replace(/[^a-z0-9]/g, ''));
}
