/**
 * One pass over one file's syntax tree (TypeScript's parser, no binder or checker) that
 * records everything ingest needs from it: import bindings and exports (scan.ts), uses of
 * imported names by kind — call, `new`, extends/implements, type use, other value use —
 * with the member used (`OrderService.create`), member calls through typed receivers
 * (receivers.ts), identifier counts for the semantic signal, tables (tables/index.ts) and
 * HTTP routes (endpoints.ts). Resolution across files happens later, in link.ts.
 */
import { ts } from 'ts-morph';
import type { RefKind } from '../model.js';
import { EndpointCollector } from './endpoints.js';
import { constructed, ReceiverTypes, typeName } from './receivers.js';
import type { BindingUse, FileExports, FileScan, ImportBinding, MemberCall, ModuleImport } from './scan.js';
import { TableExtractor } from './tables/index.js';

const SCRIPT_KINDS: Readonly<Record<string, ts.ScriptKind>> = {
  '.ts': ts.ScriptKind.TS, '.mts': ts.ScriptKind.TS, '.cts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JSX, '.mjs': ts.ScriptKind.JS, '.cjs': ts.ScriptKind.JS, '.jsx': ts.ScriptKind.JSX,
};

/** Parses a file; the first syntax error is returned as text instead of the tree. */
export function parseFile(abs: string, text: string): { sf: ts.SourceFile } | { error: string } {
  const ext = abs.slice(abs.lastIndexOf('.'));
  const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, SCRIPT_KINDS[ext] ?? ts.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diags[0];
  if (first === undefined) return { sf };
  const { line, character } = sf.getLineAndCharacterOfPosition(first.start);
  return { error: `syntax error at ${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}` };
}

function literal(node: ts.Node | undefined): string | null {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
}

function isRequire(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1 && literal(node.arguments[0]) !== null;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Module specifiers imported at the top level (for the endpoint collector's framework guess). */
function topLevelSpecifiers(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) out.push(st.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
      const s = literal(st.moduleReference.expression);
      if (s !== null) out.push(s);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (d.initializer && isRequire(d.initializer)) out.push(literal(d.initializer.arguments[0])!);
    }
  }
  return out;
}

/** The names of a member-call receiver: `this.a.b` → [a, b]; `x.y` → [x, y]; null when not a plain chain. */
function receiverPath(e: ts.Expression): string[] | null {
  const out: string[] = [];
  let cur: ts.Expression = e;
  while (ts.isPropertyAccessExpression(cur) && out.length < 4) {
    out.unshift(cur.name.text);
    cur = cur.expression;
  }
  if (cur.kind === ts.SyntaxKind.ThisKeyword) return out.length > 0 ? out : null;
  if (ts.isIdentifier(cur)) return [cur.text, ...out];
  return null;
}

function functionName(node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.name && ts.isIdentifier(node.name)) return node.name.text;
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

class FileWalker {
  readonly imports = new Map<string, ImportBinding>();
  readonly modules: ModuleImport[] = [];
  readonly exports: FileExports = { declared: new Set(), aliases: new Map(), named: new Map(), star: [] };
  readonly identifiers = new Map<string, number>();
  readonly tables = new TableExtractor();
  readonly receivers = new ReceiverTypes();
  readonly endpoints: EndpointCollector;
  private readonly uses = new Map<string, BindingUse>();
  private readonly memberCalls = new Map<string, MemberCall>();

  constructor(private readonly sf: ts.SourceFile) {
    this.endpoints = new EndpointCollector(sf, topLevelSpecifiers(sf));
  }

  run(): void {
    for (const st of this.sf.statements) this.visit(st);
  }

  private use(local: string, member: string | null, kind: RefKind): void {
    const key = `${local}\u0000${member ?? ''}\u0000${kind}`;
    const u = this.uses.get(key);
    if (u) u.count++;
    else this.uses.set(key, { local, member, kind, count: 1 });
  }

  list(): { uses: BindingUse[]; memberCalls: MemberCall[] } {
    return { uses: [...this.uses.values()], memberCalls: [...this.memberCalls.values()] };
  }

  private bind(local: string, b: ImportBinding): void {
    if (!this.imports.has(local)) this.imports.set(local, b);
  }

