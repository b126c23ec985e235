/**
 * The table extractor one file's walk (ingest/walk.ts) feeds: it owns the file's FileTables
 * state and routes each node to the detector for it — SQL text to sql.ts, each call chain
 * (flattened once, at its outermost node) to the query-builder, ORM-usage and Sequelize
 * detectors, declarations to orm.ts. `result()` resolves entity and repository uses once
 * the whole file has been seen.
 */
import { ts } from 'ts-morph';
import type { TableUse } from '../../model.js';
import { builderTables } from './builders.js';
import { flattenChain } from './chain.js';
import { FileTables } from './context.js';
import { bindingOf, entityClass, schemaImports, sequelizeDeclaration } from './orm.js';
import { ormUsage } from './orm-usage.js';
import { mayBeSql, scanSql } from './sql.js';

/** Stands in for a template hole (`${x}`): the SQL lexer reads `$0` as a bind parameter. */
const HOLE = '$0';

/** The text of a string-like literal with template holes replaced, or null. */
export function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => HOLE + s.literal.text).join('');
  return null;
}

export class TableExtractor {
  private readonly ctx = new FileTables();

  importDecl(node: ts.ImportDeclaration): void {
    schemaImports(node, this.ctx);
  }

  classDecl(node: ts.ClassDeclaration): void {
    entityClass(node, this.ctx);
  }

  binding(node: ts.VariableDeclaration | ts.PropertyDeclaration | ts.ParameterDeclaration | ts.BinaryExpression): void {
    bindingOf(node, this.ctx);
  }

  /** The outermost node of a call/member chain. */
  chain(node: ts.CallExpression | ts.PropertyAccessExpression): void {
    const chain = flattenChain(node);
    builderTables(chain, this.ctx);
    ormUsage(chain, this.ctx);
    sequelizeDeclaration(chain, this.ctx);
  }

  /** A string or template literal (a tagged template's too). */
  text(node: ts.Node): void {
    const text = literalText(node);
    if (text === null || text.length < 8 || !mayBeSql(text)) return;
    for (const u of scanSql(text)) this.ctx.use(u.table, u.access, 'sql');
  }

  result(): TableUse[] {
    return this.ctx.result();
  }
}
