export {
  generateOrderHistory,
  type HistoryOptions,
  type SeededHistory,
  type SeedProduct,
  type Shopper,
} from './generate';
export { seedOrderHistory, type SeedOrdersOptions } from './load';