  private importDecl(node: ts.ImportDeclaration): void {
    this.tables.importDecl(node);
    const spec = literal(node.moduleSpecifier);
    if (spec === null) return;
    const clause = node.importClause;
    const allType = clause?.isTypeOnly ?? false;
    const names: { name: string; typeOnly: boolean }[] = [];
    let typeOnly = allType;
    if (clause?.name) {
      this.bind(clause.name.text, { spec, mode: 'import', imported: 'default', typeOnly: allType });
      names.push({ name: 'default', typeOnly: allType });
    }
    const nb = clause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) this.bind(nb.name.text, { spec, mode: 'import', imported: '*', typeOnly: allType });
    if (nb && ts.isNamedImports(nb)) {
      let anyValue = clause?.name !== undefined && !allType;
      for (const el of nb.elements) {
        const imported = (el.propertyName ?? el.name).text;
        const t = allType || el.isTypeOnly;
        if (!t) anyValue = true;
        this.bind(el.name.text, { spec, mode: 'import', imported, typeOnly: t });
        names.push({ name: imported, typeOnly: t });
      }
      typeOnly = allType || (!anyValue && nb.elements.length > 0);
    }
    this.modules.push({ spec, mode: 'import', typeOnly, names });
  }

  private exportDecl(node: ts.ExportDeclaration): void {
    const spec = literal(node.moduleSpecifier);
    const clause = node.exportClause;
    if (spec === null) {
      if (clause && ts.isNamedExports(clause)) for (const el of clause.elements) this.exports.aliases.set(el.name.text, (el.propertyName ?? el.name).text);
      return;
    }
    if (clause === undefined) {
      this.exports.star.push(spec);
      this.modules.push({ spec, mode: 'import', typeOnly: node.isTypeOnly, names: [] });
    } else if (ts.isNamespaceExport(clause)) {
      this.exports.named.set(clause.name.text, { spec, imported: '*' });
      this.modules.push({ spec, mode: 'import', typeOnly: node.isTypeOnly, names: [] });
    } else {
      const names: { name: string; typeOnly: boolean }[] = [];
      for (const el of clause.elements) {
        const imported = (el.propertyName ?? el.name).text;
        this.exports.named.set(el.name.text, { spec, imported });
        names.push({ name: imported, typeOnly: node.isTypeOnly || el.isTypeOnly });
      }
      this.modules.push({ spec, mode: 'import', typeOnly: node.isTypeOnly, names });
    }
  }

  private declaredExport(node: ts.Node): void {
    if (!hasModifier(node, ts.SyntaxKind.ExportKeyword)) return;
    if (hasModifier(node, ts.SyntaxKind.DefaultKeyword)) this.exports.declared.add('default');
    if (ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations) for (const n of bindingNames(d.name)) this.exports.declared.add(n);
      return;
    }
    const name = (node as { name?: ts.Node }).name;
    if (name && ts.isIdentifier(name)) this.exports.declared.add(name.text);
  }

  private requireBinding(node: ts.VariableDeclaration, call: ts.CallExpression): void {
    const spec = literal(call.arguments[0])!;
    const names: { name: string; typeOnly: boolean }[] = [];
    if (ts.isIdentifier(node.name)) this.bind(node.name.text, { spec, mode: 'require', imported: '*', typeOnly: false });
    else if (ts.isObjectBindingPattern(node.name)) {
      for (const el of node.name.elements) {
        if (!ts.isIdentifier(el.name)) continue;
        const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
        this.bind(el.name.text, { spec, mode: 'require', imported, typeOnly: false });
        names.push({ name: imported, typeOnly: false });
      }
    }
    this.modules.push({ spec, mode: 'require', typeOnly: false, names });
  }

  private identifier(id: ts.Identifier): void {
    this.identifiers.set(id.text, (this.identifiers.get(id.text) ?? 0) + 1);
    if (!this.imports.has(id.text)) return;
    const p = id.parent;
    if (ts.isPropertyAccessExpression(p) && p.name === id) return;
    if (ts.isQualifiedName(p) && p.right === id) return;
    if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === id) return;
    let member: string | null = null;
    let target: ts.Node = id;
    if (ts.isPropertyAccessExpression(p) && p.expression === id) [member, target] = [p.name.text, p];
    else if (ts.isQualifiedName(p) && p.left === id) [member, target] = [p.right.text, p];
    this.use(id.text, member, this.kindAt(target));
  }

  private kindAt(target: ts.Node): RefKind {
    const tp = target.parent;
    if (ts.isCallExpression(tp) && tp.expression === target) return 'call';
    if (ts.isNewExpression(tp) && tp.expression === target) return 'new';
    if (ts.isExpressionWithTypeArguments(tp) && ts.isHeritageClause(tp.parent)) {
      const clause = tp.parent;
      if (clause.token === ts.SyntaxKind.ImplementsKeyword) return 'implements';
      return ts.isClassLike(clause.parent) ? 'extends' : 'type';
    }
    let n: ts.Node = tp;
    while (ts.isQualifiedName(n)) n = n.parent;
    if (ts.isTypeReferenceNode(n) || ts.isTypeQueryNode(n) || ts.isImportTypeNode(n) || ts.isTypeNode(n)) return 'type';
    return 'call';
  }

  /** `recv.member(…)` or `recv.member` passed on, with `recv` typed in this file (receivers.ts). */
  private memberCall(access: ts.PropertyAccessExpression): void {
    const path = receiverPath(access.expression);
    if (path === null || this.imports.has(path[0]!)) return;
    const key = `${path.join('.')}#${access.name.text}`;
    const mc = this.memberCalls.get(key);
    if (mc) mc.count++;
    else this.memberCalls.set(key, { path, member: access.name.text, count: 1 });
  }

  private declareReceiver(node: ts.Node): void {
    if (ts.isParameter(node) && ts.isIdentifier(node.name)) this.receivers.declare(node.name.text, typeName(node.type));
    else if (ts.isPropertyDeclaration(node) && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) {
      this.receivers.declare(node.name.text, typeName(node.type) ?? constructed(node.initializer));
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      this.receivers.declare(node.name.text, typeName(node.type) ?? constructed(node.initializer));
    } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const path = receiverPath(node.initializer);
      if (path === null) return;
      for (const el of node.name.elements) {
        if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
        const prop = el.propertyName === undefined ? el.name.text : ts.isIdentifier(el.propertyName) ? el.propertyName.text : null;
        if (prop !== null) this.receivers.alias(el.name.text, [...path, prop]);
      }
    }
  }

  private visit(node: ts.Node): void {
    if (ts.isImportDeclaration(node)) return this.importDecl(node);
    if (ts.isExportDeclaration(node)) return this.exportDecl(node);
    if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference)) {
        const spec = literal(node.moduleReference.expression);
        if (spec !== null) {
          this.bind(node.name.text, { spec, mode: 'require', imported: '*', typeOnly: node.isTypeOnly });
          this.modules.push({ spec, mode: 'require', typeOnly: node.isTypeOnly, names: [] });
        }
      }
      return;
    }
    if (ts.isExportAssignment(node)) this.exports.declared.add('default');
    this.declaredExport(node);

    if (ts.isIdentifier(node)) return this.identifier(node);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      this.tables.text(node);
      if (!ts.isTemplateExpression(node)) return;
    }

    if (ts.isVariableDeclaration(node) && node.initializer && isRequire(node.initializer)) this.requireBinding(node, node.initializer);
    else if (isRequire(node) && !ts.isVariableDeclaration(node.parent)) this.modules.push({ spec: literal(node.arguments[0])!, mode: 'require', typeOnly: false, names: [] });
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const spec = literal(node.arguments[0]);
      if (spec !== null) this.modules.push({ spec, mode: 'import', typeOnly: false, names: [] });
    }

    if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node)) {
      this.tables.binding(node);
      this.declareReceiver(node);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      this.tables.binding(node);
      const path = receiverPath(node.left);
      if (path !== null && path.length === 1) this.receivers.declare(path[0]!, constructed(node.right));
    } else if (ts.isInterfaceDeclaration(node)) this.receivers.shape(node.name.text, node.members);
    else if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)) this.receivers.shape(node.name.text, node.type.members);

    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      this.endpoints.classDecl(node);
      if (ts.isClassDeclaration(node)) this.tables.classDecl(node);
      if (node.name) this.receivers.shape(node.name.text, node.members);
    }

    if (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node)) {
      const p = node.parent;
      const inner = (ts.isPropertyAccessExpression(p) || ts.isCallExpression(p) || ts.isNonNullExpression(p)) && (p as { expression: ts.Node }).expression === node;
      if (!inner) this.tables.chain(node);
      if (ts.isCallExpression(node)) {
        this.endpoints.call(node);
        if (ts.isPropertyAccessExpression(node.expression)) this.memberCall(node.expression);
      } else if (ts.isCallExpression(p) && p.arguments.includes(node)) {
        this.memberCall(node); // a method passed as a handler: app.get('/p', products.list)
      }
    }

    const fn = ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
    if (fn) this.endpoints.enterFunction(node, functionName(node));
    ts.forEachChild(node, (child) => this.visit(child));
    if (fn) this.endpoints.exitFunction();
  }
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : bindingNames(el.name)));
}

/** Walks a parsed file. */
export function scanFile(sf: ts.SourceFile, abs: string, rel: string, text: string): FileScan {
  const w = new FileWalker(sf);
  w.run();
  const { endpoints, foreignMounts } = w.endpoints.finish();
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  if (text.endsWith('\n')) lines--;
  return {
    abs,
    rel,
    lines,
    imports: w.imports,
    modules: w.modules,
    exports: w.exports,
    ...w.list(),
    receivers: w.receivers,
    identifiers: w.identifiers,
    tables: w.tables.result(),
    endpoints,
    foreignMounts,
  };
}

