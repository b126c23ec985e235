// Catalog business rules for products: listing, lookup, create/update and soft delete.
import type { AppContext } from '../lib/context.js';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../lib/errors.js';
import { pageOf, type Page, type PageOf } from '../lib/pagination.js';
import { CategoryRepository } from '../repositories/CategoryRepository.js';
import { ProductRepository } from '../repositories/ProductRepository.js';
import { toProduct, type NewProduct, type Product, type ProductChanges } from '../models/Product.js';

export interface ProductQuery {
  categorySlug?: string;
  categoryId?: number;
  q?: string;
}

export class ProductService {
  private readonly products: ProductRepository;
  private readonly categories: CategoryRepository;

  constructor(private readonly ctx: AppContext) {
    this.products = new ProductRepository(ctx.db);
    this.categories = new CategoryRepository(ctx.db);
  }

  /** Active products; an unknown category slug simply matches nothing. */
  async list(query: ProductQuery, page: Page): Promise<PageOf<Product>> {
    let categoryId = query.categoryId;
    if (query.categorySlug !== undefined) {
      const category = await this.categories.findBySlug(query.categorySlug);
      if (!category) return pageOf([], 0, page);
      categoryId = category.id;
    }
    const q = query.q?.trim() || undefined;
    const { rows, total } = await this.products.list({ categoryId, q }, page);
    return pageOf(rows.map((r) => toProduct(r, this.ctx.config.currency)), total, page);
  }

  /** Any product by id, active or not (order history links to retired products). */
  async get(id: number): Promise<Product> {
    const row = await this.products.findById(id);
    if (!row) throw new NotFoundError('product', id);
    return toProduct(row, this.ctx.config.currency);
  }

  async create(input: NewProduct): Promise<Product> {
    await this.assertCategory(input.categoryId);
    if (await this.products.findBySku(input.sku)) throw new ConflictError(`sku ${input.sku} already exists`);
    try {
      const row = await this.products.create(input);
      this.ctx.logger.info('product created', { id: row.id, sku: row.sku });
      return toProduct(row, this.ctx.config.currency);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`sku ${input.sku} already exists`);
      throw err;
    }
  }

  async update(id: number, changes: ProductChanges): Promise<Product> {
    if (!(await this.products.findById(id))) throw new NotFoundError('product', id);
    if (changes.categoryId !== undefined) await this.assertCategory(changes.categoryId);
    const row = await this.products.update(id, changes);
    if (!row) throw new NotFoundError('product', id);
    return toProduct(row, this.ctx.config.currency);
  }

  async remove(id: number): Promise<void> {
    const removed = await this.products.deactivate(id);
    if (!removed) throw new NotFoundError('product', id);
    this.ctx.logger.info('product deactivated', { id });
  }

  private async assertCategory(categoryId: number): Promise<void> {
    if (!(await this.categories.exists(categoryId))) {
      throw new ValidationError(`categoryId ${categoryId} does not match any category`);
    }
  }
}
