import { z } from 'zod';

/** The stored shapes; items read back are parsed, so a malformed item fails at the boundary. */
export const paymentStatuses = ['AUTHORIZED', 'CAPTURED', 'DECLINED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const paymentItemSchema = z.object({
  /** The order's id: one payment per order, so Order.payment is a key lookup. */
  orderId: z.string(),
  id: z.string(),
  /** The order's owner, who (with admins) may read the payment. */
  userId: z.string(),
  status: z.enum(paymentStatuses),
  /** Minor units. */
  amount: z.number().int(),
  currency: z.string(),
  brand: z.string(),
  last4: z.string(),
  /** The provider's id of the authorization; absent when declined. */
  providerRef: z.string().optional(),
  declineCode: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type PaymentItem = z.infer<typeof paymentItemSchema>;

/** One line of the append-only ledger. */
export interface LedgerEntry {
  paymentId: string;
  /** The entry type; the sort key, so each happens at most once per payment. */
  entry: PaymentStatus;
  orderId: string;
  amount: number;
  currency: string;
  providerRef?: string;
  declineCode?: string;
  idempotencyKey: string;
  /** Who caused it (user id). */
  actor: string;
  at: string;
}
