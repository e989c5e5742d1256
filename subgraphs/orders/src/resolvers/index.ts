import { forbidden, parseInput, requireIdentity, scalarResolvers } from '@cloudmart/runtime';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { Context } from '../context';
import type { CartLine } from '../data/items';
import {
  cartLineInputSchema,
  checkoutInputSchema,
  idSchema,
  orderNumberSchema,
} from '../validation';

const money = (amount: number, currency: string) => ({ amount, currency });
const cart = (lines: CartLine[]) => ({ lines });

/** The caller's Authorization header, forwarded to the payments service (who acts is checked there too). */
const authorizationOf = (context: Context) => context.authorization ?? '';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    cart: async (_parent, _args, context) => {
      const { userId } = requireIdentity(context.identity);
      return cart(await context.carts.lines(userId));
    },
    order: async (_parent, { id }, context) => {
      const caller = requireIdentity(context.identity);
      return context.orders.get(caller, parseInput(idSchema, id), context.loaders.orderById);
    },
    orderByNumber: async (_parent, { number }, context) => {
      const caller = requireIdentity(context.identity);
      return context.orders.getByNumber(caller, parseInput(orderNumberSchema, number));
    },
  },
  Mutation: {
    addToCart: async (_parent, args, context) => {
      const { userId } = requireIdentity(context.identity);
      const { productId, quantity } = parseInput(cartLineInputSchema, args);
      return cart(await context.carts.add(userId, productId, quantity));
    },
    updateCartItem: async (_parent, args, context) => {
      const { userId } = requireIdentity(context.identity);
      const { productId, quantity } = parseInput(cartLineInputSchema, args);
      return cart(await context.carts.update(userId, productId, quantity));
    },
    removeFromCart: async (_parent, { productId }, context) => {
      const { userId } = requireIdentity(context.identity);
      return cart(await context.carts.remove(userId, parseInput(idSchema, productId)));
    },
    checkout: async (_parent, { input }, context) => {
      const caller = requireIdentity(context.identity);
      const order = await context.orders.checkout(
        caller,
        authorizationOf(context),
        parseInput(checkoutInputSchema, input),
      );
      context.loaders.orderById.prime(order.id, order);
      return order;
    },
    updateOrderStatus: async (_parent, { orderId, status }, context) => {
      const caller = requireIdentity(context.identity);
      if (caller.role !== 'ADMIN') throw forbidden('Only admins can change an order’s status.');
      return context.orders.updateStatus(
        caller,
        authorizationOf(context),
        parseInput(idSchema, orderId),
        status,
      );
    },
    cancelOrder: async (_parent, { orderId }, context) => {
      const caller = requireIdentity(context.identity);
      return context.orders.cancel(caller, authorizationOf(context), parseInput(idSchema, orderId));
    },
  },
  Cart: {
    items: (parent) => parent.lines,
    subtotal: async (parent, _args, context) => {
      const products = await context.loaders.productById.loadMany(parent.lines.map((line) => line.productId));
      let amount = 0;
      let currency = context.currency;
      parent.lines.forEach((line, i) => {
        const product = products[i];
        // A product gone from the catalog counts for nothing; checkout would refuse it.
        if (product && !(product instanceof Error)) {
          amount += product.priceAmount * line.quantity;
          currency = product.currency;
        }
      });
      return money(amount, currency);
    },
  },
  CartItem: {
    product: (line) => ({ __typename: 'Product', id: line.productId }),
  },
  Order: {
    // _entities reads as Query.order does: batched, owner-or-admin checked.
    __resolveReference: async (reference, context) =>
      context.orders.find(requireIdentity(context.identity), reference.id, context.loaders.orderById),
    items: (order) => order.lines.map((line) => ({ ...line, currency: order.currency })),
    events: (order) => order.events.map((event) => ({ ...event, order })),
    subtotal: (order) => money(order.subtotal, order.currency),
    tax: (order) => money(order.tax, order.currency),
    shipping: (order) => money(order.shipping, order.currency),
    total: (order) => money(order.total, order.currency),
    user: (order) => ({ __typename: 'User', id: order.userId }),
    shippingAddress: (order) => (order.shippingAddressId ? { id: order.shippingAddressId } : null),
  },
  OrderItem: {
    product: (line) => ({ __typename: 'Product', id: line.productId }),
    unitPrice: (line) => money(line.unitPrice, line.currency),
    lineTotal: (line) => money(line.unitPrice * line.quantity, line.currency),
  },
  User: {
    __resolveReference: (reference) => ({ id: reference.id }),
    orders: async (user, args, context) =>
      context.orders.listOfUser(requireIdentity(context.identity), user.id, args),
  },
};
