import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getItem, getItems } from '@cloudmart/runtime';
import type { PaymentTables } from '.';
import { paymentItemSchema, type LedgerEntry, type PaymentItem, type PaymentStatus } from './items';

/** Another writer got there first (the payment exists, or its status moved on). */
export class PaymentWriteConflict extends Error {
  override name = 'PaymentWriteConflict';
}

/**
 * Payments and their ledger. Every change to a payment is one transaction: the payment's new
 * status (conditioned on the old one) and a ledger entry that can only be created once.
 */
export class PaymentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: PaymentTables,
  ) {}

  get(orderId: string): Promise<PaymentItem | null> {
    return getItem(this.client, this.tables.payments, { orderId }, paymentItemSchema);
  }

  /** For Order.payment: one BatchGetItem for every order in a gateway fetch (≤ 100, as DataLoader batches). */
  getMany(orderIds: readonly string[]): Promise<PaymentItem[]> {
    const keys = orderIds.map((orderId) => ({ orderId }));
    return getItems(this.client, this.tables.payments, keys, paymentItemSchema);
  }

  /** Creates the payment with its first ledger entry; PaymentWriteConflict if one exists already. */
  async create(payment: PaymentItem, entry: LedgerEntry): Promise<void> {
    await this.transact([
      {
        Put: {
          TableName: this.tables.payments,
          Item: payment,
          ConditionExpression: 'attribute_not_exists(orderId)',
        },
      },
      this.ledgerPut(entry),
    ]);
  }

  /** Moves the payment from `from` to the entry's status, appending the entry. */
  async transition(payment: PaymentItem, from: PaymentStatus, entry: LedgerEntry): Promise<void> {
    await this.transact([
      {
        Update: {
          TableName: this.tables.payments,
          Key: { orderId: payment.orderId },
          UpdateExpression: 'SET #status = :to, updatedAt = :now',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': entry.entry, ':from': from, ':now': entry.at },
        },
      },
      this.ledgerPut(entry),
    ]);
  }

  private ledgerPut(entry: LedgerEntry) {
    return {
      Put: {
        TableName: this.tables.ledger,
        Item: entry,
        // Append-only: an entry is never overwritten.
        ConditionExpression: 'attribute_not_exists(paymentId)',
      },
    };
  }

  private async transact(
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
  ) {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new PaymentWriteConflict(error.message);
      throw error;
    }
  }
}
