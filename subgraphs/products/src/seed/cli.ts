// npm run seed -w @cloudmart/products: loads the demo catalog into an empty products table, with a
// progress bar. It reads the subgraph's environment (DYNAMODB_ENDPOINT or AWS credentials, the
// table prefix, SEED_PRODUCT_COUNT). `npm start` seeds by itself; this is for a real DynamoDB.
import { createLogger } from '@cloudmart/runtime';
import { loadProductsConfig } from '../config';
import { openProductsData } from '../data';
import { seedDemoCatalog } from './load';

async function main() {
  const config = loadProductsConfig();
  const log = createLogger('products-seed', config.LOG_LEVEL);
  const data = await openProductsData(config);
  try {
    const written = await seedDemoCatalog(data, {
      count: config.SEED_PRODUCT_COUNT,
      currency: config.CATALOG_CURRENCY,
      log,
      progressBar: true,
    });
    if (written === 0) log.info('the products table is not empty: nothing seeded');
  } finally {
    data.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
