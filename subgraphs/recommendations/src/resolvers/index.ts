import { forbidden, parseInput, requireIdentity } from '@cloudmart/runtime';
import type { Resolvers } from '../__generated__/resolvers-types';
import { firstSchema } from '../validation';

const productRef = (id: string) => ({ __typename: 'Product' as const, id });

export const resolvers: Resolvers = {
  Product: {
    // Every product id is accepted: the products subgraph already resolved the entity.
    __resolveReference: (reference) => ({ id: reference.id }),
    recommendations: async (product, args, context) => {
      const { first } = parseInput(firstSchema, { first: args.first ?? 8 });
      const ranked = await context.recommendations.forProduct(product.id, first);
      return ranked.map((entry) => productRef(entry.productId));
    },
  },
  User: {
    __resolveReference: (reference) => ({ id: reference.id }),
    recommendations: async (user, args, context) => {
      const caller = requireIdentity(context.identity);
      if (caller.role !== 'ADMIN' && caller.userId !== user.id) {
        throw forbidden('Only the user themself or an admin can see their recommendations.');
      }
      const { first } = parseInput(firstSchema, { first: args.first ?? 8 });
      const ranked = await context.recommendations.forUser(user.id, first);
      return ranked.map((entry) => productRef(entry.productId));
    },
  },
};
