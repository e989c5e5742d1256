import { openDynamoData, type DynamoConfig, type TableNames } from '@cloudmart/runtime';
import { paymentsTables } from '../contract';
import { PaymentStore } from './payment-store';

const paymentTableRoles = { payments: paymentsTables.payments, ledger: paymentsTables.paymentLedger };
export type PaymentTables = TableNames<typeof paymentTableRoles>;

export type PaymentsData = Awaited<ReturnType<typeof openPaymentsData>>;

/** Connects, creates the subgraph's tables if they are missing, and returns the store. */
export const openPaymentsData = (config: DynamoConfig) =>
  openDynamoData(config, 'payments', paymentTableRoles, (client, tables) => ({
    payments: new PaymentStore(client, tables),
  }));
