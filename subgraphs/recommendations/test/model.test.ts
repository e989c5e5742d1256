import { RecommendationModel } from '../src/domain/engine/model';
import { hitRateAt, ndcgAt } from '../src/domain/engine/metrics';
import { TextIndex, tokenize } from '../src/domain/engine/text-index';
import type { CatalogProduct, Purchase } from '../src/domain/engine/types';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2026-11-01T00:00:00Z');

const product = (id: string, category: string, name: string, brand = 'Acme'): CatalogProduct => ({
  id,
  name,
  description: `The ${name.toLowerCase()} by ${brand}.`,
  brand,
  category,
  stock: 10,
});

const catalog = [
  product('laptop-1', 'laptops', 'Aurora Ultrabook Laptop'),
  product('laptop-2', 'laptops', 'Nimbus Gaming Laptop'),
  product('phones-1', 'headphones', 'Aurora Wireless Noise-Cancelling Headphones', 'Sonic'),
  product('phones-2', 'headphones', 'Pulse Wired Studio Headphones', 'Sonic'),
  product('tent-1', 'outdoor', 'Summit Two-Person Tent', 'Trail'),
  product('tent-2', 'outdoor', 'Ridge Four-Person Tent', 'Trail'),
  product('stove-1', 'outdoor', 'Camp Stove', 'Trail'),
  product('book-1', 'books', 'A Field Guide to Birds', 'Press'),
];

let orderSeq = 0;
const order = (userId: string, productIds: string[], daysAgo: number): Purchase => ({
  orderId: `o${++orderSeq}`,
  userId,
  at: NOW - daysAgo * DAY,
  productIds,
});

describe('TextIndex', () => {
  it('tokenizes without stop words, numbers or accents', () => {
    expect(tokenize('The Café of 2026: Noise-Cancelling & more')).toEqual(['cafe', 'noise', 'cancelling']);
  });

  it('finds products with shared words, brand and category more similar', () => {
    const index = new TextIndex(catalog);
    const similar = index.similarities('tent-1');
    expect(similar.has('tent-1')).toBe(false);
    expect(similar.get('tent-2')!).toBeGreaterThan(similar.get('stove-1')!);
    expect(similar.get('stove-1')!).toBeGreaterThan(similar.get('laptop-1') ?? 0);
  });
});

describe('RecommendationModel', () => {
  const purchases = [
    // laptop-1 and phones-1 are bought together again and again; recently.
    order('u1', ['laptop-1', 'phones-1'], 2),
    order('u2', ['laptop-1', 'phones-1'], 5),
    order('u3', ['laptop-1', 'phones-1', 'book-1'], 8),
    // laptop-1 with tent-1 once, long ago: time decay makes it count for little.
    order('u4', ['laptop-1', 'tent-1'], 200),
    order('camper', ['tent-1', 'stove-1'], 10),
    order('camper', ['tent-2'], 3),
    order('reader', ['book-1'], 1),
  ];
  const model = new RecommendationModel(purchases, catalog, { now: NOW, halfLifeDays: 30 });

  it('puts what is bought together first, never the product itself', () => {
    const similar = model.similarTo('laptop-1', 5).map((entry) => entry.productId);
    expect(similar[0]).toBe('phones-1');
    expect(similar).not.toContain('laptop-1');
    expect(similar.indexOf('tent-1')).toBeGreaterThan(similar.indexOf('laptop-2'));
  });

  it('falls back to content and popularity for a product nobody bought', () => {
    const similar = model.similarTo('laptop-2', 3).map((entry) => entry.productId);
    expect(similar[0]).toBe('laptop-1'); // same category, shared words, and the best-seller
    expect(similar).not.toContain('laptop-2');
  });

  it('recommends to a shopper from their own history, never what they bought', () => {
    const forCamper = model.forUser('camper', 3).map((entry) => entry.productId);
    expect(forCamper).not.toEqual(expect.arrayContaining(['tent-1']));
    expect(forCamper).not.toContain('stove-1');
    expect(forCamper).not.toContain('tent-2');
    const forReader = model.forUser('reader', 3).map((entry) => entry.productId);
    expect(forReader).not.toContain('book-1');
    expect(forReader).not.toEqual(forCamper);
    // The reader's book was bought with a laptop and headphones.
    expect(forReader.slice(0, 2).sort()).toEqual(['laptop-1', 'phones-1']);
  });

  it('gives a shopper without history the best-sellers', () => {
    const popular = model.popular(3).map((entry) => entry.productId);
    expect(popular[0]).toBe('laptop-1');
    expect(model.forUser('stranger', 3).map((entry) => entry.productId)).toEqual(popular);
  });
});

describe('metrics', () => {
  it('computes hit rate and NDCG with binary relevance', () => {
    const relevant = new Set(['b', 'z']);
    expect(hitRateAt(10, ['a', 'b', 'c'], relevant)).toBe(1);
    expect(hitRateAt(1, ['a', 'b', 'c'], relevant)).toBe(0);
    // One hit at rank 2 of 2 relevant: (1/log2 3) / (1 + 1/log2 3).
    expect(ndcgAt(10, ['a', 'b', 'c'], relevant)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 10);
    expect(ndcgAt(10, ['b', 'z'], relevant)).toBeCloseTo(1, 10);
  });
});
