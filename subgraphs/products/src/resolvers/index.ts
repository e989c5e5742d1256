import { notFound, parseInput, requireIdentity, scalarResolvers } from '@cloudmart/runtime';
import type { Resolvers } from '../__generated__/resolvers-types';
import { averageRating, inventoryStatus } from '../domain/inventory';
import { imageIdOf } from '../domain/media';
import { idSchema } from '../validation';
import { requireAdmin } from './auth';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    product: async (_parent, { id }, context) => {
      const productId = parseInput(idSchema, id);
      const product = await context.loaders.productById.load(productId);
      if (!product) throw notFound('Product', productId);
      return product;
    },
    categories: (_parent, _args, context) => context.catalog.categories(),
    products: (_parent, args, context) => context.catalog.products(args),
  },
  Mutation: {
    createProduct: async (_parent, { input }, context) => {
      requireAdmin(context);
      return context.catalog.createProduct(input);
    },
    updateProduct: async (_parent, { id, input }, context) => {
      requireAdmin(context);
      return context.catalog.updateProduct(id, input);
    },
    adjustInventory: async (_parent, args, context) => {
      requireAdmin(context);
      return context.catalog.adjustInventory(args);
    },
    createProductImageUpload: async (_parent, args, context) => {
      const { userId } = requireAdmin(context);
      return context.media.createUpload(userId, args);
    },
    attachProductImage: async (_parent, args, context) => {
      requireAdmin(context);
      return context.media.attach(args);
    },
    removeProductImage: async (_parent, args, context) => {
      requireAdmin(context);
      return context.media.remove(args);
    },
    reorderProductImages: async (_parent, args, context) => {
      requireAdmin(context);
      return context.media.reorder(args);
    },
    addReview: async (_parent, args, context) => {
      const { userId } = requireIdentity(context.identity);
      const { review, product } = await context.catalog.addReview(userId, args);
      context.loaders.productById.prime(product.id, product);
      return review;
    },
  },
  Product: {
    // Entity references from other subgraphs: every id in one gateway fetch is gathered by the
    // DataLoader into one BatchGetItem.
    __resolveReference: (reference, context) => context.loaders.productById.load(reference.id),
    category: (product, _args, context) => context.catalog.category(product.category),
    price: (product) => ({ amount: product.priceAmount, currency: product.currency }),
    inventory: (product) => ({
      available: Math.max(0, product.stock),
      status: inventoryStatus(product.stock),
    }),
    rating: (product) => ({
      average: averageRating(product.ratingSum, product.ratingCount),
      count: product.ratingCount,
    }),
    reviews: (product, args, context) => context.catalog.reviews(product, args, context.loaders),
  },
  ProductImage: {
    id: (image) => imageIdOf(image),
    // An uploaded image's URL follows MEDIA_BASE_URL (a new CDN domain moves every image with it).
    url: (image, _args, context) => {
      const widest = image.variants?.at(-1);
      return widest ? context.mediaStorage.publicUrl(widest.key) : image.url;
    },
    variants: (image) => image.variants ?? [],
  },
  ImageVariant: {
    url: (variant, _args, context) => context.mediaStorage.publicUrl(variant.key),
  },
  ProductConnection: {
    totalCount: (connection) => connection.totalCount(),
  },
  Review: {
    // References from other subgraphs: every review id of one gateway fetch in one DataLoader batch.
    __resolveReference: (reference, context) => context.loaders.reviewById.load(reference.id),
    author: (review) => ({ __typename: 'User', id: review.userId }),
    product: async (review, _args, context) => {
      const product = await context.loaders.productById.load(review.productId);
      if (!product) throw notFound('Product', review.productId);
      return product;
    },
  },
};
