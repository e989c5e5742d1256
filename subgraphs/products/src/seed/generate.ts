import { cyrb53SeedHash, Prng } from '@cloudmart/runtime';
import { categories } from '../domain/categories';
import type { ProductItem } from '../data/items';
import { productImages } from './images';
import { editions, lines, vocabulary } from './vocabulary';

export interface CatalogOptions {
  /** How many products; they are spread evenly over every category. */
  count: number;
  /** Same seed, same catalog. */
  seed?: string;
  currency?: string;
}

/** Seeded products were "added" over the year before this instant, so NEWEST has an order to show. */
const CATALOG_EPOCH = Date.parse('2026-01-01T00:00:00Z');
const YEAR_SECONDS = 365 * 24 * 3600;

/** Replaces every `{a-b}` with a number in that range. */
const fill = (text: string, random: Prng) =>
  text.replace(/\{(\d+)-(\d+)\}/g, (_m, a: string, b: string) => String(random.int(Number(a), Number(b))));

/**
 * A realistic demo catalog, the same on every run for the same seed: names such as "Aurora
 * Wireless Noise-Cancelling Headphones", descriptions built from the product's features, brands,
 * prices in minor units ending in .99 (spread log-uniformly over the category's range), stock
 * (some sold out, some low), and generated SVG pictures. Pure: it touches no database.
 */
export function generateCatalog({
  count,
  seed = 'cloudmart-demo',
  currency = 'USD',
}: CatalogOptions): ProductItem[] {
  const random = new Prng(seed, cyrb53SeedHash);
  const products: ProductItem[] = [];
  for (let i = 0; i < count; i++) {
    const category = categories[i % categories.length]!;
    const words = vocabulary[category.id];
    const noun = random.pick(words.nouns);
    const line = `${random.pick(lines)}${random.pick(editions)}`;
    const brand = random.pick(words.brands);
    const variants = words.groups.flatMap((group) =>
      random.chance(group.probability) ? [random.pick(group.variants)] : [],
    );
    const name = [line, ...variants.map((variant) => variant.word), noun].join(' ');
    const description = [
      `The ${line} ${noun.toLowerCase()} by ${brand}.`,
      ...variants.map((variant) => fill(variant.detail, random)),
      ...random.sample(words.details, random.int(1, 2)).map((detail) => fill(detail, random)),
    ].join(' ');

    const [low, high] = words.price;
    const dollars = Math.round(Math.exp(Math.log(low) + random.next() * (Math.log(high) - Math.log(low))));
    const priceAmount = Math.max(1, dollars) * 100 - 1;
    const stockRoll = random.next();
    const stock = stockRoll < 0.08 ? 0 : stockRoll < 0.2 ? random.int(1, 9) : random.int(10, 500);
    const createdAt = new Date(CATALOG_EPOCH - random.int(0, YEAR_SECONDS) * 1000).toISOString();
    const sku = `${words.code}-${brand.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(5, '0')}`;

    products.push({
      id: random.uuid(),
      sku,
      name,
      description,
      brand,
      category: category.id,
      priceAmount,
      currency,
      images: productImages({ name, brand, category: category.id }, random.int(0, 359)),
      stock,
      ratingSum: 0,
      ratingCount: 0,
      createdAt,
      updatedAt: createdAt,
      version: 1,
    });
  }
  return products;
}
