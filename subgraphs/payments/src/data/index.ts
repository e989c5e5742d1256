import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  ensureTables,
  tableDefinitions,
  tableName,
  type DynamoConfig,
} from '@cloudmart/runtime';
import { PaymentStore } from './payment-store';

export interface PaymentTables {
  payments: string;
  ledger: string;
}

export const paymentTableDefinitions = [tableDefinitions.payments, tableDefinitions.paymentLedger];

export const paymentTablesFor = (prefix: string): PaymentTables => ({
  payments: tableName(prefix, tableDefinitions.payments),
  ledger: tableName(prefix, tableDefinitions.paymentLedger),
});

export interface PaymentsData {
  client: DynamoDBDocumentClient;
  tables: PaymentTables;
  payments: PaymentStore;
  close(): void;
}

/** Connects, creates the subgraph's tables if they are missing, and returns the store. */
export async function openPaymentsData(config: DynamoConfig): Promise<PaymentsData> {
  const client = createDocumentClient(config);
  await ensureTables(client, config.DYNAMODB_TABLE_PREFIX, paymentTableDefinitions);
  const tables = paymentTablesFor(config.DYNAMODB_TABLE_PREFIX);
  return { client, tables, payments: new PaymentStore(client, tables), close: () => client.destroy() };
}
