import { priceOrder } from '../src/domain/pricing';

const rule = { taxRateBasisPoints: 800, shippingFee: 599, freeShippingMin: 5_000 };
const line = (unitPrice: number, quantity: number) => ({ productId: 'p', unitPrice, quantity });

describe('pricing', () => {
  it('charges flat shipping under the threshold and none from it', () => {
    expect(priceOrder([line(4_999, 1)], rule).shipping).toBe(599);
    expect(priceOrder([line(2_500, 2)], rule).shipping).toBe(0);
  });

  it('rounds tax half up to a whole minor unit, in integers', () => {
    // 8% of 1 006 = 80.48 → 80; of 1 019 = 81.52 → 82; of 1 025 = 82 exactly; of 6 = 0.48 → 0; of 7 = 0.56 → 1.
    expect([1_006, 1_019, 1_025, 6, 7].map((amount) => priceOrder([line(amount, 1)], rule).tax)).toEqual([
      80, 82, 82, 0, 1,
    ]);
    // Half exactly rounds up: 5% of 10 = 0.5 → 1.
    expect(priceOrder([line(10, 1)], { ...rule, taxRateBasisPoints: 500 }).tax).toBe(1);
  });

  it('adds up: total = subtotal + tax + shipping', () => {
    const totals = priceOrder([line(1_999, 2), line(999, 3)], rule);
    expect(totals).toEqual({ subtotal: 6_995, tax: 560, shipping: 0, total: 7_555 });
    expect(priceOrder([], rule)).toEqual({ subtotal: 0, tax: 0, shipping: 0, total: 0 });
  });
});
