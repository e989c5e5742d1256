import path from 'node:path';
import { defineConfig } from 'prisma/config';

// No native schema-engine here: the CLI only checks that this path exists (generate never runs it;
// migrations go through src/db/migrate.ts and @prisma/schema-engine-wasm).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, 'prisma', 'schema.prisma');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
