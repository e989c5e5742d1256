import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTables, tableName, type DynamoConfig } from '@cloudmart/runtime';
import { paymentsTables } from '../contract';
import { PaymentStore } from './payment-store';

export interface PaymentTables {
  payments: string;
  ledger: string;
}

export const paymentTableDefinitions = Object.values(paymentsTables);

export const paymentTablesFor = (prefix: string): PaymentTables => ({
  payments: tableName(prefix, paymentsTables.payments),
  ledger: tableName(prefix, paymentsTables.paymentLedger),
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
