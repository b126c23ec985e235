// Shopping cart rules: one open cart per customer, only active products, sane quantities.
import type { AppContext } from '../lib/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.js';
import { CartRepository } from '../repositories/CartRepository.js';
import { CustomerRepository } from '../repositories/CustomerRepository.js';
import { ProductRepository } from '../repositories/ProductRepository.js';
import { MAX_CART_QUANTITY, toCart, type Cart } from '../models/Cart.js';

export class CartService {
  private readonly carts: CartRepository;
  private readonly customers: CustomerRepository;
  private readonly products: ProductRepository;

  constructor(ctx: AppContext) {
    this.carts = new CartRepository(ctx.db);
    this.customers = new CustomerRepository(ctx.db);
    this.products = new ProductRepository(ctx.db);
  }

  async getCart(customerId: number): Promise<Cart> {
    await this.assertCustomer(customerId);
    const cart = await this.carts.findOrCreateOpen(customerId);
    return toCart(cart, await this.carts.items(cart.id));
  }

  async addItem(customerId: number, productId: number, quantity: number): Promise<Cart> {
    await this.assertCustomer(customerId);
    const product = await this.products.findById(productId);
    if (!product) throw new NotFoundError('product', productId);
    if (!product.active) throw new ConflictError(`product ${productId} is no longer sold`);
    const cart = await this.carts.findOrCreateOpen(customerId);
    const newQuantity = await this.carts.addItem(cart.id, productId, quantity);
    if (newQuantity > MAX_CART_QUANTITY) {
      await this.carts.setQuantity(cart.id, productId, newQuantity - quantity);
      throw new ValidationError(`quantity of product ${productId} in the cart cannot exceed ${MAX_CART_QUANTITY}`);
    }
    return toCart(cart, await this.carts.items(cart.id));
  }

  async removeItem(customerId: number, productId: number): Promise<Cart> {
    await this.assertCustomer(customerId);
    const cart = await this.carts.findOrCreateOpen(customerId);
    if (!(await this.carts.removeItem(cart.id, productId))) throw new NotFoundError('cart item', productId);
    return toCart(cart, await this.carts.items(cart.id));
  }

  /** Called by checkout once the order exists. */
  async markConverted(cartId: number): Promise<void> {
    await this.carts.markConverted(cartId);
  }

  private async assertCustomer(customerId: number): Promise<void> {
    if (!(await this.customers.findById(customerId))) throw new NotFoundError('customer', customerId);
  }
}
