/** Typed failures of the data layer; the domain turns them into GraphQL errors with codes. */

/** A line's stock condition failed: the product has fewer units than the line asks for (or is gone). */
export class StockShortageError extends Error {
  override name = 'StockShortageError';
  constructor(readonly productId: string) {
    super(`Not enough stock for product ${productId}`);
  }
}

/** The idempotency record exists: another request with the same key placed the order. */
export class DuplicateCheckoutError extends Error {
  override name = 'DuplicateCheckoutError';
}

/** A conditional write lost a race (the cart or order changed, or DynamoDB saw a conflicting transaction). */
export class WriteConflictError extends Error {
  override name = 'WriteConflictError';
}

/** The order's status is no longer the one the change was computed from. */
export class StaleOrderError extends Error {
  override name = 'StaleOrderError';
}
