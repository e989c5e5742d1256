// Every subgraph's contract module (`subgraphs/<name>/src/contract.ts`), gathered in the one place
// that needs them all: the Terraform tables, each service's table permissions, the Kafka topics,
// and the test kit's table helpers. Checked against supergraph.yaml when first read, so a
// subgraph added there without a contract here fails `npm run deploy:generate` and its test.
import path from 'node:path';
import { readSupergraphConfig, repoRoot, type TableDefinition } from '@cloudmart/runtime';
import * as insights from '@cloudmart/insights/contract';
import * as notifications from '@cloudmart/notifications/contract';
import * as orders from '@cloudmart/orders/contract';
import * as payments from '@cloudmart/payments/contract';
import * as products from '@cloudmart/products/contract';
import * as recommendations from '@cloudmart/recommendations/contract';
import * as support from '@cloudmart/support/contract';
import * as users from '@cloudmart/users/contract';

/** Every subgraph's contract module, by subgraph. */
export const contracts = { products, orders, payments, recommendations, support, insights, users, notifications };

/**
 * Each subgraph's tables, by subgraph. In this order (not supergraph.yaml's) because the tables
 * were first listed so, and the generated Terraform keeps its order.
 */
const tablesBySubgraph = {
  products: products.productsTables,
  orders: orders.ordersTables,
  payments: payments.paymentsTables,
  recommendations: recommendations.recommendationsTables,
  support: support.supportTables,
  insights: insights.insightsTables,
  users: users.usersTables,
  notifications: notifications.notificationsTables,
} as const;

/** Every table of every subgraph, by its key in its owner's contract (keys are unique across subgraphs). */
export const allTables = Object.assign(
  {},
  ...Object.values(tablesBySubgraph),
) as typeof products.productsTables &
  typeof orders.ordersTables &
  typeof payments.paymentsTables &
  typeof recommendations.recommendationsTables &
  typeof support.supportTables &
  typeof insights.insightsTables &
  typeof users.usersTables &
  typeof notifications.notificationsTables;

export type TableKey = keyof typeof allTables;

/** Throws unless the contracts gathered here are exactly supergraph.yaml's subgraphs, with no table key twice. */
export function checkContracts(supergraphFile = path.join(repoRoot, 'supergraph.yaml')): void {
  const listed = readSupergraphConfig(supergraphFile)
    .subgraphs.map((subgraph) => subgraph.name)
    .sort();
  const gathered = Object.keys(tablesBySubgraph).sort();
  if (JSON.stringify(listed) !== JSON.stringify(gathered))
    throw new Error(
      `scripts/deploy/contracts.ts gathers the contracts of ${gathered.join(', ')}, but supergraph.yaml lists ${listed.join(', ')}`,
    );
  const keys = Object.values(tablesBySubgraph).flatMap((tables) => Object.keys(tables));
  const repeated = keys.filter((key, i) => keys.indexOf(key) !== i);
  if (repeated.length) throw new Error(`table keys defined by two subgraphs: ${repeated.join(', ')}`);
}

/** The tables a subgraph owns (none for a name that is not a subgraph, e.g. the gateway). */
export const tablesOwnedBy = (service: string): TableDefinition[] =>
  Object.values((tablesBySubgraph as Record<string, Record<string, TableDefinition>>)[service] ?? {});
