/**
 * Tax and shipping, the one documented rule (all integers, minor units):
 * - subtotal = Σ unitPrice × quantity;
 * - shipping = 0 when subtotal ≥ freeShippingMin, otherwise shippingFee (an empty order ships free);
 * - tax = subtotal × taxRateBasisPoints / 10 000, rounded half up to a minor unit (tax on goods only);
 * - total = subtotal + tax + shipping.
 */
export interface PricingRule {
  taxRateBasisPoints: number;
  shippingFee: number;
  freeShippingMin: number;
}

export interface PricedLine {
  productId: string;
  quantity: number;
  unitPrice: number;
}

export interface Totals {
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
}

export function priceOrder(lines: readonly PricedLine[], rule: PricingRule): Totals {
  const subtotal = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const shipping = subtotal === 0 || subtotal >= rule.freeShippingMin ? 0 : rule.shippingFee;
  // Half up in integers: floor((x + 5 000) / 10 000), no floating point on money.
  const tax = Math.floor((subtotal * rule.taxRateBasisPoints + 5_000) / 10_000);
  if (!Number.isSafeInteger(subtotal * rule.taxRateBasisPoints))
    throw new RangeError('order total too large');
  return { subtotal, tax, shipping, total: subtotal + tax + shipping };
}
