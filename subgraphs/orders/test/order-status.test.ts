import { GraphQLError } from 'graphql';
import { orderStatuses, type OrderStatus } from '../src/contract';
import { assertTransition, canTransition, transitions } from '../src/domain/order-status';

describe('order state machine', () => {
  it('allows the lifecycle from checkout to delivery and the cancel and refund branches', () => {
    const paths: OrderStatus[][] = [
      ['PENDING_PAYMENT', 'PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'REFUNDED'],
      ['PENDING_PAYMENT', 'PAYMENT_FAILED'],
      ['PENDING_PAYMENT', 'PAID', 'CANCELLED', 'REFUNDED'],
      ['PENDING_PAYMENT', 'PAID', 'FULFILLING', 'CANCELLED'],
    ];
    for (const path of paths) {
      for (let i = 1; i < path.length; i++)
        expect(() => assertTransition(path[i - 1]!, path[i]!)).not.toThrow();
    }
  });

  it('refuses everything else with BAD_USER_INPUT and reason ILLEGAL_TRANSITION', () => {
    let refused = 0;
    for (const from of orderStatuses) {
      for (const to of orderStatuses) {
        if (transitions[from].includes(to)) continue;
        refused += 1;
        expect(canTransition(from, to)).toBe(false);
        try {
          assertTransition(from, to);
          throw new Error(`${from} → ${to} was allowed`);
        } catch (error) {
          expect(error).toBeInstanceOf(GraphQLError);
          expect((error as GraphQLError).extensions).toMatchObject({
            code: 'BAD_USER_INPUT',
            reason: 'ILLEGAL_TRANSITION',
            from,
            to,
          });
        }
      }
    }
    expect(refused).toBe(64 - 9);
  });

  it('has terminal states and no way back from shipping to cancelling', () => {
    expect(transitions.PAYMENT_FAILED).toEqual([]);
    expect(transitions.REFUNDED).toEqual([]);
    expect(canTransition('SHIPPED', 'CANCELLED')).toBe(false);
    expect(canTransition('DELIVERED', 'CANCELLED')).toBe(false);
    expect(canTransition('PENDING_PAYMENT', 'CANCELLED')).toBe(false);
  });
});
