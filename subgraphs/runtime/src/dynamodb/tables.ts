// The one list of DynamoDB tables, for every subgraph that keeps data in DynamoDB.
//
// Services create missing tables at start from these definitions (ensureTables below), and the
// Terraform tables are checked against this module, so a table is described in one place only.
// A table's full name is DYNAMODB_TABLE_PREFIX + `suffix` (e.g. "cloudmart-products").
//
// Contract other subgraphs may rely on — the products table (owner: products):
// - Partition key `id` (S), the Product's GraphQL id. Attributes other writers may touch:
//   `stock` (N): units available, an integer that never goes below 0;
//   `priceAmount` (N): price in the currency's minor units (never a float); `currency` (S): ISO 4217;
//   `version` (N): bumped by every write; `updatedAt` (S): ISO-8601 UTC.
// - Checkout (orders subgraph) decrements stock inside its own TransactWriteItems with
//     Update { Key: { id }, UpdateExpression: 'SET stock = stock - :quantity, updatedAt = :now ADD version :one',
//              ConditionExpression: 'attribute_exists(id) AND stock >= :quantity' }
//   so an order that would take stock below zero cancels the whole transaction (the cancellation
//   reason for that item is ConditionalCheckFailed). Restocking is the same with `stock + :quantity`
//   and no stock condition. Nothing else is needed: the products subgraph follows the table's stream
//   (NEW_AND_OLD_IMAGES), so its search index and `inStock` filter see the change within about a second.
// - Other attributes (name, images, ratings, …) belong to the products subgraph: read them, don't write them.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type StreamViewType,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

export interface SecondaryIndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** Which attributes the index copies; ALL unless said otherwise. */
  projection?: 'ALL' | 'KEYS_ONLY' | { include: string[] };
  /**
   * Write sharding of a sparse work-list index whose items would otherwise share one partition
   * value: an item's value is `<value>#<shard>` (shardedValue), and readers query every shard
   * (shardValues). One partition key takes at most 1,000 writes/s; see docs/capacity.md.
   */
  shards?: number;
}

export interface TableDefinition {
  /** Appended to DYNAMODB_TABLE_PREFIX to make the table's name. */
  suffix: string;
  /** The subgraph that owns the table's items (others follow the contract written above). */
  owner: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalSecondaryIndexes?: SecondaryIndexDefinition[];
  /** Turns on DynamoDB Streams with this view. */
  stream?: StreamViewType;
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes expired items. */
  ttlAttribute?: string;
}

