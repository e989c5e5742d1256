import { parseInput, scalarResolvers } from '@cloudmart/runtime';
import { z } from 'zod';
import type { Resolvers } from '../__generated__/resolvers-types';
import { summarizeSentiment } from '../domain/insights';
import { requireAdmin } from './auth';

const money = (amount: number, currency: string) => ({ amount, currency });
const dateTime = z.coerce.date().refine((date) => !Number.isNaN(date.getTime()), 'must be a date-time');
const rangeSchema = z.object({ from: dateTime, to: dateTime });
const idSchema = z.string().trim().min(1).max(200);
/** How many live windows a client may ask for at once (an hour of 1-minute windows). */
export const MAX_LIVE_WINDOWS = 60;
const lastSchema = z.object({ last: z.number().int().min(1).max(MAX_LIVE_WINDOWS) });
const windowStartSchema = z.object({ start: dateTime });
const iso = (epochMs: number) => new Date(epochMs).toISOString();

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    salesSummary: (_parent, args, context) => {
      requireAdmin(context);
      const { from, to } = parseInput(rangeSchema, args);
      return context.insights.salesSummary(from, to, args.granularity);
    },
    topProducts: (_parent, args, context) => {
      requireAdmin(context);
      const { from, to } = parseInput(rangeSchema, args);
      return context.insights.topProducts(from, to, args.first ?? 10, args.by);
    },
    categoryBreakdown: (_parent, args, context) => {
      requireAdmin(context);
      const { from, to } = parseInput(rangeSchema, args);
      return context.insights.categoryBreakdown(from, to);
    },
    sentimentSummary: (_parent, { productId }, context) => {
      requireAdmin(context);
      return context.insights.sentimentSummary(parseInput(idSchema, productId));
    },
    liveSalesWindows: (_parent, args, context) => {
      requireAdmin(context);
      const { last } = parseInput(lastSchema, { last: args.last ?? 15 });
      return context.salesWindows.recentClosed(last);
    },
    salesWindow: async (_parent, args, context) => {
      requireAdmin(context);
      const { start } = parseInput(windowStartSchema, args);
      return (await context.salesWindows.get(start.getTime())) ?? null;
    },
  },
  SalesWindow: {
    start: (window) => iso(window.start),
    end: (window) => iso(window.end),
    revenue: (window, _args, context) => money(window.revenue, context.insights.currency),
  },
  SalesPeriod: {
    revenue: (row, _args, context) => money(row.revenue, context.insights.currency),
    averageOrderValue: (row, _args, context) => money(row.averageOrderValue, context.insights.currency),
  },
  ProductSales: {
    product: (row) => ({ __typename: 'Product', id: row.productId }),
    revenue: (row, _args, context) => money(row.revenue, context.insights.currency),
  },
  CategorySales: {
    revenue: (row, _args, context) => money(row.revenue, context.insights.currency),
  },
  Product: {
    __resolveReference: (reference) => ({ id: reference.id }),
    sentiment: async (product, _args, context) => {
      requireAdmin(context);
      return summarizeSentiment(product.id, await context.loaders.sentimentsByProduct.load(product.id));
    },
  },
  Review: {
    // The gateway sends the reviews of a page in one _entities fetch: the sentiment of them all
    // comes from one BatchGetItem through the DataLoader.
    __resolveReference: (reference) => ({ id: reference.id }),
    sentiment: async (review, _args, context) => {
      requireAdmin(context);
      const item = await context.loaders.sentimentByReviewId.load(review.id);
      if (!item || item.status !== 'ANALYSED' || !item.label || item.score === undefined) return null;
      return { label: item.label, score: item.score };
    },
  },
};
