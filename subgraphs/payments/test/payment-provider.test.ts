import { ProviderRequestError, SimulatedPaymentProvider } from '../src/services/payment-provider';

const request = (paymentToken: string, idempotencyKey = `key-${paymentToken}`) => ({
  amount: 1_000,
  currency: 'USD',
  paymentToken,
  idempotencyKey,
});

describe('simulated payment provider', () => {
  it('approves tok_visa and tok_mastercard and declines tok_chargeDeclined and tok_insufficientFunds', async () => {
    const provider = new SimulatedPaymentProvider();
    await expect(provider.authorize(request('tok_visa'))).resolves.toMatchObject({
      approved: true,
      brand: 'visa',
      last4: '4242',
    });
    await expect(provider.authorize(request('tok_mastercard'))).resolves.toMatchObject({
      approved: true,
      brand: 'mastercard',
      last4: '4444',
    });
    await expect(provider.authorize(request('tok_chargeDeclined'))).resolves.toMatchObject({
      approved: false,
      declineCode: 'card_declined',
    });
    await expect(provider.authorize(request('tok_insufficientFunds'))).resolves.toMatchObject({
      approved: false,
      declineCode: 'insufficient_funds',
    });
    await expect(provider.authorize(request('tok_madeUp'))).resolves.toMatchObject({
      approved: false,
      declineCode: 'invalid_token',
    });
  });

  it('answers a repeated idempotency key with the first result and runs it once', async () => {
    const provider = new SimulatedPaymentProvider();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => provider.authorize(request('tok_visa', 'same'))),
    );
    expect(new Set(results.map((result) => (result.approved ? result.providerRef : '')))).toHaveProperty(
      'size',
      1,
    );
    expect(provider.executed.authorize).toBe(1);
    const settle = { providerRef: 'ref', amount: 1_000, currency: 'USD', idempotencyKey: 'capture-1' };
    await provider.capture(settle);
    await provider.capture(settle);
    expect(provider.executed.capture).toBe(1);
  });

  it('refuses one key reused for a different request', async () => {
    const provider = new SimulatedPaymentProvider();
    await provider.authorize(request('tok_visa', 'k'));
    await expect(provider.authorize({ ...request('tok_visa', 'k'), amount: 2_000 })).rejects.toBeInstanceOf(
      ProviderRequestError,
    );
  });
});
