/**
 * Flattens a member/call chain such as `this.knex('orders').where(…).update(…)` into its links
 * (`knex('orders')`, `where(…)`, `update(…)`), innermost first, so the builder and ORM detectors
 * can read a whole chain at once. The walker (index.ts) flattens each chain once, at its
 * outermost node, and then visits only the arguments and the base — never the inner links.
 */
import { ts } from 'ts-morph';

export interface Link {
  /** Property or identifier name; '' for a call of a call (`f()()`). */
  readonly name: string;
  /** Call arguments, or null when the link is a property access that is not called. */
  readonly args: readonly ts.Expression[] | null;
}

export interface Chain {
  readonly links: readonly Link[];
  /** What the chain hangs off when it is not a plain identifier (`this`, `(expr)`, `a[b]`). */
  readonly base: ts.Expression | null;
  readonly baseIsThis: boolean;
}

export function flattenChain(node: ts.Expression): Chain {
  const links: Link[] = [];
  let pending: readonly ts.Expression[] | null = null;
  let e: ts.Expression = node;
  let base: ts.Expression | null = null;
  for (;;) {
    if (ts.isCallExpression(e)) {
      if (pending) links.push({ name: '', args: pending });
      pending = e.arguments;
      e = e.expression;
    } else if (ts.isPropertyAccessExpression(e)) {
      links.push({ name: e.name.text, args: pending });
      pending = null;
      e = e.expression;
    } else if (ts.isNonNullExpression(e)) {
      e = e.expression;
    } else if (ts.isIdentifier(e)) {
      links.push({ name: e.text, args: pending });
      break;
    } else {
      if (pending) links.push({ name: '', args: pending });
      base = e;
      break;
    }
  }
  links.reverse();
  return { links, base, baseIsThis: base?.kind === ts.SyntaxKind.ThisKeyword };
}

/** The string value of a plain string literal argument, else null. */
export function stringArg(e: ts.Expression | undefined): string | null {
  return e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : null;
}
