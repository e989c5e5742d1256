export { generateCatalog, type CatalogOptions } from './generate';
export { loadProducts, seedDemoCatalog } from './load';
