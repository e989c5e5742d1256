import { appError, ErrorCode, notFound } from '@cloudmart/runtime';
import type { CartStore } from '../data/cart-store';
import { WriteConflictError } from '../data/errors';
import type { CartLine } from '../data/items';
import type { ProductReader } from '../data/product-reader';
import { backoff } from '../data/dynamo';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '../validation';

/** The signed-in user's cart: lines of product ids and quantities; prices are read when shown. */
export class Carts {
  constructor(
    private readonly store: CartStore,
    private readonly products: ProductReader,
  ) {}

  async lines(userId: string): Promise<CartLine[]> {
    return (await this.store.get(userId))?.lines ?? [];
  }

  async add(userId: string, productId: string, quantity: number): Promise<CartLine[]> {
    await this.assertProductExists(productId);
    return this.change(userId, (lines) => {
      const line = lines.find((candidate) => candidate.productId === productId);
      const total = (line?.quantity ?? 0) + quantity;
      if (total > MAX_LINE_QUANTITY) {
        throw appError(ErrorCode.BAD_USER_INPUT, `A cart line holds at most ${MAX_LINE_QUANTITY} units.`, {
          productId,
        });
      }
      if (!line && lines.length >= MAX_CART_LINES) {
        throw appError(
          ErrorCode.BAD_USER_INPUT,
          `A cart holds at most ${MAX_CART_LINES} different products.`,
        );
      }
      return line
        ? lines.map((candidate) => (candidate === line ? { productId, quantity: total } : candidate))
        : [...lines, { productId, quantity }];
    });
  }

  async update(userId: string, productId: string, quantity: number): Promise<CartLine[]> {
    return this.change(userId, (lines) => {
      if (!lines.some((line) => line.productId === productId)) throw notFound('Cart item', productId);
      return lines.map((line) => (line.productId === productId ? { productId, quantity } : line));
    });
  }

  async remove(userId: string, productId: string): Promise<CartLine[]> {
    return this.change(userId, (lines) => {
      if (!lines.some((line) => line.productId === productId)) throw notFound('Cart item', productId);
      return lines.filter((line) => line.productId !== productId);
    });
  }

  /** Puts lines back (a declined checkout's), merging with whatever the cart holds now. */
  async restore(userId: string, restored: readonly CartLine[]): Promise<void> {
    await this.change(userId, (lines) => {
      const merged = new Map(lines.map((line) => [line.productId, line.quantity]));
      for (const line of restored) {
        merged.set(
          line.productId,
          Math.min(MAX_LINE_QUANTITY, (merged.get(line.productId) ?? 0) + line.quantity),
        );
      }
      return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
    });
  }

  /** Read, change, write conditioned on the version read; a lost race is retried on a fresh read. */
  private async change(userId: string, edit: (lines: CartLine[]) => CartLine[]): Promise<CartLine[]> {
    for (let attempt = 0; attempt < 8; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const cart = await this.store.get(userId);
      const lines = edit(cart?.lines ?? []);
      try {
        return (await this.store.save(userId, lines, cart?.version ?? null)).lines;
      } catch (error) {
        if (!(error instanceof WriteConflictError)) throw error;
      }
    }
    throw appError(ErrorCode.CONFLICT, 'The cart is being changed elsewhere; try again.');
  }

  private async assertProductExists(productId: string) {
    const found = await this.products.getMany([productId]);
    if (!found.has(productId)) throw notFound('Product', productId);
  }
}
