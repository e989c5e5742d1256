// The data `npm run eval:recs` evaluates on: the demo catalog (products seed) and an order
// history over it (orders seed), both generated from seeds, as the services would store them,
// turned into what the recommender learns from.
import { generateOrderHistory } from '@cloudmart/orders/seed';
import { generateCatalog } from '@cloudmart/products/seed';
import type { CatalogProduct, Purchase } from '@cloudmart/recommendations/engine';

export interface DatasetOptions {
  products: number;
  orders: number;
  seed: string;
  /** The history ends here (epoch ms) and spans `days` days. */
  end: number;
  days: number;
}

export interface Dataset {
  catalog: CatalogProduct[];
  purchases: Purchase[];
}

export function buildDataset(options: DatasetOptions): Dataset {
  const products = generateCatalog({ count: options.products, seed: `${options.seed}-catalog` });
  const history = generateOrderHistory(products, {
    count: options.orders,
    seed: `${options.seed}-orders`,
    end: options.end,
    days: options.days,
    pricing: { taxRateBasisPoints: 800, shippingFee: 599, freeShippingMin: 5_000 },
  });
  return {
    catalog: products.map(({ id, name, description, brand, category, stock }) => ({
      id,
      name,
      description,
      brand,
      category,
      stock,
    })),
    // What the recommendations service's consumer keeps of each OrderPlaced event.
    purchases: history.events
      .filter((event) => event.type === 'OrderPlaced')
      .map((event) => ({
        orderId: event.orderId,
        userId: event.userId,
        at: Date.parse(event.occurredAt),
        productIds: (event.payload.items as { productId: string }[]).map((item) => item.productId),
      })),
  };
}
