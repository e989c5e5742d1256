// A seeded order history with the structure real shops have, so recommendations trained on it
// (and evaluated with `npm run eval:recs`) mean something:
// - shoppers have category affinities: most of a shopper's purchases fall in 2 or 3 categories;
// - within a category a few products sell much more than the rest (a Zipf-like curve);
// - products have companions in complementary categories (a laptop and headphones, a camera and
//   a tent) that are often bought in the same order;
// - orders are spread over the last `days` days, and each moves through its lifecycle
//   (placed, paid, fulfilling, shipped, delivered) as far as its age allows.
// Pure and deterministic: the same products, options and seed give the same orders and events.
import type { OrderItem, OrderLine } from '../data/items';
import type { OutboxEvent } from '../domain/events';
import type { OrderEventPayload, OrderEventType, OrderStatus } from '../contract';
import { orderNumber } from '../domain/orders';
import { priceOrder, type PricingRule } from '../domain/pricing';
import { Prng } from '@cloudmart/runtime';

export interface SeedProduct {
  id: string;
  category: string;
  priceAmount: number;
  currency: string;
}

export interface HistoryOptions {
  /** How many orders. */
  count: number;
  /** Same seed, same history. */
  seed?: string;
  /** The history ends at this instant (epoch ms) and starts `days` before it. */
  end: number;
  days?: number;
  pricing: PricingRule;
}

export interface Shopper {
  userId: string;
  /** The categories most of the shopper's purchases fall in. */
  favoriteCategories: string[];
}

export interface SeededHistory {
  shoppers: Shopper[];
  /** Oldest first. */
  orders: OrderItem[];
  /** Every order's events, in the order they happened. */
  events: OutboxEvent[];
}

/** Which categories are bought together. */
const COMPLEMENTS: Record<string, string[]> = {
  headphones: ['smartphones', 'laptops'],
  speakers: ['smart-home', 'smartphones'],
  laptops: ['headphones', 'furniture'],
  smartphones: ['headphones', 'cameras'],
  cameras: ['outdoor', 'smartphones'],
  'smart-home': ['speakers', 'kitchen'],
  kitchen: ['smart-home', 'furniture'],
  furniture: ['kitchen', 'laptops'],
  outdoor: ['cameras', 'fitness'],
  fitness: ['clothing', 'outdoor'],
  books: ['toys'],
  toys: ['books'],
  beauty: ['clothing'],
  clothing: ['fitness', 'beauty'],
};

/** What a history is drawn from and how long it is, unless told otherwise. */
export const DEFAULT_HISTORY_SEED = 'cloudmart-orders';
export const DEFAULT_HISTORY_DAYS = 90;

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

