import { z } from 'zod';
import { unshardedValue } from '@cloudmart/runtime';
import { orderStatuses } from '../contract';

/** The stored shapes; items read back are parsed, so a malformed item fails at the boundary. */
export const cartLineSchema = z.object({ productId: z.string(), quantity: z.number().int() });
export type CartLine = z.infer<typeof cartLineSchema>;

export const cartItemSchema = z.object({
  userId: z.string(),
  lines: z.array(cartLineSchema),
  /** Bumped by every write; writes are conditioned on it (optimistic concurrency). */
  version: z.number().int(),
  updatedAt: z.string(),
});
export type CartItem = z.infer<typeof cartItemSchema>;

export const orderLineSchema = z.object({
  productId: z.string(),
  quantity: z.number().int(),
  /** Minor units, from the products table at checkout. */
  unitPrice: z.number().int(),
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const orderItemSchema = z.object({
  id: z.string(),
  number: z.string(),
  userId: z.string(),
  status: z.enum(orderStatuses),
  currency: z.string(),
  lines: z.array(orderLineSchema),
  subtotal: z.number().int(),
  tax: z.number().int(),
  shipping: z.number().int(),
  total: z.number().int(),
  shippingAddressId: z.string().optional(),
  events: z.array(z.object({ status: z.enum(orderStatuses), at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

/**
 * What the payment sweeper still has to do for an order (the sparse byPaymentAction index, see
 * tables.ts): AUTHORIZE a PENDING_PAYMENT order's payment, or VOID any authorization of an order
 * it gave up on.
 */
export const paymentActions = ['AUTHORIZE', 'VOID'] as const;
export type PaymentAction = (typeof paymentActions)[number];

/** An order as the payment sweeper reads it: with its action and, until settled, the payment token. */
export const sweptOrderSchema = orderItemSchema.extend({
  /** Stored with its index shard (`AUTHORIZE#07`, or bare from before sharding); read as the action. */
  paymentAction: z.string().transform(unshardedValue).pipe(z.enum(paymentActions)).optional(),
  /** The provider token checkout was given (never a card number); dropped when the payment settles. */
  paymentToken: z.string().optional(),
});
export type SweptOrder = z.infer<typeof sweptOrderSchema>;

/** What checkout needs from the products table (its contract: see runtime's tables.ts). */
export const productPriceSchema = z.object({
  id: z.string(),
  name: z.string(),
  priceAmount: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
});
export type ProductPrice = z.infer<typeof productPriceSchema>;
