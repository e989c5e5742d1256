import { z } from 'zod';

export const MAX_LINE_QUANTITY = 99;
/** Checkout writes one transaction of lines + 4 items; DynamoDB allows 100. */
export const MAX_CART_LINES = 40;

export const idSchema = z.string().trim().min(1, 'must not be empty').max(128, 'is too long');

export const cartLineInputSchema = z.object({
  productId: idSchema,
  quantity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_LINE_QUANTITY, `must be at most ${MAX_LINE_QUANTITY}`),
});

export const checkoutInputSchema = z.object({
  idempotencyKey: z
    .string()
    .trim()
    .min(1, 'is required (make up a unique string, e.g. a UUID, per checkout attempt)')
    .max(128, 'is too long')
    .regex(/^[\w.:-]+$/, 'may hold only letters, digits and . _ : -'),
  shippingAddressId: idSchema.nullish(),
  paymentToken: z.string().trim().min(1, 'is required').max(200, 'is too long'),
});
export type CheckoutInput = z.infer<typeof checkoutInputSchema>;

/** An order number as shown to customers, e.g. CM-7F3A9C21B4 (any case). */
export const orderNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^CM-[0-9A-F]{10}$/, 'must look like CM-7F3A9C21B4');

export const pageSchema = z.object({ first: z.number().int().min(0).max(50) });
