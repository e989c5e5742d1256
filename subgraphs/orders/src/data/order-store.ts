import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { getItem, getItems, shardedValue, shardValues } from '@cloudmart/runtime';
import { stockDecrementUpdate, stockRestockUpdate } from '@cloudmart/products/contract';
import { ordersTables, type OrderStatus } from '../contract';
import type { OutboxEvent } from '../domain/events';
import type { OrderTables } from './dynamo';
import { unsentValue } from './outbox-store';
import { DuplicateCheckoutError, StaleOrderError, StockShortageError, WriteConflictError } from './errors';
import {
  orderItemSchema,
  sweptOrderSchema,
  type OrderItem,
  type PaymentAction,
  type SweptOrder,
} from './items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const idempotencyRecordKey = (userId: string, idempotencyKey: string) => `${userId}#${idempotencyKey}`;

/** How long a checkout idempotency key keeps naming its order (as payment APIs do: a day). */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const PAYMENT_ACTION_INDEX = 'byPaymentAction';
const PAYMENT_ACTION_SHARDS = ordersTables.orders.globalSecondaryIndexes[2].shards;

/** The `paymentAction` an order is stored with: the action and the order's shard of byPaymentAction. */
const paymentActionValue = (action: PaymentAction, orderId: string) =>
  shardedValue(action, orderId, PAYMENT_ACTION_SHARDS);

/** Where a page of a user's orders stops: the byUser index's key of its last order. */
export interface OrderPageKey {
  id: string;
  userId: string;
  createdAt: string;
}

/**
 * Orders and everything written with them. Each state change is one TransactWriteItems holding
 * the order, the stock it takes or gives back (the products table's documented contract) and
 * its outbox event, so none of them can happen without the others.
 */
