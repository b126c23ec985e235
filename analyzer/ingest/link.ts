/**
 * Cross-file resolution of the per-file scans (scan.ts) into FileFacts: import specifiers are
 * resolved to analysed files (resolve.ts), each imported name is followed through re-exports
 * (`export { X } from`, `export * from`, `export { X }` of an import) to the file that declares
 * it, so barrels do not turn into hubs; uses become `Reference`s on the declaring file with
 * the symbol used; route prefixes mounted from other files (`app.register(routes, { prefix })`)
 * are applied to the mounted file's endpoints.
 */
import type { EndpointDecl, FileFacts } from '../model.js';
import { joinPath } from './endpoints.js';
import { RefCollector } from './refs.js';
import type { ImportMode, ModuleResolver } from './resolve.js';
import type { FileScan } from './scan.js';
import { termsOf } from './terms.js';

const MAX_HOPS = 8;

/** A declaration: the file and the name it has there. */
interface Declared {
  readonly file: string;
  readonly name: string;
}

export class Linker {
  private readonly byAbs = new Map<string, FileScan>();
  private readonly specMemo = new Map<string, string | null>();
  private readonly declMemo = new Map<string, Declared>();

  constructor(
    scans: readonly FileScan[],
    private readonly resolver: ModuleResolver,
  ) {
    for (const s of scans) this.byAbs.set(s.abs, s);
  }

  /** The analysed file (absolute) a specifier in `from` names, or null. */
  resolveSpec(from: string, spec: string, mode: ImportMode): string | null {
    const key = `${from}\u0000${spec}\u0000${mode}`;
    let hit = this.specMemo.get(key);
    if (hit === undefined) {
      hit = this.resolver.resolve(spec, from, mode);
      this.specMemo.set(key, hit);
    }
    return hit;
  }

  /** The file that declares export `name` of `abs`, following re-exports; `abs` itself when unknown. */
  declOf(abs: string, name: string): string {
    return this.declaration(abs, name).file;
  }

  /**
   * Where export `name` of `abs` is declared and under which name (`export { Refund as GiveBack }
   * from './Pay'` → Pay's `Refund`); `abs` and `name` themselves when it cannot be followed.
   */
  declaration(abs: string, name: string, hops = 0): Declared {
    const key = `${abs}\u0000${name}`;
    const memo = this.declMemo.get(key);
    if (memo !== undefined) return memo;
    const found = hops > MAX_HOPS ? null : this.findDecl(abs, name, hops);
    const out = found ?? { file: abs, name };
    this.declMemo.set(key, out);
    return out;
  }

  private findDecl(abs: string, name: string, hops: number): Declared | null {
    const scan = this.byAbs.get(abs);
    if (scan === undefined || name === '*') return { file: abs, name };
    const ex = scan.exports;
    if (ex.declared.has(name)) return { file: abs, name };
    const local = ex.aliases.get(name);
    if (local !== undefined) {
      const b = scan.imports.get(local);
      if (b === undefined) return { file: abs, name: local };
      const t = this.resolveSpec(abs, b.spec, b.mode);
      return t === null ? { file: abs, name } : this.declaration(t, b.imported, hops + 1);
    }
    const named = ex.named.get(name);
    if (named !== undefined) {
      const t = this.resolveSpec(abs, named.spec, 'import');
      return t === null ? { file: abs, name } : this.declaration(t, named.imported, hops + 1);
    }
    for (const spec of ex.star) {
      const t = this.resolveSpec(abs, spec, 'import');
      if (t !== null && t !== abs && this.exportsName(t, name, hops + 1)) return this.declaration(t, name, hops + 1);
    }
    return null;
  }

  private exportsName(abs: string, name: string, hops: number): boolean {
    const scan = this.byAbs.get(abs);
    if (scan === undefined || hops > MAX_HOPS) return false;
    const ex = scan.exports;
    if (ex.declared.has(name) || ex.aliases.has(name) || ex.named.has(name)) return true;
    return ex.star.some((spec) => {
      const t = this.resolveSpec(abs, spec, 'import');
      return t !== null && t !== abs && this.exportsName(t, name, hops + 1);
    });
  }

  private rel(abs: string): string {
    return this.byAbs.get(abs)?.rel ?? abs;
  }

