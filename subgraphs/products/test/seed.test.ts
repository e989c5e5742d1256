import { categories } from '../src/domain/categories';
import { productItemSchema } from '../src/data/items';
import { generateCatalog } from '../src/seed';

describe('the demo catalog generator', () => {
  const catalog = generateCatalog({ count: 2_000 });

  it('is deterministic: the same seed gives the same catalog, another seed another one', () => {
    expect(generateCatalog({ count: 2_000 })).toEqual(catalog);
    const other = generateCatalog({ count: 2_000, seed: 'another-seed' });
    expect(other.map((product) => product.id)).not.toEqual(catalog.map((product) => product.id));
    // A smaller catalog is a prefix of a bigger one: tests can seed less and expect the same products.
    expect(generateCatalog({ count: 50 })).toEqual(catalog.slice(0, 50));
  });

  it('makes at least 2,000 well-formed products with unique ids and SKUs over at least 12 categories', () => {
    expect(catalog).toHaveLength(2_000);
    for (const product of catalog) expect(productItemSchema.parse(product)).toEqual(product);
    expect(new Set(catalog.map((product) => product.id)).size).toBe(2_000);
    expect(new Set(catalog.map((product) => product.sku)).size).toBe(2_000);
    const used = new Set(catalog.map((product) => product.category));
    expect(used.size).toBeGreaterThanOrEqual(12);
    expect([...used].sort()).toEqual(categories.map((category) => category.id).sort());
  });

  it('prices in positive integer minor units and stocks some products out, some low, most plenty', () => {
    for (const product of catalog) {
      expect(Number.isInteger(product.priceAmount)).toBe(true);
      expect(product.priceAmount).toBeGreaterThan(0);
      expect(product.stock).toBeGreaterThanOrEqual(0);
    }
    const soldOut = catalog.filter((product) => product.stock === 0).length;
    const low = catalog.filter((product) => product.stock > 0 && product.stock < 10).length;
    expect(soldOut).toBeGreaterThan(50);
    expect(low).toBeGreaterThan(50);
    expect(soldOut + low).toBeLessThan(catalog.length / 2);
  });

  it('has headphones both wireless and wired, so searching for them means something', () => {
    const headphones = catalog.filter((product) => product.category === 'headphones');
    const wireless = headphones.filter((product) =>
      /wireless/i.test(`${product.name} ${product.description}`),
    );
    expect(wireless.length).toBeGreaterThan(20);
    expect(headphones.length - wireless.length).toBeGreaterThan(20);
    expect(
      catalog.some((product) =>
        /^\w+( \w+)? Wireless( Noise-Cancelling)? (Over-Ear |On-Ear )?Headphones$/.test(product.name),
      ),
    ).toBe(true);
  });

  it('draws pictures locally as SVG data URLs, with alt text', () => {
    for (const product of catalog.slice(0, 100)) {
      expect(product.images.length).toBeGreaterThan(0);
      for (const image of product.images) {
        expect(image.url).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
        expect(decodeURIComponent(image.url)).toContain(product.brand.replace('&', '&amp;'));
        expect(image.alt).toContain(product.name);
      }
    }
  });
});