export const tableDefinitions = {
  /** One item per product. Streamed, so the products subgraph's search index follows every writer. */
  products: {
    suffix: 'products',
    owner: 'products',
    partitionKey: { name: 'id', type: 'S' },
    stream: 'NEW_AND_OLD_IMAGES',
  },
  /** One item per SKU, claiming it for a product: written in the same transaction as the product. */
  productSkus: {
    suffix: 'product-skus',
    owner: 'products',
    partitionKey: { name: 'sku', type: 'S' },
  },
  /**
   * Reviews, by product. Sort keys: `REVIEW#<seq>` (seq = 1, 2, … per product, zero-padded, so
   * pages are BatchGetItem-able from the product's review count) and `AUTHOR#<userId>` (one per
   * author and product, the one-review-per-user guard).
   */
  productReviews: {
    suffix: 'product-reviews',
    owner: 'products',
    partitionKey: { name: 'productId', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // `byId`: a review by its GraphQL id (Review entity references). Sparse: only REVIEW# items have `id`.
    globalSecondaryIndexes: [{ name: 'byId', partitionKey: { name: 'id', type: 'S' } }],
  },
  /**
   * One item per order. `byUser` lists a user's orders newest first (User.orders); `byNumber`
   * finds an order by its human-friendly number (Query.orderByNumber; keys only, the order is then
   * read consistently). Written by checkout in the same TransactWriteItems as the stock
   * decrements, the idempotency record and the outbox event.
   *
   * `byPaymentAction` (sparse, keys only, oldest first) is the payment sweeper's work list
   * (orders/src/sweeper): `paymentAction` is 'AUTHORIZE#<shard>' from checkout until the order
   * leaves PENDING_PAYMENT (with `paymentToken`, the checkout's provider token, kept so the sweeper
   * can retry the authorization), and 'VOID#<shard>' on an order the sweeper gave up on until
   * payments has confirmed that no authorization of it is live (shard: shardedValue of the order
   * id; items written before sharding hold the bare action, and the sweeper reads those too).
   * Both are removed in the transaction that ends that state, so the index only ever holds orders
   * in flight, however large the table grows.
   */
  orders: {
    suffix: 'orders',
    owner: 'orders',
    partitionKey: { name: 'id', type: 'S' },
    globalSecondaryIndexes: [
      { name: 'byUser', partitionKey: { name: 'userId', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } },
      { name: 'byNumber', partitionKey: { name: 'number', type: 'S' }, projection: 'KEYS_ONLY' },
      {
        name: 'byPaymentAction',
        partitionKey: { name: 'paymentAction', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
        projection: 'KEYS_ONLY',
        // Every checkout writes it twice (on, then off): 1,000 checkouts/s would be 2,000 writes/s
        // on one partition value per action without shards.
        shards: 16,
      },
    ],
  },
  /** One item per signed-in user holding the whole cart; `version` guards read-modify-write. */
  carts: {
    suffix: 'carts',
    owner: 'orders',
    partitionKey: { name: 'userId', type: 'S' },
  },
  /**
   * Checkout idempotency: `key` is `<userId>#<idempotencyKey>`, created in the same transaction as
   * the order it names, so within its window one key can only ever make one order. `expiresAt`
   * (epoch seconds, 24 h after the checkout) lets DynamoDB's TTL delete old records; since TTL
   * deletes lazily, readers and the conditional write treat an expired record as absent. One more
   * item, `seed#order-history` (no expiry), records the demo order history seed's plan and
   * progress so an interrupted seed resumes (orders/src/data/history-import.ts).
   */
  checkoutIdempotency: {
    suffix: 'checkout-idempotency',
    owner: 'orders',
    partitionKey: { name: 'key', type: 'S' },
    ttlAttribute: 'expiresAt',
  },
  /**
   * The transactional outbox: one item per event, written in the same transaction as the change
   * it describes. Envelope: eventId, type, version, orderId, userId, occurredAt, payload; plus
   * `sequence` (S, the event's place among its order's events, zero-padded) and, until the outbox
   * relay (orders/src/relay) has published it, `unsent` ('UNSENT#<shard>', the shard of the
   * event's order id, so an order's events share one shard) and `unsentOrder`
   * (`<occurredAt>#<sequence>`); items written before sharding hold 'UNSENT', and the relay moves
   * them to their shard before it reads. The relay marks an item sent by setting `sentAt` and removing
   * those two, which takes it out of the sparse `unsent` index: the index only ever holds the
   * backlog, so reading it stays cheap however large the table grows (a stream would lose
   * events that wait longer than its 24 h retention during a broker outage).
   */
  orderOutbox: {
    suffix: 'order-outbox',
    owner: 'orders',
    partitionKey: { name: 'eventId', type: 'S' },
    globalSecondaryIndexes: [
      {
        name: 'unsent',
        partitionKey: { name: 'unsent', type: 'S' },
        sortKey: { name: 'unsentOrder', type: 'S' },
        // By order id, so one order's events share a shard and the relay keeps their order.
        shards: 16,
      },
    ],
    stream: 'NEW_IMAGE',
  },
  /** One payment per order, keyed by the order's id (so Order.payment batches by key). */
  payments: {
    suffix: 'payments',
    owner: 'payments',
    partitionKey: { name: 'orderId', type: 'S' },
  },
  /**
   * The append-only payment ledger: sort key is the entry type (AUTHORIZED, DECLINED, CAPTURED,
   * REFUNDED), written with attribute_not_exists, so each happens at most once per payment.
   */
  paymentLedger: {
    suffix: 'payment-ledger',
    owner: 'payments',
    partitionKey: { name: 'paymentId', type: 'S' },
    sortKey: { name: 'entry', type: 'S' },
  },
  /**
   * The recommendations subgraph's read model of order history, built from the order events
   * (consumer group `recommendations`): one item per order with its buyer, time and products,
   * and `counts: false` once the order was cancelled or its payment declined. Scanned at start to
   * rebuild the in-memory model; the bus resumes from the group's committed offset.
   */
  recommendationPurchases: {
    suffix: 'recommendation-purchases',
    owner: 'recommendations',
    partitionKey: { name: 'orderId', type: 'S' },
  },
  /**
   * Support conversations: one item per conversation holding its messages (capped, see the
   * support subgraph); `version` guards appends.
   */
  supportConversations: {
    suffix: 'support-conversations',
    owner: 'support',
    partitionKey: { name: 'id', type: 'S' },
  },
  /** Support tickets. `byUser` lists a user's newest first; `byStatus` an admin queue, oldest first. */
  supportTickets: {
    suffix: 'support-tickets',
    owner: 'support',
    partitionKey: { name: 'id', type: 'S' },
    globalSecondaryIndexes: [
      { name: 'byUser', partitionKey: { name: 'userId', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } },
      { name: 'byStatus', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } },
    ],
  },
  /**
   * Return requests started by the support assistant: one per order (keyed by the order's id and
   * written with attribute_not_exists), so asking twice never makes two returns.
   */
  supportReturns: {
    suffix: 'support-returns',
    owner: 'support',
    partitionKey: { name: 'orderId', type: 'S' },
  },
  /**
   * The sentiment of each review, computed by the insights subgraph after the review is written
   * (the reviews themselves are the products subgraph's): keyed by the review's id, the same id
   * as Review.id, so it is "stored with the review" by id while each subgraph owns its own data.
   * `byProduct` lists a product's analysed reviews (Product.sentiment, sentimentSummary).
   */
  reviewSentiment: {
    suffix: 'review-sentiment',
    owner: 'insights',
    partitionKey: { name: 'reviewId', type: 'S' },
    globalSecondaryIndexes: [
      { name: 'byProduct', partitionKey: { name: 'productId', type: 'S' }, sortKey: { name: 'reviewId', type: 'S' } },
    ],
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof tableDefinitions;

export const tableName = (prefix: string, definition: TableDefinition) => `${prefix}${definition.suffix}`;

/**
 * The shard (0..shards-1) of an id: the first 4 bytes of its SHA-256, so ids spread evenly and one
 * id always lands on the same shard (every process and release agrees, unlike a random pick).
 */
export function shardOf(id: string, shards: number): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % shards;
}

/** A sharded index's partition value for an item: `<value>#<two-digit shard of id>`. */
export const shardedValue = (value: string, id: string, shards: number) =>
  `${value}#${String(shardOf(id, shards)).padStart(2, '0')}`;

/** Every partition value of a sharded index for `value`: what a reader of the whole list queries. */
export const shardValues = (value: string, shards: number) =>
  Array.from({ length: shards }, (_, shard) => `${value}#${String(shard).padStart(2, '0')}`);

/** The value before `#<shard>` (and a value written before sharding, which has none, unchanged). */
export const unshardedValue = (value: string) => value.replace(/#\d+$/, '');

/** createDocumentClient's client: it sends the low-level table commands unchanged. */
type DynamoSender = DynamoDBDocumentClient;

function keySchemaOf(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function attributeDefinitionsOf(attributes: (KeyAttribute | undefined)[]): AttributeDefinition[] {
  const defined = attributes.filter((attribute): attribute is KeyAttribute => attribute !== undefined);
  return [...new Map(defined.map((attribute) => [attribute.name, attribute])).values()].map((attribute) => ({
    AttributeName: attribute.name,
    AttributeType: attribute.type,
  }));
}

function indexInput(index: SecondaryIndexDefinition): GlobalSecondaryIndex {
  const projection = index.projection ?? 'ALL';
  return {
    IndexName: index.name,
    KeySchema: keySchemaOf(index.partitionKey, index.sortKey),
    Projection:
      typeof projection === 'string'
        ? { ProjectionType: projection }
        : { ProjectionType: 'INCLUDE', NonKeyAttributes: projection.include },
  };
}

function createTableInput(name: string, definition: TableDefinition) {
  const keyAttributes = [
    definition.partitionKey,
    definition.sortKey,
    ...(definition.globalSecondaryIndexes ?? []).flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const attributeDefinitions = attributeDefinitionsOf(keyAttributes);
  const indexes: GlobalSecondaryIndex[] | undefined = definition.globalSecondaryIndexes?.map(indexInput);
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeDefinitions,
    KeySchema: keySchemaOf(definition.partitionKey, definition.sortKey),
    GlobalSecondaryIndexes: indexes,
    StreamSpecification: definition.stream
      ? { StreamEnabled: true, StreamViewType: definition.stream }
      : undefined,
  };
}

const TABLE_WAIT_MS = 120_000;

/** Waits until the table (and its indexes) are ACTIVE: a new table takes seconds in AWS, ~0 locally. */
async function waitUntilActive(client: DynamoSender, name: string): Promise<TableDescription> {
  const deadline = Date.now() + TABLE_WAIT_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
    const table = await describe(client, name);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return table;
    if (Date.now() > deadline)
      throw new Error(`DynamoDB table ${name} was not ACTIVE within ${TABLE_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function describe(client: DynamoSender, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** An existing table with other keys cannot be fixed at start: say so instead of failing later. */
function assertSameKeys(name: string, table: TableDescription, definition: TableDefinition) {
  const expected = keySchemaOf(definition.partitionKey, definition.sortKey);
  const actual = table.KeySchema ?? [];
  const same =
    actual.length === expected.length &&
    expected.every(
      (key, i) => actual[i]?.AttributeName === key.AttributeName && actual[i]?.KeyType === key.KeyType,
    );
  if (!same) {
    throw new Error(
      `DynamoDB table ${name} exists with key schema ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
  }
}

async function ensureStream(
  client: DynamoSender,
  name: string,
  table: TableDescription,
  definition: TableDefinition,
) {
  if (!definition.stream || table.StreamSpecification?.StreamEnabled) return;
  try {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream },
      }),
    );
  } catch (error) {
    // Another process turned the stream on first.
    if (!(error instanceof ResourceInUseException) && !/already has an enabled stream/i.test(String(error)))
      throw error;
  }
  await waitUntilActive(client, name);
}

