/** Usage: npm run migrate:new -- <name>. Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql offline. */
import fs from 'node:fs';
import path from 'node:path';
import { diffMigration, MIGRATION_LOCK } from '../src/data/migrate';

const SCHEMA = path.resolve(__dirname, '../prisma/schema.prisma');
const MIGRATIONS = path.resolve(__dirname, '../prisma/migrations');
const SNAPSHOT = 'schema.prisma.snapshot';

async function main(): Promise<void> {
  const raw = process.argv[2];
  if (!raw) throw new Error('usage: migrate:new <name>');
  const name = raw.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const previous = fs.existsSync(MIGRATIONS)
    ? fs.readdirSync(MIGRATIONS).filter((d) => fs.existsSync(path.join(MIGRATIONS, d, SNAPSHOT))).sort().at(-1)
    : undefined;
  const from = previous ? fs.readFileSync(path.join(MIGRATIONS, previous, SNAPSHOT), 'utf8') : null;
  const to = fs.readFileSync(SCHEMA, 'utf8');
  const sql = await diffMigration(from, to);
  if (!sql.trim() || /^-- This is an empty migration\.\s*$/.test(sql.trim())) {
    console.log('No schema changes; nothing written.');
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(MIGRATIONS, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
  fs.writeFileSync(path.join(dir, SNAPSHOT), to);
  fs.writeFileSync(path.join(MIGRATIONS, 'migration_lock.toml'), MIGRATION_LOCK);
  console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
