import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import {
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { getItem, getItems } from '@cloudmart/runtime';
import type { ProductTables } from './dynamo';
import {
  DuplicateSkuError,
  InsufficientStockError,
  ProductNotFoundError,
  WriteContentionError,
} from './errors';
import { productItemSchema, type ProductImage, type ProductItem } from './items';

/** The fields an admin may change; stock moves only through adjustStock. */
export interface ProductChanges {
  sku?: string;
  name?: string;
  description?: string;
  brand?: string;
  category?: string;
  priceAmount?: number;
  currency?: string;
  images?: ProductImage[];
}

const reasonCode = (reasons: CancellationReason[] | undefined, index: number) => reasons?.[index]?.Code;

const MAX_ATTEMPTS = 10;

/** The products subgraph's access to the products and product-skus tables. */
export class ProductStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: ProductTables,
  ) {}

  /** Every product, by a paginated Scan: used once at start to build the search index. */
  async scanAll(): Promise<ProductItem[]> {
    const items: ProductItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.tables.products, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []).map((item) => productItemSchema.parse(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async isEmpty(): Promise<boolean> {
    const page = await this.client.send(
      new ScanCommand({ TableName: this.tables.products, Limit: 1, ProjectionExpression: 'id' }),
    );
    return (page.Items ?? []).length === 0 && !page.LastEvaluatedKey;
  }

  get(id: string): Promise<ProductItem | null> {
    return getItem(this.client, this.tables.products, { id }, productItemSchema);
  }

  /** One BatchGetItem per 100 ids (strongly consistent), whatever the number of ids. */
  getMany(ids: readonly string[]): Promise<ProductItem[]> {
    const keys = ids.map((id) => ({ id }));
    return getItems(this.client, this.tables.products, keys, productItemSchema, { consistent: true });
  }

  /** Stores a new product and claims its SKU in one transaction: two products never share a SKU. */
  async create(product: ProductItem): Promise<ProductItem> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.products,
                Item: product,
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            {
              Put: {
                TableName: this.tables.skus,
                Item: { sku: product.sku, productId: product.id },
                ConditionExpression: 'attribute_not_exists(sku)',
              },
            },
          ],
        }),
      );
      return product;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        reasonCode(error.CancellationReasons, 1) === 'ConditionalCheckFailed'
      ) {
        throw new DuplicateSkuError(product.sku);
      }
      throw error;
    }
  }

  /**
   * Changes a product's catalog fields. A new SKU moves the claim in the same transaction as the
   * product (guarded by the SKU it had when read, so a concurrent SKU change makes this retry).
   */
  async update(id: string, changes: ProductChanges, now: string): Promise<ProductItem> {
    const fields = Object.entries(changes).filter(([, value]) => value !== undefined);
    const names = Object.fromEntries(fields.map(([field], i) => [`#f${i}`, field]));
    const values = Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value]));
    const set = ['updatedAt = :now', ...fields.map((_, i) => `#f${i} = :v${i}`)].join(', ');
    const update = {
      TableName: this.tables.products,
      Key: { id },
      UpdateExpression: `SET ${set} ADD version :one`,
      ExpressionAttributeNames: fields.length ? names : undefined,
      ExpressionAttributeValues: { ...values, ':now': now, ':one': 1 },
    };

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) throw new ProductNotFoundError(id);
      if (changes.sku === undefined || changes.sku === current.sku) {
        try {
          const { Attributes } = await this.client.send(
            new UpdateCommand({
              ...update,
              ConditionExpression: 'attribute_exists(id)',
              ReturnValues: 'ALL_NEW',
            }),
          );
          return productItemSchema.parse(Attributes);
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) throw new ProductNotFoundError(id);
          throw error;
        }
      }
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  ...update,
                  ConditionExpression: 'attribute_exists(id) AND sku = :oldSku',
                  ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':oldSku': current.sku },
                },
              },
              {
                Put: {
                  TableName: this.tables.skus,
                  Item: { sku: changes.sku, productId: id },
                  ConditionExpression: 'attribute_not_exists(sku)',
                },
              },
              {
                Delete: {
                  TableName: this.tables.skus,
                  Key: { sku: current.sku },
                  ConditionExpression: 'productId = :id',
                  ExpressionAttributeValues: { ':id': id },
                },
              },
            ],
          }),
        );
        const updated = await this.get(id);
        if (!updated) throw new ProductNotFoundError(id);
        return updated;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        if (reasonCode(error.CancellationReasons, 1) === 'ConditionalCheckFailed')
          throw new DuplicateSkuError(changes.sku);
        // The product or its SKU changed since we read it, or another transaction held it: read again.
      }
    }
    throw new WriteContentionError(`Product ${id} kept changing while its SKU was being updated`);
  }

  /**
   * Adds `delta` units with one conditional UpdateItem: a decrement only applies while
   * `stock >= -delta`, so concurrent decrements can never take stock below zero.
   */
  async adjustStock(id: string, delta: number, now: string): Promise<ProductItem> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tables.products,
          Key: { id },
          UpdateExpression: 'SET stock = stock + :delta, updatedAt = :now ADD version :one',
          ConditionExpression:
            delta < 0 ? 'attribute_exists(id) AND stock >= :needed' : 'attribute_exists(id)',
          ExpressionAttributeValues: {
            ':delta': delta,
            ':now': now,
            ':one': 1,
            ...(delta < 0 ? { ':needed': -delta } : {}),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return productItemSchema.parse(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const stock = error.Item?.stock?.N;
        if (stock === undefined) throw new ProductNotFoundError(id);
        throw new InsufficientStockError(id, Number(stock));
      }
      throw error;
    }
  }

  /**
   * Replaces the product's images with `change(current images)`, on the version read (optimistic:
   * read again and retried when another write came between). `change` may throw to refuse.
   */
  async changeImages(id: string, change: (images: ProductImage[]) => ProductImage[], now: string): Promise<ProductItem> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) throw new ProductNotFoundError(id);
      try {
        const { Attributes } = await this.client.send(
          new UpdateCommand({
            TableName: this.tables.products,
            Key: { id },
            UpdateExpression: 'SET images = :images, updatedAt = :now ADD version :one',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':images': change(current.images), ':now': now, ':one': 1, ':version': current.version },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return productItemSchema.parse(Attributes);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new WriteContentionError(`product ${id}: images changed by others ${MAX_ATTEMPTS} times in a row`);
  }
}
