/**
 * Per-file state of the table extractor: what the file imports from schema-like modules, the
 * entities it declares, variables bound to ORM repositories, and the table uses found so far.
 * Uses of an entity or a repository variable are resolved at the end, when every declaration
 * in the file has been seen.
 */
import type { TableAccess, TableUse } from '../../model.js';
import { snakeCase } from './names.js';

export type Via = TableUse['via'];

/** When one (table, access) is found several ways, keep the most explicit. */
const VIA_RANK: Readonly<Record<Via, number>> = { sql: 0, 'query-builder': 1, orm: 2 };

/** Modules whose imports are taken as table/entity objects (Drizzle schema, TypeORM entities…). */
const SCHEMA_MODULE = /schema|table|model|entit/i;

export function isSchemaModule(specifier: string): boolean {
  return SCHEMA_MODULE.test(specifier);
}

interface EntityUse {
  readonly entity: string;
  readonly access: TableAccess;
  readonly via: Via;
}

export class FileTables {
  /** Identifiers imported from schema-like modules, plus table objects and entities declared here. */
  readonly schemaNames = new Set<string>();
  /** `import * as schema from './schema'` → `schema`. */
  readonly schemaNamespaces = new Set<string>();
  /** Entity class / model / table const name → table name. */
  readonly entities = new Map<string, string>();
  /** Variable or property name → entity name (`repo` in `repo = ds.getRepository(Order)`). */
  readonly bindings = new Map<string, string>();
  private readonly uses = new Map<string, TableUse>();
  private readonly entityUses: EntityUse[] = [];
  private readonly bindingUses: { readonly name: string; readonly access: TableAccess }[] = [];

  use(table: string, access: TableAccess, via: Via): void {
    if (!table) return;
    const key = `${table}\u0000${access}`;
    const seen = this.uses.get(key);
    if (!seen || VIA_RANK[via] < VIA_RANK[seen.via]) this.uses.set(key, { table, access, via });
  }

  /** A use of an entity/model by name; its table is looked up when the file is done. */
  useEntity(entity: string, access: TableAccess, via: Via): void {
    this.entityUses.push({ entity, access, via });
  }

  /** A method called on a variable that may be bound to a repository (`this.repo.save(…)`). */
  useBinding(name: string, access: TableAccess): void {
    this.bindingUses.push({ name, access });
  }

  tableOf(entity: string): string {
    return this.entities.get(entity) ?? snakeCase(entity);
  }

  /** Unique per (table, access), sorted by table then access. */
  result(): TableUse[] {
    for (const u of this.entityUses) this.use(this.tableOf(u.entity), u.access, u.via);
    for (const u of this.bindingUses) {
      const entity = this.bindings.get(u.name);
      if (entity !== undefined) this.use(this.tableOf(entity), u.access, 'orm');
    }
    return [...this.uses.values()].sort((x, y) =>
      x.table < y.table ? -1 : x.table > y.table ? 1 : x.access < y.access ? -1 : x.access > y.access ? 1 : 0,
    );
  }
}
