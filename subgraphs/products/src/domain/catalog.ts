import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appError, badUserInput, ErrorCode, notFound, parseInput } from '@cloudmart/runtime';
import type { ProductSort } from '../__generated__/resolvers-types';
import type { ProductsData } from '../data';
import {
  AlreadyReviewedError,
  DuplicateSkuError,
  InsufficientStockError,
  ProductNotFoundError,
  WriteContentionError,
} from '../data/errors';
import type { ProductItem, ReviewItem } from '../data/items';
import type { ProductLoaders } from '../data/loaders';
import type { ProductChanges } from '../data/product-store';
import type { ProductConnectionModel, ReviewConnectionModel } from '../mappers';
import type { CursorCodec } from './cursor';
import type { CatalogIndex } from './catalog-index';
import { noProductEvents, type ProductEventPublisher } from './events';
import { orderingFor, type Position } from './ordering';
import { productImages } from '../seed/images';
import {
  addReviewSchema,
  adjustInventorySchema,
  createProductSchema,
  idSchema,
  productSorts,
  productsArgsSchema,
  reviewsArgsSchema,
  updateProductSchema,
} from '../validation';
import { categories, categoryName } from './categories';

/** A product cursor: the sort it was made for, the search (for relevance), and the keyset position. */
const productCursorSchema = z.object({
  s: z.enum(productSorts),
  q: z.string().optional(),
  k: z.array(z.union([z.string(), z.number()])).max(4),
  id: z.string().max(200),
});

/** A review cursor: the product and the review's number within it. */
const reviewCursorSchema = z.object({ p: z.string(), n: z.number().int().min(1) });

/** Turns the data layer's typed failures into errors clients can act on. */
function clientError(error: unknown): unknown {
  if (error instanceof ProductNotFoundError) return notFound('Product', error.productId);
  if (error instanceof DuplicateSkuError) {
    return appError(ErrorCode.CONFLICT, `Another product already has SKU ${error.sku}.`, { field: 'sku' });
  }
  if (error instanceof InsufficientStockError) {
    return appError(
      ErrorCode.OUT_OF_STOCK,
      `Only ${error.available} left in stock: stock cannot go below zero.`,
      {
        available: error.available,
      },
    );
  }
  if (error instanceof AlreadyReviewedError) {
    return appError(ErrorCode.CONFLICT, 'You have already reviewed this product.');
  }
  if (error instanceof WriteContentionError) {
    return appError(ErrorCode.CONFLICT, 'The product is being changed by others right now; try again.');
  }
  return error;
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw clientError(error);
  }
}

/**
 * The catalog's rules, apart from GraphQL and from storage: validation, paging, and keeping the
 * search index current with this process's own writes (the stream brings everyone else's).
 */
export class Catalog {
  constructor(
    private readonly data: ProductsData,
    private readonly index: CatalogIndex,
    private readonly cursors: CursorCodec,
    private readonly currency: string,
    /** Told after each write, so caches of product data (the gateway's) drop what went stale. */
    private readonly events: ProductEventPublisher = noProductEvents,
    private readonly now: () => Date = () => new Date(),
  ) {}

