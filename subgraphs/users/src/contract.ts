// What the users subgraph offers the others: no tables (its data is in PostgreSQL, reached only
// through its GraphQL API) and no events. Kept so every subgraph has the same contract module,
// which scripts/deploy/contracts.ts gathers. Other packages import this as `@cloudmart/users/contract`.
import type { TableDefinition } from '@cloudmart/runtime';

export const usersTables = {} as const satisfies Record<string, TableDefinition>;
