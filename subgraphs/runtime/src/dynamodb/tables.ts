// DynamoDB table definitions and what services do with them at start. Each subgraph defines its
// own tables in its contract module (`subgraphs/<name>/src/contract.ts`, imported by others as
// `@cloudmart/<name>/contract`); services create missing tables at start from those definitions
// (ensureTables below), and the Terraform tables are generated from the same definitions
// (scripts/deploy/contracts.ts gathers them). A table's full name is DYNAMODB_TABLE_PREFIX + `suffix`
// (e.g. "cloudmart-products").
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
import { createDocumentClient, type DynamoConfig } from './client';

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
  /** The subgraph that owns the table's items (others follow the contract it publishes). */
  owner: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalSecondaryIndexes?: SecondaryIndexDefinition[];
  /** Turns on DynamoDB Streams with this view. */
  stream?: StreamViewType;
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes expired items. */
  ttlAttribute?: string;
}

export const tableName = (prefix: string, definition: TableDefinition) => `${prefix}${definition.suffix}`;

/** Full table names by role (e.g. { orders: 'cloudmart-orders', products: 'cloudmart-products' }). */
export type TableNames<Roles> = { [Role in keyof Roles]: string };

export const tableNames = <Roles extends Record<string, TableDefinition>>(
  prefix: string,
  roles: Roles,
): TableNames<Roles> =>
  Object.fromEntries(
    Object.entries(roles).map(([role, definition]) => [role, tableName(prefix, definition)]),
  ) as TableNames<Roles>;

/** A subgraph's DynamoDB: one client, the names of the tables it uses by role, and close(). */
export interface DynamoTables<Roles> {
  client: DynamoSender;
  tables: TableNames<Roles>;
  close(): void;
}

/**
 * Opens a subgraph's DynamoDB data: connects, creates the tables among `roles` that `owner` owns
 * if they are missing (another subgraph's table is its owner's to create: reading one that is not
 * there yet fails clearly), names every table by role, and builds the stores over them.
 */
export async function openDynamoData<Roles extends Record<string, TableDefinition>, Stores>(
  config: DynamoConfig,
  owner: string,
  roles: Roles,
  stores: (client: DynamoSender, tables: TableNames<Roles>) => Stores,
  client: DynamoSender = createDocumentClient(config),
): Promise<DynamoTables<Roles> & Stores> {
  const owned = Object.values(roles).filter((definition) => definition.owner === owner);
  await ensureTables(client, config.DYNAMODB_TABLE_PREFIX, owned);
  const tables = tableNames(config.DYNAMODB_TABLE_PREFIX, roles);
  return { ...stores(client, tables), client, tables, close: () => client.destroy() };
}

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
