/**
 * A generator of realistic synthetic monoliths for the analyzer benchmark: N business
 * domains × entities × technical layers (routes → controllers → services → repositories →
 * models, plus validators and mappers), a shared lib/ of hubs (db, logger, config, errors),
 * raw SQL and query-builder calls on domain tables, and a controlled share of cross-domain
 * calls and cross-domain table reads — the tangles real monoliths have. Deterministic for a
 * seed. Writes the tree and `TRUTH.json` (domain per file) so clustering can be scored (ARI).
 *
 * Layouts: `layered` (folders by technical layer, like samples/legacy-shop) or `modular`
 * (src/modules/<domain>/<layer>/…).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mulberry32 } from '../../analyzer/index.js';
import { DOMAINS, LAYERS, camel, pascal, type Layer } from './vocabulary.js';

export interface GenerateOptions {
  readonly out: string;
  /** Approximate total lines to produce. */
  readonly lines: number;
  readonly domains?: number;
  readonly layout?: 'layered' | 'modular';
  /**
   * How routes are named: `domain` puts the domain first (`/catalog/products/:id`), `resource`
   * only the resource (`/products/:id`), so the use-case signal cannot read the domain off it.
   */
  readonly routes?: 'domain' | 'resource';
  /** Share of service methods that call another domain (default 0.12). */
  readonly crossDomain?: number;
  readonly seed?: number;
}

export interface GeneratedTree {
  readonly files: number;
  readonly lines: number;
  readonly truth: Record<string, string[]>;
}

interface Entity {
  domain: string;
  noun: string;
  variant: number;
}

const METHODS = ['find', 'list', 'create', 'update', 'remove', 'archive', 'recalculate', 'validate', 'export', 'sync', 'summarize', 'reconcile'];

function fileOf(layout: 'layered' | 'modular', e: Entity, layer: Layer): string {
  const base = `${pascal(e.noun)}${e.variant ? e.variant : ''}`;
  const suffix: Record<Layer, string> = {
    routes: 'Routes', controllers: 'Controller', services: 'Service', repositories: 'Repository', models: '', validators: 'Validator', mappers: 'Mapper',
  };
  const name = layer === 'routes' ? `${camel(base)}Routes` : `${base}${suffix[layer]}`;
  return layout === 'layered' ? `src/${layer}/${name}.ts` : `src/modules/${e.domain}/${layer}/${name}.ts`;
}

function rel(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const up = a.length - i;
  const path = [...Array(up).fill('..'), ...b.slice(i)].join('/').replace(/\.ts$/, '.js');
  return up === 0 ? `./${path}` : path;
}

const LIB: Record<string, string> = {
  'src/lib/db.ts': `// Shared database access for every repository.\nexport interface Row { [k: string]: unknown }\nexport async function query(sql: string, params: unknown[] = []): Promise<Row[]> {\n  void sql; void params;\n  return [];\n}\nexport function table(name: string) {\n  const q = { name, where: (..._a: unknown[]) => q, select: (..._a: unknown[]) => q, insert: (_r: unknown) => q, update: (_r: unknown) => q, del: () => q, first: () => q };\n  return q;\n}\n`,
  'src/lib/logger.ts': `// Application logger used everywhere.\nexport const logger = { info: (..._a: unknown[]) => undefined, warn: (..._a: unknown[]) => undefined, error: (..._a: unknown[]) => undefined };\n`,
  'src/lib/config.ts': `// Configuration read once at start.\nexport const config = { pageSize: 50, currency: 'USD', featureFlags: {} as Record<string, boolean> };\n`,
  'src/lib/errors.ts': `// Error types shared across the application.\nexport class NotFoundError extends Error {}\nexport class ValidationError extends Error {}\n`,
  'src/lib/http.ts': `// Minimal HTTP router facade used by route files.\nexport interface Router { get(path: string, h: unknown): void; post(path: string, h: unknown): void; put(path: string, h: unknown): void; delete(path: string, h: unknown): void }\n`,
};

