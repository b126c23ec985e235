// Catalog business rules for categories and category product listings.
import type { AppContext } from '../lib/context.js';
import { NotFoundError } from '../lib/errors.js';
import type { Page, PageOf } from '../lib/pagination.js';
import { CategoryRepository } from '../repositories/CategoryRepository.js';
import { categoryPath, toCategory, type Category } from '../models/Category.js';
import type { Product } from '../models/Product.js';
import type { ProductService } from './ProductService.js';

export class CategoryService {
  private readonly categories: CategoryRepository;

  constructor(
    ctx: AppContext,
    private readonly products: ProductService,
  ) {
    this.categories = new CategoryRepository(ctx.db);
  }

  async list(): Promise<Category[]> {
    const rows = await this.categories.findAll();
    return rows.map(toCategory);
  }

  async getBySlug(slug: string): Promise<Category> {
    const row = await this.categories.findBySlug(slug);
    if (!row) throw new NotFoundError('category', slug);
    return toCategory(row);
  }

  /** Products filed directly under the category (children are not rolled up). */
  async productsIn(slug: string, q: string | undefined, page: Page): Promise<PageOf<Product>> {
    const category = await this.getBySlug(slug);
    return this.products.list({ categoryId: category.id, q }, page);
  }

  async breadcrumb(categoryId: number): Promise<Category[]> {
    return categoryPath(await this.list(), categoryId);
  }

  /** Menu data: categories with how many active products each holds. */
  async menu(): Promise<(Category & { productCount: number })[]> {
    const [all, counts] = await Promise.all([this.list(), this.categories.productCounts()]);
    return all.map((c) => ({ ...c, productCount: counts.get(c.id) ?? 0 }));
  }
}
