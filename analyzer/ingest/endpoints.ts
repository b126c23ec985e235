/**
 * HTTP route declarations, collected while static.ts walks a file (no walk of its own):
 *   fastify  `app.get('/x', h)`, `app.route({ method, url })`, `app.register(plugin, { prefix })`
 *   express  `router.get('/x', h)`, `router.route('/x').get(h)`, `app.use('/prefix', router)`
 *   koa      `router.get('/x', h)`, `router.get('name', '/x', h)`      hono  `app.get`, `app.on(m, p)`, `app.route(p, sub)`
 *   nestjs   `@Controller('orders')` + `@Get(':id')` → `/orders/:id`
 * The framework comes from what the file imports. With no server framework imported, a call
 * counts only if it has a handler and its receiver is not an HTTP client (axios, fetch…).
 * Prefix mounts inside the file are applied here; mounts of an imported plugin/router are
 * returned so ingest can prefix that file's routes.
 */
import { ts } from 'ts-morph';
import type { EndpointDecl } from '../model.js';

type Framework = EndpointDecl['framework'];

/** A prefix mount of something defined in another file (an imported binding or a `require`). */
export interface ForeignMount {
  readonly prefix: string;
  readonly local?: string;
  readonly spec?: string;
}

interface Site {
  readonly receiver: string | null;
  readonly fns: readonly number[];
}
interface Route extends Site {
  readonly method: string;
  readonly path: string;
  readonly line: number;
}
interface Mount extends Site {
  readonly prefix: string;
  readonly target: { local: string } | { fn: ts.Node } | { spec: string };
}

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all']);
const NEST_VERBS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All']);
const CLIENT_LIBS = /^(axios|got|ky|node-fetch|cross-fetch|superagent|supertest|undici|request|needle|ofetch)$/;
const CLIENT_RECEIVERS = new Set(['axios', 'http', 'https', 'got', 'ky', 'fetch', 'request', 'superagent', 'client', 'api', 'cache', 'map', 'headers', 'params', 'searchParams', 'store', 'localStorage', 'sessionStorage']);

/** The server framework a module specifier belongs to, or null. */
export function frameworkOf(spec: string): Framework | null {
  if (spec.startsWith('@nestjs/')) return 'nestjs';
  if (spec === 'fastify' || spec === 'fastify-plugin' || spec.startsWith('@fastify/')) return 'fastify';
  if (spec === 'express' || spec.startsWith('express/')) return 'express';
  if (spec === 'koa' || spec === 'koa-router' || spec === '@koa/router') return 'koa';
  if (spec === 'hono' || spec.startsWith('hono/') || spec.startsWith('@hono/')) return 'hono';
  return null;
}

function literal(node: ts.Node | undefined): string | null {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
}

/** Joins path pieces with single slashes and a leading slash. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '' && p !== '/').join('/');
  const p = `/${joined}`.replace(/\/{2,}/g, '/');
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** The leftmost identifier of `a.b.c` / `a.b().c`, or null. */
function rootName(expr: ts.Expression): string | null {
  let e: ts.Expression = expr;
  for (;;) {
    if (ts.isIdentifier(e)) return e.text;
    if (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    else return null;
  }
}

function prop(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
  }
  return undefined;
}

function strings(node: ts.Node | undefined): string[] {
  if (node !== undefined && ts.isArrayLiteralExpression(node)) return node.elements.map(literal).filter((s): s is string => s !== null);
  const s = literal(node);
  return s === null ? [] : [s];
}

const isPath = (s: string | null): s is string => s !== null && (s.startsWith('/') || s === '*');
const isHandler = (n: ts.Node | undefined): boolean =>
  n !== undefined && (ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isCallExpression(n));

export class EndpointCollector {
  private readonly routes: Route[] = [];
  private readonly mounts: Mount[] = [];
  private readonly nest: EndpointDecl[] = [];
  private readonly stack: number[] = [];
  private readonly fnIds = new Map<ts.Node, number>();
  private readonly fnNames = new Map<string, number>();
  private readonly framework: Framework;
  /** No server framework imported: only calls that clearly declare a route count. */
  private readonly strict: boolean;
  /** No server framework but an HTTP client imported: the file declares no routes. */
  private readonly clientOnly: boolean;

  /** @param specifiers the module specifiers the file imports or requires */
  constructor(
    private readonly sf: ts.SourceFile,
    specifiers: readonly string[],
  ) {
    const found = specifiers.map(frameworkOf).filter((f): f is Framework => f !== null);
    const order: Framework[] = ['nestjs', 'fastify', 'express', 'koa', 'hono'];
    this.framework = order.find((f) => found.includes(f)) ?? 'unknown';
    this.strict = this.framework === 'unknown';
    this.clientOnly = this.strict && specifiers.some((s) => CLIENT_LIBS.test(s));
  }

  enterFunction(node: ts.Node, name: string | undefined): void {
    const id = this.fnIds.size + 1;
    this.fnIds.set(node, id);
    if (name !== undefined && !this.fnNames.has(name)) this.fnNames.set(name, id);
    this.stack.push(id);
  }

  exitFunction(): void {
    this.stack.pop();
  }

