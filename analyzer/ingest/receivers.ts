/**
 * Light, syntax-only typing of receivers, so `this.orders.findById(id)` counts as a call of
 * `OrderRepository.findById` when the file says `orders: OrderRepository` or
 * `this.orders = new OrderRepository(…)` somewhere, and `this.deps.carts.get()` follows a
 * local interface (`deps: OrderCollaborators`, `interface OrderCollaborators { carts: CartService }`).
 * Shapes declared in other files are followed by link.ts (`ctx: AppContext` imported, whose
 * `mailer: Mailer` is imported there in turn). Names are per file, not per scope — the first
 * declaration of a name wins. No type checker:
 * it would cost far more than the whole analysis for what these few patterns already catch.
 */
import { ts } from 'ts-morph';

/** The identifier a type annotation names (`X`, `X<T>`, `X | null`, `X[]` → X; `ns.X` → ns.X), or null. */
export function typeName(type: ts.TypeNode | undefined): string | null {
  if (type === undefined) return null;
  if (ts.isTypeReferenceNode(type)) return ts.isIdentifier(type.typeName) ? type.typeName.text : entityNameText(type.typeName);
  if (ts.isUnionTypeNode(type)) {
    for (const t of type.types) {
      const n = typeName(t);
      if (n !== null) return n;
    }
    return null;
  }
  if (ts.isArrayTypeNode(type) || ts.isParenthesizedTypeNode(type)) return typeName(ts.isArrayTypeNode(type) ? type.elementType : type.type);
  return null;
}

function entityNameText(n: ts.EntityName): string {
  return ts.isIdentifier(n) ? n.text : `${entityNameText(n.left)}.${n.right.text}`;
}

/** The class a `new X(…)` (or `await new …`) initializer constructs, or null. */
export function constructed(init: ts.Expression | undefined): string | null {
  let e = init;
  while (e !== undefined && (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e))) e = e.expression;
  if (e === undefined || !ts.isNewExpression(e)) return null;
  return ts.isIdentifier(e.expression) ? e.expression.text : ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression) ? `${e.expression.expression.text}.${e.expression.name.text}` : null;
}

export class ReceiverTypes {
  /** Variable, parameter or property name → type name. */
  private readonly names = new Map<string, string>();
  /** Local interface / type literal / class name → member name → type name. */
  private readonly members = new Map<string, Map<string, string>>();
  private readonly aliases = new Map<string, readonly string[]>();

  declare(name: string, type: string | null): void {
    if (type !== null && !this.names.has(name)) this.names.set(name, type);
  }

  /** Records the typed members of a local interface, type literal alias or class. */
  shape(name: string, elements: readonly (ts.TypeElement | ts.ClassElement)[]): void {
    const map = this.members.get(name) ?? new Map<string, string>();
    for (const el of elements) {
      if (el.name === undefined || !(ts.isIdentifier(el.name) || ts.isPrivateIdentifier(el.name))) continue;
      const t = ts.isPropertySignature(el) || ts.isPropertyDeclaration(el) ? (typeName(el.type) ?? (ts.isPropertyDeclaration(el) ? constructed(el.initializer) : null)) : null;
      if (t !== null && !map.has(el.name.text)) map.set(el.name.text, t);
    }
    this.members.set(name, map);
  }

  /** `const { carts } = this.deps` → carts stands for the path ['deps', 'carts']. */
  alias(name: string, path: readonly string[]): void {
    if (!this.names.has(name) && !this.aliases.has(name)) this.aliases.set(name, path);
  }

  /**
   * The type of a receiver path's head, after aliases: `['carts']` with `const { carts } =
   * this.deps` → { type: 'OrderCollaborators', rest: ['carts'] }; null when the head is untyped.
   */
  head(path: readonly string[], depth = 0): { type: string; rest: string[] } | null {
    const head = path[0];
    if (head === undefined) return null;
    const type = this.names.get(head);
    if (type !== undefined) return { type, rest: path.slice(1) };
    const via = this.aliases.get(head);
    return via === undefined || depth > 4 ? null : this.head([...via, ...path.slice(1)], depth + 1);
  }

  /** The declared type of `member` in a local interface, type literal or class, or null. */
  memberType(type: string, member: string): string | null {
    return this.members.get(type)?.get(member) ?? null;
  }

  /** Whether `type` is an interface, type literal or class declared in this file. */
  declares(type: string): boolean {
    return this.members.has(type);
  }
}
