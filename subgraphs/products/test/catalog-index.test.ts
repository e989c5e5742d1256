import { CatalogIndex, type CatalogQuery } from '../src/domain/catalog-index';
import type { ProductItem } from '../src/data/items';
import { generateCatalog } from '../src/seed';

const products = generateCatalog({ count: 300, seed: 'index-test' });

function pageAll(
  index: CatalogIndex,
  query: Omit<CatalogQuery, 'after'>,
  between?: (page: number) => void,
): ProductItem[] {
  const seen: ProductItem[] = [];
  let after: CatalogQuery['after'];
  for (let page = 0; ; page++) {
    const result = index.page({ ...query, after });
    seen.push(...result.edges.map((edge) => edge.product));
    if (!result.hasNextPage) return seen;
    after = result.edges.at(-1)!.position;
    between?.(page);
  }
}

describe('the catalog index', () => {
  let index: CatalogIndex;
  beforeEach(() => {
    index = new CatalogIndex();
    index.replaceAll(products);
  });

  it.each(['NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'RATING', 'RELEVANCE'] as const)(
    'lists every product exactly once in %s order, whatever the page size',
    (sort) => {
      for (const first of [1, 7, 100]) {
        const seen = pageAll(index, { sort, first, filter: {} });
        expect(seen.map((product) => product.id).sort()).toEqual(
          products.map((product) => product.id).sort(),
        );
      }
    },
  );

  it('neither repeats nor skips the products that stay while others are added, removed or repriced', () => {
    const untouched = new Set(products.slice(100).map((product) => product.id));
    const seen = pageAll(index, { sort: 'PRICE_ASC', first: 20, filter: {} }, (page) => {
      index.remove(products[page]!.id);
      index.upsert({ ...products[50 + page]!, priceAmount: 1, version: 2 });
      index.upsert({
        ...products[0]!,
        id: `new-${page}`,
        sku: `NEW-${page}`,
        priceAmount: 10 ** 9,
        version: 1,
      });
    });
    const seenIds = seen.map((product) => product.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    expect(seenIds.filter((id) => untouched.has(id)).sort()).toEqual([...untouched].sort());
  });

  it('filters by category, price range and stock, and counts the matches over all pages', () => {
    const filter = { category: 'kitchen', minPrice: 2_000, maxPrice: 30_000, inStock: true };
    const expected = products.filter(
      (p) => p.category === 'kitchen' && p.priceAmount >= 2_000 && p.priceAmount <= 30_000 && p.stock > 0,
    );
    const page = index.page({ sort: 'NEWEST', first: 5, filter });
    expect(page.totalCount()).toBe(expected.length);
    expect(
      pageAll(index, { sort: 'NEWEST', first: 5, filter })
        .map((p) => p.id)
        .sort(),
    ).toEqual(expected.map((p) => p.id).sort());
  });

  it('ignores an older copy of a product arriving after a newer one', () => {
    const product = products[0]!;
    expect(index.upsert({ ...product, stock: 0, version: 3 })).toBe(true);
    expect(index.upsert({ ...product, stock: 99, version: 2 })).toBe(false);
    expect(index.get(product.id)?.stock).toBe(0);
  });

  it('re-indexes changed text and forgets removed products', () => {
    const product = products[0]!;
    index.upsert({ ...product, name: 'Xylophonic Gizmo', version: 2 });
    expect(
      index
        .page({ sort: 'RELEVANCE', first: 5, filter: { search: 'xylophonic' } })
        .edges.map((e) => e.product.id),
    ).toEqual([product.id]);
    index.remove(product.id);
    expect(index.page({ sort: 'RELEVANCE', first: 5, filter: { search: 'xylophonic' } }).edges).toEqual([]);
    expect(index.size).toBe(products.length - 1);
  });

  it('puts products matching every search word before those matching some, and tolerates typos', () => {
    const ranked = pageAll(index, {
      sort: 'RELEVANCE',
      first: 50,
      filter: { search: 'wireless headphones' },
    });
    const both = (p: ProductItem) =>
      /wireless/i.test(`${p.name} ${p.description}`) && /headphone/i.test(`${p.name} ${p.description}`);
    const firstPartial = ranked.findIndex((p) => !both(p));
    expect(firstPartial).toBeGreaterThan(0);
    expect(ranked.slice(firstPartial).some(both)).toBe(false);
    const typo = index.page({ sort: 'RELEVANCE', first: 3, filter: { search: 'headphnes' } });
    expect(typo.edges.length).toBe(3);
    for (const edge of typo.edges) expect(edge.product.name).toMatch(/Headphones/);
  });
});