  private references(scan: FileScan): FileFacts['references'] {
    const refs = new RefCollector(scan.rel);
    for (const m of scan.modules) {
      const target = this.resolveSpec(scan.abs, m.spec, m.mode);
      if (target === null) continue;
      if (m.names.length === 0) refs.add(this.rel(target), m.typeOnly ? 'import-type' : 'import', null);
      for (const { name, typeOnly } of m.names) {
        const decl = this.declaration(target, name);
        refs.add(this.rel(decl.file), typeOnly ? 'import-type' : 'import', decl.name === 'default' ? null : decl.name);
      }
    }
    for (const u of scan.uses) {
      const b = scan.imports.get(u.local);
      if (b === undefined) continue;
      const target = this.resolveSpec(scan.abs, b.spec, b.mode);
      if (target === null) continue;
      if (b.imported === '*') {
        if (u.member === null) refs.add(this.rel(target), u.kind, null, u.count);
        else {
          const decl = this.declaration(target, u.member);
          refs.add(this.rel(decl.file), u.kind, decl.name, u.count);
        }
      } else {
        const decl = this.declaration(target, b.imported);
        const base = decl.name === 'default' ? u.local : decl.name;
        refs.add(this.rel(decl.file), u.kind, u.member === null ? base : `${base}.${u.member}`, u.count);
      }
    }
    for (const mc of scan.memberCalls) {
      const hit = this.memberTarget(scan, mc.path, mc.member);
      if (hit !== null) refs.add(this.rel(hit.file), 'call', hit.symbol, mc.count);
    }
    return refs.list();
  }

  /**
   * The file and symbol a typed member call reaches: the receiver's head type is looked up in
   * the calling file, then each further member in the shape that declares the current type —
   * in this file or, through an import, in the file that declares it (receivers.ts).
   */
  private memberTarget(scan: FileScan, path: readonly string[], member: string): { file: string; symbol: string } | null {
    const head = scan.receivers.head(path);
    if (head === null) return null;
    let at = scan;
    let type = head.type;
    const rest = [...head.rest];
    for (let hops = 0; hops <= MAX_HOPS; hops++) {
      const [local, sub] = type.split('.') as [string, string | undefined];
      const b = at.imports.get(local);
      if (b !== undefined) {
        // The type is imported here: continue in the file that declares it.
        const t = this.resolveSpec(at.abs, b.spec, b.mode);
        if (t === null) return null;
        const exported = b.imported === '*' ? (sub ?? null) : b.imported;
        if (exported === null || exported === 'default') return rest.length === 0 ? { file: t, symbol: `${local}.${member}` } : null;
        const decl = this.declaration(t, exported);
        const next = this.byAbs.get(decl.file);
        if (rest.length === 0) return { file: decl.file, symbol: `${decl.name}.${member}` };
        if (next === undefined) return null;
        [at, type] = [next, decl.name];
        continue;
      }
      if (rest.length === 0) return at === scan || !at.receivers.declares(type) ? null : { file: at.abs, symbol: `${type}.${member}` };
      const m = at.receivers.memberType(type, rest.shift()!);
      if (m === null) return null;
      type = m;
    }
    return null;
  }

  /** Prefixes under which each file's routes are mounted by other files. */
  private mountPrefixes(scans: readonly FileScan[]): (abs: string) => string[] {
    const into = new Map<string, { from: string; prefix: string }[]>();
    for (const s of scans) {
      for (const m of s.foreignMounts) {
        let target: string | null = null;
        if (m.spec !== undefined) target = this.resolveSpec(s.abs, m.spec, 'import') ?? this.resolveSpec(s.abs, m.spec, 'require');
        else if (m.local !== undefined) {
          const b = s.imports.get(m.local);
          const t = b === undefined ? null : this.resolveSpec(s.abs, b.spec, b.mode);
          target = t === null || b === undefined ? null : this.declOf(t, b.imported);
        }
        if (target !== null && target !== s.abs) (into.get(target) ?? into.set(target, []).get(target)!).push({ from: s.abs, prefix: m.prefix });
      }
    }
    const prefixes = (abs: string, seen: ReadonlySet<string>): string[] => {
      const ms = into.get(abs);
      if (ms === undefined || seen.has(abs) || seen.size > MAX_HOPS) return [''];
      const next = new Set([...seen, abs]);
      return [...new Set(ms.flatMap((m) => prefixes(m.from, next).map((p) => joinPath(p, m.prefix))))].sort();
    };
    return (abs) => prefixes(abs, new Set());
  }

  /** The FileFacts of every scan, in the scans' order. */
  facts(scans: readonly FileScan[]): FileFacts[] {
    const prefixesOf = this.mountPrefixes(scans);
    return scans.map((scan) => {
      const prefixes = scan.endpoints.length === 0 ? [''] : prefixesOf(scan.abs);
      const endpoints: EndpointDecl[] = prefixes.flatMap((p) => scan.endpoints.map((e) => (p === '' ? e : { ...e, path: joinPath(p, e.path) })));
      return {
        path: scan.rel,
        lines: scan.lines,
        references: this.references(scan),
        tables: scan.tables,
        endpoints,
        terms: termsOf(scan.identifiers, scan.rel),
      };
    });
  }
}