export function generateOrderHistory(
  products: readonly SeedProduct[],
  options: HistoryOptions,
): SeededHistory {
  const random = new Prng(options.seed ?? DEFAULT_HISTORY_SEED);
  const days = options.days ?? DEFAULT_HISTORY_DAYS;
  const start = options.end - days * DAY_MS;

  // Each category's products in a seeded "sales rank" with Zipf-like weights.
  const byCategory = new Map<string, { products: SeedProduct[]; weights: number[] }>();
  for (const product of products) {
    let entry = byCategory.get(product.category);
    if (!entry) byCategory.set(product.category, (entry = { products: [], weights: [] }));
    entry.products.push(product);
  }
  for (const entry of byCategory.values()) {
    entry.products = random.shuffle(entry.products);
    entry.weights = entry.products.map((_, rank) => 1 / (rank + 1) ** 0.9);
  }
  const categories = [...byCategory.keys()].sort();
  const drawFrom = (category: string) => {
    const entry = byCategory.get(category)!;
    return entry.products[random.weighted(entry.weights)]!;
  };

  // Companions: one or two products of complementary categories, bought with this one.
  const companions = new Map<string, SeedProduct[]>();
  for (const product of products) {
    const options = (COMPLEMENTS[product.category] ?? []).filter((category) => byCategory.has(category));
    if (options.length === 0) continue;
    const count = random.chance(0.5) ? 2 : 1;
    companions.set(
      product.id,
      Array.from({ length: count }, () => drawFrom(random.pick(options))),
    );
  }

  const shopperCount = Math.max(5, Math.round(options.count / 5));
  const shoppers: Shopper[] = Array.from({ length: shopperCount }, () => ({
    userId: random.uuid(),
    favoriteCategories: random.shuffle(categories).slice(0, random.chance(0.7) ? 2 : 3),
  }));
  // Some shoppers order far more often than others.
  const activity = shoppers.map(() => 0.2 + random.next() ** 2 * 3);
  const bought = new Map<string, Set<string>>();

  const orders: OrderItem[] = [];
  for (let n = 0; n < options.count; n++) {
    const shopper = shoppers[random.weighted(activity)]!;
    const history = bought.get(shopper.userId) ?? new Set<string>();
    bought.set(shopper.userId, history);
    const lines = new Map<string, OrderLine>();
    const add = (product: SeedProduct) => {
      if (lines.has(product.id)) return;
      lines.set(product.id, {
        productId: product.id,
        quantity: random.chance(0.85) ? 1 : 2,
        unitPrice: product.priceAmount,
      });
    };
    const baseItems = random.weighted([6, 3, 1]) + 1;
    for (let i = 0; i < baseItems; i++) {
      const category = random.chance(0.85)
        ? random.pick(shopper.favoriteCategories)
        : random.pick(categories);
      let product = drawFrom(category);
      // Shoppers seldom buy the same thing twice.
      for (let retry = 0; retry < 3 && history.has(product.id); retry++) product = drawFrom(category);
      add(product);
      const partners = companions.get(product.id) ?? [];
      for (const partner of partners) if (random.chance(0.6)) add(partner);
    }
    for (const productId of lines.keys()) history.add(productId);
    const createdAt = start + Math.floor(random.next() * days * DAY_MS);
    orders.push(buildOrder(random, shopper.userId, [...lines.values()], createdAt, options));
  }
  orders.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const events = orders.flatMap((order) => lifecycleEvents(random, order));
  return { shoppers, orders, events };
}

/** The statuses an order passes through, with how long after placing each happens. */
const LIFECYCLE: { status: OrderStatus; after: number }[] = [
  { status: 'PENDING_PAYMENT', after: 0 },
  { status: 'PAID', after: 0.01 * HOUR_MS },
  { status: 'FULFILLING', after: 20 * HOUR_MS },
  { status: 'SHIPPED', after: 44 * HOUR_MS },
  { status: 'DELIVERED', after: 4 * DAY_MS },
];

function buildOrder(
  random: Prng,
  userId: string,
  lines: OrderLine[],
  createdAtMs: number,
  options: HistoryOptions,
): OrderItem {
  const id = random.uuid();
  const totals = priceOrder(lines, options.pricing);
  const steps = LIFECYCLE.filter((step) => createdAtMs + step.after <= options.end);
  const events = steps.map((step) => ({
    status: step.status,
    at: new Date(createdAtMs + step.after).toISOString(),
  }));
  const last = events.at(-1)!;
  return {
    id,
    number: orderNumber(id),
    userId,
    status: last.status,
    currency: 'USD',
    lines,
    ...totals,
    events,
    createdAt: events[0]!.at,
    updatedAt: last.at,
  };
}

/** The outbox events the orders service would have written for this order's history. */
function lifecycleEvents(random: Prng, order: OrderItem): OutboxEvent[] {
  const envelope = <T extends OrderEventType>(
    type: T,
    occurredAt: string,
    payload: OrderEventPayload<T>,
  ): OutboxEvent => ({
    eventId: random.uuid(),
    type,
    version: 1,
    orderId: order.id,
    userId: order.userId,
    occurredAt,
    payload,
  });
  return order.events.map(({ status, at }, i) => {
    if (status === 'PENDING_PAYMENT') {
      return envelope('OrderPlaced', at, {
        number: order.number,
        currency: order.currency,
        items: order.lines,
        subtotal: order.subtotal,
        tax: order.tax,
        shipping: order.shipping,
        total: order.total,
      });
    }
    if (status === 'PAID') {
      return envelope('OrderPaid', at, {
        paymentId: `seed-payment-${order.id}`,
        amount: order.total,
        currency: order.currency,
      });
    }
    return envelope('OrderStatusChanged', at, { from: order.events[i - 1]!.status, to: status });
  });
}
