import { z } from 'zod';
import type { ProductSort } from './__generated__/resolvers-types';
import { categoryIds } from './domain/categories';

/** Relay's `first`: at most 100 items a page, so no request can ask for the whole catalog at once. */
export const MAX_PAGE_SIZE = 100;

export const pageSizeSchema = z
  .number()
  .int()
  .min(0, 'must be 0 or more')
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`);

export const idSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const categorySchema = z
  .string()
  .refine((id) => categoryIds.includes(id), `must be one of: ${categoryIds.join(', ')}`);

export const productSorts = [
  'RELEVANCE',
  'PRICE_ASC',
  'PRICE_DESC',
  'NEWEST',
  'RATING',
] as const satisfies readonly ProductSort[];

/** Prices are integers in minor units: 1999 is $19.99. Up to 10,000,000.00 per item. */
const amountSchema = z
  .number()
  .int('must be an integer number of minor units')
  .min(0, 'must be 0 or more')
  .max(1_000_000_000, 'is too large');

export const productsArgsSchema = z
  .object({
    first: pageSizeSchema,
    after: z.string().nullish(),
    filter: z
      .object({
        category: categorySchema.nullish(),
        search: z.string().trim().max(200, 'must be at most 200 characters').nullish(),
        minPrice: amountSchema.nullish(),
        maxPrice: amountSchema.nullish(),
        inStock: z.boolean().nullish(),
      })
      .nullish(),
    sort: z.enum(productSorts).nullish(),
  })
  .refine(
    ({ filter }) => filter?.minPrice == null || filter.maxPrice == null || filter.minPrice <= filter.maxPrice,
    { path: ['filter', 'minPrice'], message: 'must not be above maxPrice' },
  );

export const reviewsArgsSchema = z.object({ first: pageSizeSchema, after: z.string().nullish() });

const imageSchema = z.object({
  url: z
    .string()
    .max(200_000, 'must be at most 200,000 characters')
    .refine((url) => /^(https:\/\/|data:image\/)/.test(url), 'must be an https: or data:image/ URL'),
  alt: text(300),
});

export const moneyInputSchema = (currency: string) =>
  z.object({
    amount: amountSchema.min(1, 'must be at least 1'),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine((code) => code === currency, `must be ${currency}, the catalog's currency`),
  });

const productFields = (currency: string) => ({
  sku: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9-]{2,39}$/, 'must be 3 to 40 letters, digits or dashes'),
  name: text(200),
  description: text(5_000),
  brand: text(100),
  category: categorySchema,
  price: moneyInputSchema(currency),
  images: z.array(imageSchema).max(10, 'must be at most 10 images'),
});

export const createProductSchema = (currency: string) => {
  const fields = productFields(currency);
  return z.object({
    ...fields,
    images: fields.images.nullish(),
    stock: z.number().int().min(0, 'must be 0 or more').max(1_000_000, 'must be at most 1,000,000'),
  });
};

/** Every field optional, null meaning "leave as it is" too; at least one must change. */
export const updateProductSchema = (currency: string) => {
  const fields = productFields(currency);
  return z
    .object(
      Object.fromEntries(Object.entries(fields).map(([name, schema]) => [name, schema.nullish()])) as {
        [K in keyof typeof fields]: z.ZodOptional<z.ZodNullable<(typeof fields)[K]>>;
      },
    )
    .refine(
      (input) => Object.values(input).some((value) => value != null),
      'name at least one field to change',
    );
};

export const adjustInventorySchema = z.object({
  productId: idSchema,
  delta: z
    .number()
    .int()
    .refine((delta) => delta !== 0, 'must not be 0')
    .refine((delta) => Math.abs(delta) <= 1_000_000, 'must be between -1,000,000 and 1,000,000'),
});

export const addReviewSchema = z.object({
  productId: idSchema,
  rating: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be from 1 to 5')
    .max(5, 'must be from 1 to 5'),
  title: text(200),
  body: text(5_000),
});
