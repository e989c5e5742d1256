import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  DynamoStreamFollower,
  type Logger,
  type StreamFollowerOptions,
  type StreamRecord,
} from '@cloudmart/runtime';
import { productItemSchema, type ProductItem } from './items';

export type ProductChange = { type: 'upsert'; item: ProductItem } | { type: 'remove'; id: string };

export interface ProductStreamOptions extends Omit<StreamFollowerOptions, 'onRecords'> {
  onChange(change: ProductChange): void;
}

/** What a products-table stream record says about the product (undefined: nothing usable). */
function productChangeOf(record: StreamRecord, log: Logger): ProductChange | undefined {
  const change = record.dynamodb;
  if (record.eventName === 'REMOVE') {
    const id = change?.Keys?.id?.S;
    return id ? { type: 'remove', id } : undefined;
  }
  if (!change?.NewImage) return undefined;
  const parsed = productItemSchema.safeParse(unmarshall(change.NewImage as Parameters<typeof unmarshall>[0]));
  if (parsed.success) return { type: 'upsert', item: parsed.data };
  log.error({ issues: parsed.error.issues, keys: change.Keys }, 'malformed product in the products stream');
  return undefined;
}

/**
 * Follows the products table's stream, so this process sees every writer's changes — checkout in
 * the orders subgraph decrementing stock, other replicas of this subgraph — and not only its own.
 * The caller opens it before scanning the table (see DynamoStreamFollower.open); the search
 * index's version check makes a change applied twice harmless.
 */
export class ProductStreamFollower extends DynamoStreamFollower {
  constructor({ onChange, ...options }: ProductStreamOptions) {
    super({
      ...options,
      onRecords: (records) => {
        for (const record of records) {
          const change = productChangeOf(record, options.log);
          if (change) onChange(change);
        }
      },
    });
  }
}
