/** Typed failures of the data layer; resolvers turn them into GraphQL errors with codes. */
export class ProductNotFoundError extends Error {
  override name = 'ProductNotFoundError';
  constructor(readonly productId: string) {
    super(`Product ${productId} does not exist`);
  }
}

export class DuplicateSkuError extends Error {
  override name = 'DuplicateSkuError';
  constructor(readonly sku: string) {
    super(`SKU ${sku} is already taken`);
  }
}

export class InsufficientStockError extends Error {
  override name = 'InsufficientStockError';
  constructor(
    readonly productId: string,
    readonly available: number,
  ) {
    super(`Product ${productId} has only ${available} in stock`);
  }
}

export class AlreadyReviewedError extends Error {
  override name = 'AlreadyReviewedError';
  constructor(
    readonly productId: string,
    readonly userId: string,
  ) {
    super(`User ${userId} has already reviewed product ${productId}`);
  }
}

/** A write that kept losing races with other writers of the same item. */
export class WriteContentionError extends Error {
  override name = 'WriteContentionError';
}