  private line(node: ts.Node): number {
    return this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf)).line + 1;
  }

  private site(receiver: ts.Expression): Site {
    return { receiver: rootName(receiver), fns: [...this.stack] };
  }

  /** Inspects a call expression for a route declaration or a prefix mount. */
  call(node: ts.CallExpression): void {
    const callee = node.expression;
    if (!ts.isPropertyAccessExpression(callee) || this.clientOnly) return;
    const name = callee.name.text;
    const recv = callee.expression;
    const args = node.arguments;
    if (this.strict && CLIENT_RECEIVERS.has(rootName(recv) ?? '')) return;
    if (VERBS.has(name)) {
      const method = name === 'del' ? 'DELETE' : name.toUpperCase();
      let path = literal(args[0]);
      let handlerAt = 1;
      if (!isPath(path) && isPath(literal(args[1]))) [path, handlerAt] = [literal(args[1]), 2]; // koa named route
      if (isPath(path)) {
        const okHandler = this.strict ? isHandler(args[args.length - 1]) && args.length > handlerAt : args.length > handlerAt;
        if (okHandler) this.routes.push({ method, path, line: this.line(node), ...this.site(recv) });
      } else if (ts.isCallExpression(recv) && ts.isPropertyAccessExpression(recv.expression) && recv.expression.name.text === 'route') {
        const chained = literal(recv.arguments[0]); // express router.route('/x').get(h)
        if (isPath(chained) && args.length > 0) this.routes.push({ method, path: chained, line: this.line(node), ...this.site(recv.expression.expression) });
      }
    } else if (name === 'route' && args.length === 1 && ts.isObjectLiteralExpression(args[0]!)) {
      const obj = args[0];
      const url = literal(prop(obj, 'url') ?? prop(obj, 'path'));
      if (isPath(url)) for (const m of strings(prop(obj, 'method'))) this.routes.push({ method: m.toUpperCase(), path: url, line: this.line(node), ...this.site(recv) });
    } else if (name === 'on' && args.length >= 3 && isPath(literal(args[1]))) {
      for (const m of strings(args[0])) this.routes.push({ method: m.toUpperCase(), path: literal(args[1])!, line: this.line(node), ...this.site(recv) });
    } else if (name === 'register' && args[1] !== undefined && ts.isObjectLiteralExpression(args[1])) {
      const prefix = literal(prop(args[1], 'prefix'));
      if (prefix !== null && args[0] !== undefined) this.mount(prefix, args[0], recv);
    } else if ((name === 'use' || name === 'route') && args.length === 2 && isPath(literal(args[0])) && args[1] !== undefined) {
      this.mount(literal(args[0])!, args[1], recv);
    }
  }

  private mount(prefix: string, target: ts.Expression, recv: ts.Expression): void {
    let t: Mount['target'] | null = null;
    if (ts.isIdentifier(target)) t = { local: target.text };
    else if (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) t = { fn: target };
    else if (ts.isCallExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === 'require') {
      const spec = literal(target.arguments[0]);
      if (spec !== null) t = { spec };
    } else if (ts.isCallExpression(target) && target.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const spec = literal(target.arguments[0]);
      if (spec !== null) t = { spec };
    }
    if (t !== null) this.mounts.push({ prefix, target: t, ...this.site(recv) });
  }

  /** Inspects a class for NestJS `@Controller` + method decorators. */
  classDecl(node: ts.ClassLikeDeclaration): void {
    const ctrl = decoratorCall(node, (n) => n === 'Controller');
    if (ctrl === undefined) return;
    const arg = ctrl.arguments[0];
    const base = arg !== undefined && ts.isObjectLiteralExpression(arg) ? strings(prop(arg, 'path'))[0] : strings(arg)[0];
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      for (const d of ts.getDecorators(member) ?? []) {
        const e = d.expression;
        if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || !NEST_VERBS.has(e.expression.text)) continue;
        const paths = e.arguments.length === 0 ? [''] : strings(e.arguments[0]);
        for (const p of paths) this.nest.push({ method: e.expression.text.toUpperCase(), path: joinPath(base ?? '', p), line: this.line(d), framework: 'nestjs' });
      }
    }
  }

  /** The file's endpoints with in-file prefixes applied, and the mounts of things defined elsewhere. */
  finish(): { endpoints: EndpointDecl[]; foreignMounts: ForeignMount[] } {
    const receivers = new Set(this.routes.map((r) => r.receiver).concat(this.mounts.map((m) => m.receiver)));
    const applies = (m: Mount, s: Site): boolean => {
      const t = m.target;
      if ('fn' in t) return s.fns.includes(this.fnIds.get(t.fn) ?? -1);
      if ('local' in t) return this.fnNames.has(t.local) ? s.fns.includes(this.fnNames.get(t.local)!) : s.receiver === t.local;
      return false;
    };
    const prefixOf = (s: Site, depth: number): string => {
      const m = depth < 8 ? this.mounts.find((x) => x !== s && applies(x, s)) : undefined;
      return m === undefined ? '' : joinPath(prefixOf(m, depth + 1), m.prefix);
    };
    const endpoints: EndpointDecl[] = this.routes.map((r) => ({
      method: r.method,
      path: joinPath(prefixOf(r, 0), r.path),
      line: r.line,
      framework: this.framework,
    }));
    endpoints.push(...this.nest);
    const foreignMounts: ForeignMount[] = [];
    for (const m of this.mounts) {
      const t = m.target;
      const prefix = joinPath(prefixOf(m, 0), m.prefix);
      if ('spec' in t) foreignMounts.push({ prefix, spec: t.spec });
      else if ('local' in t && !this.fnNames.has(t.local) && !receivers.has(t.local)) foreignMounts.push({ prefix, local: t.local });
    }
    endpoints.sort((a, b) => a.line - b.line || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
    return { endpoints, foreignMounts };
  }
}

function decoratorCall(node: ts.HasDecorators, match: (name: string) => boolean): ts.CallExpression | undefined {
  for (const d of ts.getDecorators(node) ?? []) {
    const e = d.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && match(e.expression.text)) return e;
  }
  return undefined;
}
