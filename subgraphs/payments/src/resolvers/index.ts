import { forbidden, requireIdentity, scalarResolvers } from '@cloudmart/runtime';
import type { Resolvers } from '../__generated__/resolvers-types';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Order: {
    __resolveReference: (reference) => ({ id: reference.id }),
    // The orders subgraph already refuses other users' orders; this check holds on its own too,
    // for a caller who sends _entities straight to this subgraph.
    payment: async (order, _args, context) => {
      const caller = requireIdentity(context.identity);
      const payment = await context.loaders.paymentByOrderId.load(order.id);
      if (!payment) return null;
      if (caller.role !== 'ADMIN' && caller.userId !== payment.userId) {
        throw forbidden("Only the order's owner or an admin can see its payment.");
      }
      return payment;
    },
  },
  Payment: {
    amount: (payment) => ({ amount: payment.amount, currency: payment.currency }),
    method: (payment) => ({ brand: payment.brand, last4: payment.last4 }),
  },
};