/**
 * Adds the indexes a definition gained after its table was created (tables persist across
 * releases, e.g. under .data locally), one at a time as DynamoDB requires, waiting for each.
 */
async function ensureIndexes(
  client: DynamoSender,
  name: string,
  table: TableDescription,
  definition: TableDefinition,
) {
  const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of definition.globalSecondaryIndexes ?? []) {
    if (existing.has(index.name)) continue;
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: attributeDefinitionsOf([index.partitionKey, index.sortKey]),
          GlobalSecondaryIndexUpdates: [{ Create: indexInput(index) }],
        }),
      );
    } catch (error) {
      // Another process is adding the same index.
      if (!(error instanceof ResourceInUseException) && !/already exists/i.test(String(error))) throw error;
    }
    await waitUntilActive(client, name);
  }
}

async function ensureTtl(client: DynamoSender, name: string, definition: TableDefinition) {
  if (!definition.ttlAttribute) return;
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: definition.ttlAttribute },
      }),
    );
  } catch (error) {
    // Raced with another process enabling it (DynamoDB refuses a second change in flight).
    if (!/already enabled|TimeToLive is active|in progress/i.test(String(error))) throw error;
  }
}

/**
 * Creates the tables that do not exist yet, waits until they are ACTIVE, and turns on the streams
 * and TTL their definitions ask for. Idempotent, and safe when several processes start at once:
 * the loser of a CreateTable race gets ResourceInUseException and waits for the winner's table.
 * Returns the names of the tables this call created.
 */
export async function ensureTables(
  client: DynamoSender,
  prefix: string,
  definitions: readonly TableDefinition[],
): Promise<string[]> {
  const created: string[] = [];
  for (const definition of definitions) {
    const name = tableName(prefix, definition);
    let table = await describe(client, name);
    if (!table) {
      try {
        await client.send(new CreateTableCommand(createTableInput(name, definition)));
        created.push(name);
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      table = await waitUntilActive(client, name);
    }
    assertSameKeys(name, table, definition);
    await ensureIndexes(client, name, table, definition);
    await ensureStream(client, name, table, definition);
    await ensureTtl(client, name, definition);
  }
  return created;
}
