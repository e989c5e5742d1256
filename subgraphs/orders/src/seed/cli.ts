// npm run seed -w @cloudmart/orders: writes a generated order history (SEED_ORDER_COUNT orders
// over the last 90 days, over the products already in the products table) when the orders table
// is empty, or finishes one that was interrupted. Its events go to the outbox, and the relay of a
// running orders service publishes them.
import { createLogger } from '@cloudmart/runtime';
import { loadOrdersConfig } from '../config';
import { openOrdersData } from '../data';
import { seedOrderHistory } from './load';

async function main() {
  const config = loadOrdersConfig();
  const log = createLogger('orders-seed', config.LOG_LEVEL);
  const data = await openOrdersData(config);
  try {
    const written = await seedOrderHistory(data, {
      count: config.SEED_ORDER_COUNT,
      pricing: {
        taxRateBasisPoints: config.TAX_RATE_BASIS_POINTS,
        shippingFee: config.SHIPPING_FEE,
        freeShippingMin: config.FREE_SHIPPING_MIN,
      },
      log,
    });
    if (written === 0)
      log.info('the history was seeded already, orders exist, or there is no catalog: nothing seeded');
  } finally {
    data.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
