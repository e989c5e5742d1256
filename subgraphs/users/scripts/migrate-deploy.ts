/**
 * Applies prisma/migrations to the PostgreSQL database at DATABASE_URL, as `prisma migrate deploy`
 * does (recording them in _prisma_migrations), with the offline wasm schema engine. Run by the
 * Kubernetes Job k8s/base/users-migrate-job.yaml before users pods roll out:
 *   DATABASE_URL=postgresql://… node --import tsx subgraphs/users/scripts/migrate-deploy.ts
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { migrationsDir } from '../src/data/database';
import { applyMigrations } from '../src/data/migrate';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must be set to the PostgreSQL database to migrate');
  const applied = await applyMigrations(new PrismaPg({ connectionString: url }), migrationsDir);
  console.log(applied.length > 0 ? `Applied ${applied.join(', ')}` : 'No pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