export class OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: OrderTables,
  ) {}

  get(id: string): Promise<OrderItem | null> {
    return getItem(this.client, this.tables.orders, { id }, orderItemSchema);
  }

  getMany(ids: readonly string[]): Promise<OrderItem[]> {
    const keys = ids.map((id) => ({ id }));
    return getItems(this.client, this.tables.orders, keys, orderItemSchema, { consistent: true });
  }

  /**
   * The orders with this number, read consistently (normally one: numbers come from random ids).
   * The byNumber index is eventually consistent, so a just-placed order may take a moment to appear.
   */
  async getByNumber(number: string): Promise<OrderItem[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tables.orders,
        IndexName: 'byNumber',
        KeyConditionExpression: '#number = :number',
        ExpressionAttributeNames: { '#number': 'number' },
        ExpressionAttributeValues: { ':number': number },
        Limit: 10,
      }),
    );
    const ids = (result.Items ?? []).map((item) => String(item.id));
    return ids.length === 0 ? [] : this.getMany(ids);
  }

  /** A page of the user's orders, newest first (the byUser index is eventually consistent). */
  async listByUser(userId: string, limit: number, after?: OrderPageKey) {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tables.orders,
        IndexName: 'byUser',
        KeyConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': userId },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: after,
      }),
    );
    const orders = (result.Items ?? []).map((item) => orderItemSchema.parse(item));
    return { orders, hasNextPage: result.LastEvaluatedKey !== undefined };
  }

  /** The order a checkout idempotency key already made, if any. */
  async orderIdForIdempotencyKey(userId: string, idempotencyKey: string): Promise<string | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tables.idempotency,
        Key: { key: idempotencyRecordKey(userId, idempotencyKey) },
        ConsistentRead: true,
      }),
    );
    // Past its window the record may still exist (TTL deletes lazily) but no longer counts.
    if (typeof Item?.expiresAt === 'number' && Item.expiresAt <= Math.floor(Date.now() / 1000)) return null;
    return typeof Item?.orderId === 'string' ? Item.orderId : null;
  }

  /**
   * The byPaymentAction partitions holding the orders waiting for `action`: its shards, and the
   * bare action that orders placed before sharding still hold until they settle.
   */
  paymentActionPartitions(action: PaymentAction): string[] {
    return [action, ...shardValues(action, PAYMENT_ACTION_SHARDS)];
  }

  /**
   * Orders waiting for the payment sweeper to take `action`, oldest first within one partition of
   * paymentActionPartitions(action), read consistently with what the sweeper needs (the payment
   * token): a page of the sparse byPaymentAction index (see the orderOutbox table in contract.ts), then the orders themselves,
   * since the index is eventually consistent. `AUTHORIZE` orders placed at or after
   * `createdBefore` are left out (their checkout may still be running).
   */
  async awaitingPaymentAction(
    action: PaymentAction,
    {
      partition,
      createdBefore,
      limit,
      after,
    }: { partition: string; createdBefore?: string; limit: number; after?: Record<string, unknown> },
  ): Promise<{ orders: SweptOrder[]; next?: Record<string, unknown> }> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tables.orders,
        IndexName: PAYMENT_ACTION_INDEX,
        KeyConditionExpression: createdBefore
          ? 'paymentAction = :partition AND createdAt < :before'
          : 'paymentAction = :partition',
        ExpressionAttributeValues: {
          ':partition': partition,
          ...(createdBefore ? { ':before': createdBefore } : {}),
        },
        ScanIndexForward: true,
        Limit: limit,
        ExclusiveStartKey: after,
      }),
    );
    const keys = (page.Items ?? []).map((item) => ({ id: String(item.id) }));
    const swept = await getItems(this.client, this.tables.orders, keys, sweptOrderSchema, {
      consistent: true,
    });
    const orders = swept
      .filter((order) => order.paymentAction === action)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return { orders, next: page.LastEvaluatedKey };
  }

  /** Ends a given-up order's VOID action, once payments has confirmed that nothing of it is held. */
  async paymentVoided(orderId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.orders,
          Key: { id: orderId },
          UpdateExpression: 'REMOVE paymentAction',
          // 'VOID#<shard>', or a bare 'VOID' from before sharding.
          ConditionExpression: 'begins_with(paymentAction, :void)',
          ExpressionAttributeValues: { ':void': 'VOID' satisfies PaymentAction },
        }),
      );
    } catch (error) {
      // Another sweeper recorded it first.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Checkout's one transaction: a conditional stock decrement per line (items 0..n-1, so a
   * cancellation reason's index names the product), the order, the idempotency record, the
   * OrderPlaced event, and the cart's deletion (conditioned on the version that was priced).
   * The order goes on the payment sweeper's list (`paymentAction: AUTHORIZE`) with the payment
   * token, until its payment is settled.
   */
  async place(
    order: OrderItem,
    idempotencyKey: string,
    cartVersion: number,
    event: OutboxEvent,
    paymentToken: string,
  ): Promise<void> {
    const stored = { ...order, paymentAction: paymentActionValue('AUTHORIZE', order.id), paymentToken };
    const items: TransactItem[] = [
      // The products table's contract: a line that would take stock below 0 cancels the transaction.
      ...order.lines.map((line) =>
        stockDecrementUpdate(this.tables.products, line.productId, line.quantity, order.createdAt),
      ),
      {
        Put: { TableName: this.tables.orders, Item: stored, ConditionExpression: 'attribute_not_exists(id)' },
      },
      {
        Put: {
          TableName: this.tables.idempotency,
          Item: {
            key: idempotencyRecordKey(order.userId, idempotencyKey),
            orderId: order.id,
            createdAt: order.createdAt,
            expiresAt: epochSeconds(order.createdAt) + IDEMPOTENCY_WINDOW_SECONDS,
          },
          // A record past its window (not yet deleted by TTL) may be replaced.
          ConditionExpression: 'attribute_not_exists(#key) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#key': 'key', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': epochSeconds(order.createdAt) },
        },
      },
      this.outboxPut(event, 0, 0),
      {
        Delete: {
          TableName: this.tables.carts,
          Key: { userId: order.userId },
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': cartVersion },
        },
      },
    ];
    const n = order.lines.length;
    await this.transact(items, (index) => {
      if (index < n) return new StockShortageError(order.lines[index]!.productId);
      if (index === n + 1) return new DuplicateCheckoutError();
      return new WriteConflictError('order or cart changed');
    });
  }

  /**
   * Moves an order from `from` to `to` (conditioned on `from`), appending to its history and
   * writing its events; `releaseStock` puts the lines' units back on sale in the same transaction.
   * Leaving PENDING_PAYMENT also takes the order off the payment sweeper's list and drops the
   * payment token — or, with `voidPayment` (the sweeper gave up without an answer from payments),
   * puts it on the list as VOID. Returns the order as written.
   */
  async transition(
    order: OrderItem,
    to: OrderStatus,
    events: OutboxEvent[],
    { releaseStock = false, voidPayment = false }: { releaseStock?: boolean; voidPayment?: boolean } = {},
  ): Promise<OrderItem> {
    const at = events[0]?.occurredAt ?? new Date().toISOString();
    const settlesPayment = order.status === 'PENDING_PAYMENT';
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tables.orders,
          Key: { id: order.id },
          UpdateExpression:
            'SET #status = :to, updatedAt = :at, events = list_append(events, :event)' +
            (settlesPayment && voidPayment ? ', paymentAction = :void REMOVE paymentToken' : '') +
            (settlesPayment && !voidPayment ? ' REMOVE paymentAction, paymentToken' : ''),
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to,
            ':from': order.status,
            ':at': at,
            ':event': [{ status: to, at }],
            ...(settlesPayment && voidPayment ? { ':void': paymentActionValue('VOID', order.id) } : {}),
          },
        },
      },
      ...(releaseStock
        ? order.lines.map((line) =>
            stockRestockUpdate(this.tables.products, line.productId, line.quantity, at),
          )
        : []),
      // The order's history length only grows (each transition is conditioned on the status):
      // it numbers this change's events after every earlier one of the same order.
      ...events.map((event, i) => this.outboxPut(event, order.events.length, i)),
    ];
    await this.transact(items, (index) =>
      index === 0
        ? new StaleOrderError(`order ${order.id} is no longer ${order.status}`)
        : new WriteConflictError('write conflict'),
    );
    return { ...order, status: to, updatedAt: at, events: [...order.events, { status: to, at }] };
  }

  /**
   * An outbox item, waiting for the relay: `unsent`/`unsentOrder` put it in the sparse `unsent`
   * index (see the orderOutbox table in contract.ts), and `sequence` orders it among its order's events even when two share
   * a timestamp. `change` numbers the order's state change, `index` the event within it.
   */
  private outboxPut(event: OutboxEvent, change: number, index: number): TransactItem {
    return {
      Put: {
        TableName: this.tables.outbox,
        Item: outboxItem(event, change, index),
        ConditionExpression: 'attribute_not_exists(eventId)',
      },
    };
  }

  /**
   * Sends a transaction. A ConditionalCheckFailed reason becomes the error `onConditionFailed`
   * makes for that item's index (the first such item wins, in index order); a cancellation
   * without one (TransactionConflict: another transaction held an item) is a WriteConflictError,
   * which callers retry.
   */
  private async transact(items: TransactItem[], onConditionFailed: (index: number) => Error): Promise<void> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons
        .map((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? index : -1))
        .filter((index) => index >= 0);
      const errors = failed.map(onConditionFailed);
      // A duplicate outranks a stock failure: the winner may be what took the last units.
      throw (
        errors.find((candidate) => candidate instanceof DuplicateCheckoutError) ??
        errors[0] ??
        new WriteConflictError(`transaction cancelled: ${reasons.map((reason) => reason.Code).join(', ')}`)
      );
    }
  }
}

/**
 * An unsent outbox item (see outboxPut): also what the seeded history (src/seed) writes, so
 * its events reach the bus through the relay like any other.
 */
export function outboxItem(event: OutboxEvent, change: number, index: number): Record<string, unknown> {
  const sequence = `${String(change).padStart(6, '0')}.${String(index).padStart(3, '0')}`;
  return {
    ...event,
    sequence,
    unsent: unsentValue(event.orderId),
    unsentOrder: `${event.occurredAt}#${sequence}`,
  };
}
