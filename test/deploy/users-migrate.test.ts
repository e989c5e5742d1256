// The users migration Job's command (k8s/base/users-migrate-job.yaml): applies prisma/migrations
// to a real PostgreSQL, records them like `prisma migrate deploy`, and is a no-op the second time.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '@cloudmart/runtime';
import { startTestPostgres, type TestPostgres } from '@cloudmart/test-kit';

const script = path.join(repoRoot, 'subgraphs', 'users', 'scripts', 'migrate-deploy.ts');
const migrations = readdirSync(path.join(repoRoot, 'subgraphs', 'users', 'prisma', 'migrations')).filter(
  (name) => /^\d{14}_/.test(name),
);

const migrate = (env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

describe('users migrate-deploy (the migration Job)', () => {
  let postgres: TestPostgres;
  let url: string;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    url = await postgres.createDatabase('users_migrate_job');
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('applies every migration to PostgreSQL, then finds nothing pending', async () => {
    const first = migrate({ DATABASE_URL: url });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.trim()).toBe(`Applied ${migrations.join(', ')}`);

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const applied = await client.query<{ migration_name: string }>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      expect(applied.rows.map((row) => row.migration_name)).toEqual(migrations);
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
      );
      expect(tables.rows.length).toBeGreaterThan(0);
    } finally {
      await client.end();
    }

    const second = migrate({ DATABASE_URL: url });
    expect(second.status).toBe(0);
    expect(second.stdout.trim()).toBe('No pending migrations');
  });

  it('refuses to run without DATABASE_URL', () => {
    const result = migrate({ DATABASE_URL: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL must be set/);
  });
});