export async function generateMonolith(options: GenerateOptions): Promise<GeneratedTree> {
  const layout = options.layout ?? 'layered';
  const rnd = mulberry32(options.seed ?? 1);
  const domains = DOMAINS.slice(0, Math.min(options.domains ?? 8, DOMAINS.length));
  const cross = options.crossDomain ?? 0.12;
  const perEntityLines = 300;
  const entitiesWanted = Math.max(domains.length, Math.round(options.lines / perEntityLines));
  const entities: Entity[] = [];
  for (let i = 0; entities.length < entitiesWanted; i++) {
    const d = domains[i % domains.length] as (typeof domains)[number];
    const k = Math.floor(i / domains.length);
    const noun = d.nouns[k % d.nouns.length] as string;
    entities.push({ domain: d.name, noun, variant: Math.floor(k / d.nouns.length) });
  }
  const byDomain = new Map<string, Entity[]>();
  for (const e of entities) byDomain.set(e.domain, [...(byDomain.get(e.domain) ?? []), e]);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const tableOf = (e: Entity) => `${e.domain.slice(0, 4)}_${e.noun}${e.variant ? `_${e.variant}` : ''}s`;
  const otherDomain = (e: Entity) => pick(entities.filter((x) => x.domain !== e.domain));
  const sameDomain = (e: Entity) => pick(byDomain.get(e.domain) ?? [e]);

  await rm(options.out, { recursive: true, force: true });
  const truth: Record<string, string[]> = { 'shared-kernel': Object.keys(LIB) };
  let files = 0;
  let lines = 0;
  const emit = async (path: string, text: string, domain: string) => {
    await mkdir(dirname(join(options.out, path)), { recursive: true });
    await writeFile(join(options.out, path), text);
    files += 1;
    lines += text.split('\n').length;
    if (domain !== 'shared-kernel') (truth[domain] ??= []).push(path);
  };
  for (const [path, text] of Object.entries(LIB)) await emit(path, text, 'shared-kernel');

  for (const e of entities) {
    const P = `${pascal(e.noun)}${e.variant || ''}`;
    const c = camel(P);
    const f = (layer: Layer) => fileOf(layout, e, layer);
    const table = tableOf(e);
    const methods = METHODS.slice(0, 6 + Math.floor(rnd() * 6));
    // model
    const model = [`// ${P}: a ${e.domain} entity.`, `export interface ${P} {`, `  id: number;`];
    for (let i = 0; i < 14; i++) model.push(`  ${c}Field${i}: ${i % 3 === 0 ? 'number' : 'string'};`);
    model.push('  createdAt: string;', '}', '', `export type ${P}Draft = Omit<${P}, 'id' | 'createdAt'>;`, '');
    model.push(`export function empty${P}(): ${P}Draft {`, `  return { ${Array.from({ length: 14 }, (_, i) => `${c}Field${i}: ${i % 3 === 0 ? '0' : "''"}`).join(', ')} };`, '}', '');
    await emit(f('models'), model.join('\n'), e.domain);
    // validator
    const v = [`// Validation rules for ${P}.`, `import type { ${P}Draft } from '${rel(f('validators'), f('models'))}';`, `import { ValidationError } from '${rel(f('validators'), 'src/lib/errors.ts')}';`, ''];
    v.push(`export function validate${P}(draft: ${P}Draft): ${P}Draft {`);
    for (let i = 0; i < 14; i++) v.push(`  if (draft.${c}Field${i} === undefined) throw new ValidationError('${c}Field${i} is required');`);
    v.push('  return draft;', '}', '');
    await emit(f('validators'), v.join('\n'), e.domain);
    // mapper
    const m = [`// Maps ${P} rows to API shapes.`, `import type { ${P} } from '${rel(f('mappers'), f('models'))}';`, `import type { Row } from '${rel(f('mappers'), 'src/lib/db.ts')}';`, ''];
    m.push(`export function ${c}FromRow(row: Row): ${P} {`, `  return {`, `    id: Number(row.id),`);
    for (let i = 0; i < 14; i++) m.push(`    ${c}Field${i}: ${i % 3 === 0 ? `Number(row.${c}_field_${i})` : `String(row.${c}_field_${i})`},`);
    m.push(`    createdAt: String(row.created_at),`, '  };', '}', '', `export function ${c}ToJson(x: ${P}): Record<string, unknown> {`, `  return { ...x, kind: '${e.noun}' };`, '}', '');
    await emit(f('mappers'), m.join('\n'), e.domain);
    // repository
    const other = rnd() < cross * 2 ? otherDomain(e) : undefined;
    const r = [`// Data access for ${P} (${table}).`, `import { query, table } from '${rel(f('repositories'), 'src/lib/db.ts')}';`, `import type { ${P} } from '${rel(f('repositories'), f('models'))}';`, `import { ${c}FromRow } from '${rel(f('repositories'), f('mappers'))}';`, ''];
    r.push(`export class ${P}Repository {`);
    r.push(`  async findById(id: number): Promise<${P} | undefined> {`, `    const rows = await query('SELECT * FROM ${table} WHERE id = $1', [id]);`, `    return rows[0] ? ${c}FromRow(rows[0]) : undefined;`, '  }');
    r.push(`  async list(limit: number): Promise<${P}[]> {`, `    const rows = await query(\`SELECT t.* FROM ${table} t ORDER BY t.id LIMIT \${limit}\`);`, `    return rows.map(${c}FromRow);`, '  }');
    r.push(`  async insert(row: Partial<${P}>): Promise<void> {`, `    await query('INSERT INTO ${table} (data) VALUES ($1)', [JSON.stringify(row)]);`, '  }');
    r.push(`  async update(id: number, row: Partial<${P}>): Promise<void> {`, `    table('${table}').where({ id }).update(row);`, '  }');
    r.push(`  async remove(id: number): Promise<void> {`, `    await query('DELETE FROM ${table} WHERE id = $1', [id]);`, '  }');
    const sib = sameDomain(e);
    r.push(`  async withRelated(id: number) {`, `    return query('SELECT a.*, b.id AS related_id FROM ${table} a JOIN ${tableOf(sib)} b ON b.id = a.id WHERE a.id = $1', [id]);`, '  }');
    if (other) r.push(`  async crossReport() {`, `    return query('SELECT x.* FROM ${table} x LEFT JOIN ${tableOf(other)} y ON y.id = x.id');`, '  }');
    for (let i = 0; i < 14; i++) r.push(`  async count${i}(): Promise<number> {`, `    const rows = await query('SELECT count(*) AS n FROM ${table} WHERE ${c}_field_${i % 14} IS NOT NULL');`, `    return Number(rows[0]?.n ?? 0);`, '  }');
    r.push('}', '');
    await emit(f('repositories'), r.join('\n'), e.domain);
    // service
    const deps = new Map<string, Entity>();
    deps.set(`${sib.noun}${sib.variant}`, sib);
    const sib2 = sameDomain(e);
    deps.set(`${sib2.noun}${sib2.variant}`, sib2);
    const crossCalls = methods.filter(() => rnd() < cross).map(() => otherDomain(e));
    for (const x of crossCalls) deps.set(`${x.noun}${x.variant}`, x);
    deps.delete(`${e.noun}${e.variant}`);
    const s = [`// Business rules for ${P}.`, `import { logger } from '${rel(f('services'), 'src/lib/logger.ts')}';`, `import { config } from '${rel(f('services'), 'src/lib/config.ts')}';`, `import { NotFoundError } from '${rel(f('services'), 'src/lib/errors.ts')}';`, `import { ${P}Repository } from '${rel(f('services'), f('repositories'))}';`, `import type { ${P}, ${P}Draft } from '${rel(f('services'), f('models'))}';`, `import { validate${P} } from '${rel(f('services'), f('validators'))}';`];
    for (const d of deps.values()) s.push(`import { ${pascal(d.noun)}${d.variant || ''}Service } from '${rel(f('services'), fileOf(layout, d, 'services'))}';`);
    s.push('', `export class ${P}Service {`, `  private readonly repo = new ${P}Repository();`);
    for (const d of deps.values()) {
      const D = `${pascal(d.noun)}${d.variant || ''}`;
      s.push(`  private readonly ${camel(D)}Service = new ${D}Service();`);
    }
    s.push('');
    s.push(`  async get(id: number): Promise<${P}> {`, `    const found = await this.repo.findById(id);`, `    if (!found) throw new NotFoundError('${e.noun} ' + id);`, '    return found;', '  }');
    const depList = [...deps.values()];
    for (const [i, name] of methods.entries()) {
      s.push(`  async ${name}${P}(draft: ${P}Draft, id = ${i}): Promise<number> {`, `    logger.info('${name} ${e.noun}', id);`, `    const checked = validate${P}(draft);`);
      const d = depList[i % Math.max(1, depList.length)];
      if (d && (i < 2 || crossCalls.includes(d))) s.push(`    await this.${camel(`${pascal(d.noun)}${d.variant || ''}`)}Service.get(id);`);
      s.push(`    if (checked.${c}Field0 > config.pageSize) await this.repo.update(id, {});`, `    return (await this.repo.list(config.pageSize)).length;`, '  }');
    }
    s.push('}', '');
    await emit(f('services'), s.join('\n'), e.domain);
    // controller
    const ct = [`// HTTP handlers for ${P}.`, `import { ${P}Service } from '${rel(f('controllers'), f('services'))}';`, `import { ${c}ToJson } from '${rel(f('controllers'), f('mappers'))}';`, `import { empty${P} } from '${rel(f('controllers'), f('models'))}';`, ''];
    ct.push(`const service = new ${P}Service();`, '', `export class ${P}Controller {`);
    ct.push(`  async show(req: { params: { id: string } }) {`, `    return ${c}ToJson(await service.get(Number(req.params.id)));`, '  }');
    for (const name of methods) ct.push(`  async ${name}(req: { body?: unknown }) {`, `    void req.body;`, `    return { count: await service.${name}${P}(empty${P}()) };`, '  }');
    ct.push('}', '');
    await emit(f('controllers'), ct.join('\n'), e.domain);
    // routes
    const resource = `${e.noun.replace(/_/g, '-')}s${e.variant ? `-${e.variant}` : ''}`;
    const base = options.routes === 'resource' ? `/${resource}` : `/${e.domain}/${resource}`;
    const rt = [`// Routes for ${P}.`, `import type { Router } from '${rel(f('routes'), 'src/lib/http.ts')}';`, `import { ${P}Controller } from '${rel(f('routes'), f('controllers'))}';`, ''];
    rt.push(`export function register${P}Routes(app: Router): void {`, `  const controller = new ${P}Controller();`, `  app.get('${base}/:id', (req: { params: { id: string } }) => controller.show(req));`);
    for (const name of methods.slice(0, 4)) rt.push(`  app.post('${base}/${name}', (req: { body?: unknown }) => controller.${name}(req));`);
    rt.push('}', '');
    await emit(f('routes'), rt.join('\n'), e.domain);
  }
  await writeFile(join(options.out, 'TRUTH.json'), `${JSON.stringify({ contexts: truth }, null, 2)}\n`);
  await writeFile(join(options.out, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true }, include: ['src'] }, null, 2));
  return { files, lines, truth };
}

export { LAYERS };
