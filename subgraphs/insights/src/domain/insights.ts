// The questions the insights subgraph answers, on top of the warehouse and the sentiment store.
import { badUserInput } from '@cloudmart/runtime';
import type { SentimentItem, SentimentStore } from '../data/sentiment-store';
import { labelOfScore, roundScore, type SentimentLabel } from '../services/sentiment/sentiment';
import type { Granularity, Warehouse } from '../services/warehouse/warehouse';
import { divideHalfUp, periodsBetween } from './periods';

export const MAX_PERIODS = 1_000;

export interface SalesPeriod {
  periodStart: Date;
  revenue: number;
  orders: number;
  averageOrderValue: number;
}

export interface SentimentSummary {
  productId: string;
  reviewCount: number;
  positive: number;
  neutral: number;
  negative: number;
  mixed: number;
  averageScore: number | null;
  label: SentimentLabel | null;
}

export function summarizeSentiment(productId: string, items: readonly SentimentItem[]): SentimentSummary {
  const analysed = items.filter(
    (item) => item.status === 'ANALYSED' && item.label && item.score !== undefined,
  );
  const count = (label: SentimentLabel) => analysed.filter((item) => item.label === label).length;
  const averageScore =
    analysed.length === 0
      ? null
      : roundScore(analysed.reduce((sum, item) => sum + item.score!, 0) / analysed.length);
  return {
    productId,
    reviewCount: analysed.length,
    positive: count('POSITIVE'),
    neutral: count('NEUTRAL'),
    negative: count('NEGATIVE'),
    mixed: count('MIXED'),
    averageScore,
    label: averageScore === null ? null : labelOfScore(averageScore),
  };
}

export class Insights {
  constructor(
    private readonly warehouse: Warehouse,
    private readonly sentiment: SentimentStore,
    readonly currency: string,
  ) {}

  private range(from: Date, to: Date) {
    if (!(from < to))
      throw badUserInput('`from` must be before `to`.', {
        fields: [{ path: 'from', message: 'must be before to' }],
      });
    return { from, to, currency: this.currency };
  }

  /** One row per period overlapping [from, to), empty periods included. */
  async salesSummary(from: Date, to: Date, granularity: Granularity): Promise<SalesPeriod[]> {
    const range = this.range(from, to);
    const periods = periodsBetween(from, to, granularity, MAX_PERIODS);
    if (!periods)
      throw badUserInput(`At most ${MAX_PERIODS} periods: use a shorter range or a coarser granularity.`);
    const sales = new Map(
      (await this.warehouse.salesByPeriod(range, granularity)).map((row) => [row.periodStart.getTime(), row]),
    );
    return periods.map((periodStart) => {
      const row = sales.get(periodStart.getTime());
      const revenue = row?.revenue ?? 0;
      const orders = row?.orders ?? 0;
      return { periodStart, revenue, orders, averageOrderValue: divideHalfUp(revenue, orders) };
    });
  }

  async topProducts(from: Date, to: Date, first: number, by: 'REVENUE' | 'UNITS') {
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw badUserInput('`first` must be between 1 and 100.');
    return this.warehouse.topProducts(this.range(from, to), first, by);
  }

  async categoryBreakdown(from: Date, to: Date) {
    return this.warehouse.categoryBreakdown(this.range(from, to));
  }

  async sentimentSummary(productId: string): Promise<SentimentSummary> {
    return summarizeSentiment(productId, await this.sentiment.byProduct(productId));
  }
}