  products(args: unknown): ProductConnectionModel {
    const { first, after, filter, sort: requested } = parseInput(productsArgsSchema, args);
    const search = filter?.search || undefined;
    const sort: ProductSort = requested ?? (search ? 'RELEVANCE' : 'NEWEST');
    const ordering = orderingFor(sort, Boolean(search));
    // Relevance keys are scores for one search: such a cursor means nothing for another search.
    const query = sort === 'RELEVANCE' && search ? search.toLowerCase() : undefined;

    let position: Position | undefined;
    if (after) {
      const cursor = this.cursors.decode(after, productCursorSchema);
      const key = ordering.keySchema.safeParse(cursor.k);
      if (cursor.s !== sort || cursor.q !== query || !key.success) {
        throw badUserInput(
          'The `after` cursor belongs to a different sort or search: start again without it.',
          {
            argument: 'after',
          },
        );
      }
      position = { key: key.data, id: cursor.id };
    }

    const page = this.index.page({
      first,
      after: position,
      sort,
      filter: {
        category: filter?.category ?? undefined,
        search,
        minPrice: filter?.minPrice ?? undefined,
        maxPrice: filter?.maxPrice ?? undefined,
        inStock: filter?.inStock ?? undefined,
      },
    });
    const edges = page.edges.map(({ product, position: { key, id } }) => ({
      node: product,
      cursor: this.cursors.encode({ s: sort, ...(query ? { q: query } : {}), k: key, id }),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }

  categories() {
    return categories.map(({ id }) => this.category(id));
  }

  category(id: string) {
    return { id, name: categoryName(id), productCount: this.index.categoryCounts().get(id) ?? 0 };
  }

  /** Reviews newest first. Review n of a product has key REVIEW#n, so a page is one BatchGetItem. */
  async reviews(
    product: ProductItem,
    args: unknown,
    loaders: ProductLoaders,
  ): Promise<ReviewConnectionModel> {
    const { first, after } = parseInput(reviewsArgsSchema, args);
    let start = product.ratingCount;
    if (after) {
      const cursor = this.cursors.decode(after, reviewCursorSchema);
      if (cursor.p !== product.id)
        throw badUserInput('The `after` cursor belongs to another product.', { argument: 'after' });
      start = Math.min(cursor.n - 1, product.ratingCount);
    }
    const numbers = Array.from({ length: Math.max(0, Math.min(first, start)) }, (_, i) => start - i);
    const reviews = await loaders.reviewByKey.loadMany(
      numbers.map((seq) => ({ productId: product.id, seq })),
    );
    const edges = reviews
      .filter((review): review is ReviewItem => review !== null && !(review instanceof Error))
      .map((review) => ({ node: review, cursor: this.cursors.encode({ p: product.id, n: review.seq }) }));
    const failure = reviews.find((review) => review instanceof Error);
    if (failure) throw failure;
    const last = numbers.at(-1);
    return {
      edges,
      pageInfo: {
        hasNextPage: last !== undefined ? last > 1 : start > 0 && first === 0,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: product.ratingCount,
    };
  }

  async createProduct(input: unknown): Promise<ProductItem> {
    const fields = parseInput(createProductSchema(this.currency), input);
    const now = this.now().toISOString();
    const product: ProductItem = {
      id: randomUUID(),
      sku: fields.sku,
      name: fields.name,
      description: fields.description,
      brand: fields.brand,
      category: fields.category,
      priceAmount: fields.price.amount,
      currency: fields.price.currency,
      images: fields.images ?? productImages(fields, 210),
      stock: fields.stock,
      ratingSum: 0,
      ratingCount: 0,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const created = this.indexed(await translated(() => this.data.products.create(product)));
    await this.events.publish('ProductCreated', created.id, { category: created.category });
    return created;
  }

  async updateProduct(id: unknown, input: unknown): Promise<ProductItem> {
    const fields = parseInput(updateProductSchema(this.currency), input);
    const changes: ProductChanges = {
      sku: fields.sku ?? undefined,
      name: fields.name ?? undefined,
      description: fields.description ?? undefined,
      brand: fields.brand ?? undefined,
      category: fields.category ?? undefined,
      priceAmount: fields.price?.amount,
      currency: fields.price?.currency,
      images: fields.images ?? undefined,
    };
    const productId = parseInput(z.object({ id: idSchema }), { id }).id;
    const updated = this.indexed(
      await translated(() => this.data.products.update(productId, changes, this.now().toISOString())),
    );
    const changed = Object.keys(fields).filter((field) => fields[field as keyof typeof fields] != null);
    await this.events.publish('ProductUpdated', productId, { fields: changed });
    return updated;
  }

  async adjustInventory(args: unknown): Promise<ProductItem> {
    const { productId, delta } = parseInput(adjustInventorySchema, args);
    const adjusted = this.indexed(
      await translated(() => this.data.products.adjustStock(productId, delta, this.now().toISOString())),
    );
    await this.events.publish('InventoryAdjusted', productId, { delta });
    return adjusted;
  }

  /** Returns the review and the product with its new rating. */
  async addReview(userId: string, args: unknown): Promise<{ review: ReviewItem; product: ProductItem }> {
    const input = parseInput(addReviewSchema, args);
    const review = await translated(() =>
      this.data.reviews.add({ ...input, userId }, this.now().toISOString()),
    );
    const product = await this.data.products.get(input.productId);
    if (!product) throw notFound('Product', input.productId);
    await this.events.publish('ReviewAdded', product.id, { reviewId: review.id, rating: review.rating }, userId);
    return { review, product: this.indexed(product) };
  }

  /** A product whose images media (./media.ts) changed: indexed and announced as any other write. */
  async imagesChanged(product: ProductItem): Promise<ProductItem> {
    const indexed = this.indexed(product);
    await this.events.publish('ProductUpdated', product.id, { fields: ['images'] });
    return indexed;
  }

  private indexed(product: ProductItem): ProductItem {
    this.index.upsert(product);
    return product;
  }
}
