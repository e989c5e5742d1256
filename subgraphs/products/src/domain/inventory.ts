import type { InventoryStatus } from '../__generated__/resolvers-types';

/** Below this many units a product shows as LOW_STOCK, so shoppers know to hurry. */
export const LOW_STOCK_THRESHOLD = 10;

export function inventoryStatus(stock: number): InventoryStatus {
  if (stock <= 0) return 'OUT_OF_STOCK';
  return stock < LOW_STOCK_THRESHOLD ? 'LOW_STOCK' : 'IN_STOCK';
}

/** Mean rating to two decimals; null before the first review. Ratings are not money: a float is fine. */
export function averageRating(ratingSum: number, ratingCount: number): number | null {
  return ratingCount === 0 ? null : Math.round((ratingSum / ratingCount) * 100) / 100;
}
