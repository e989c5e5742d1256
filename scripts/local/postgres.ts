import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './temp-dir';
import { freePort } from './ports';

export interface TestPostgres {
  /** Connection string of a database on the cluster, created if it does not exist. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** PostgreSQL's server binaries: PG_BIN, or the newest Debian install under /usr/lib/postgresql. */
function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((version) => path.join(root, version, 'bin')).find((dir) => existsSync(path.join(dir, 'initdb')));
  if (!bin) throw new Error('PostgreSQL server not found: apt-get install -y postgresql (or set PG_BIN)');
  return bin;
}

/**
 * A real PostgreSQL server for tests: a throw-away cluster (initdb + pg_ctl) on 127.0.0.1 and a
 * free port, removed on stop, with durability off (fsync, synchronous commit) for speed.
 */
export function startTestPostgres(): Promise<TestPostgres> {
  return startPostgres();
}

/**
 * A PostgreSQL server on 127.0.0.1 and a free port. Without `dataDir`, a throw-away cluster for
 * tests (see startTestPostgres). With it, a lasting one for a launcher (the production form on
 * one machine): created there on first use with durability on, kept on stop. PostgreSQL refuses
 * to run as root, so as root the server runs as the `postgres` user that Debian's package creates.
 */
export async function startPostgres({ dataDir: lastingDir }: { dataDir?: string } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const temp = lastingDir ? undefined : makeTempDir('postgres');
  const home = lastingDir ?? temp!.dir;
  mkdirSync(home, { recursive: true });
  const dataDir = path.join(home, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]] : [path.join(bin, command), args];
    return execFileSync(file, argv, { stdio: 'pipe', encoding: 'utf8' });
  };
  if (asRoot) {
    const { uid, gid } = userIds('postgres');
    chownSync(home, uid, gid);
  }
  const port = await freePort();
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    run('initdb', ['-D', dataDir, '-U', 'cloudmart', '--auth=trust', '-E', 'UTF8', '--no-instructions', ...(temp ? ['--no-sync'] : [])]);
  }
  const speed = temp ? ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off' : '';
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${home}${speed}`;
  run('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(home, 'server.log'), '-w', 'start']);

  const base = `postgresql://cloudmart@127.0.0.1:${port}`;
  return {
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
      const { Client } = await import('pg');
      const client = new Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      try {
        // A lasting cluster stops cleanly (its data is kept); a throw-away one at once.
        run('pg_ctl', ['-D', dataDir, '-m', temp ? 'immediate' : 'fast', '-w', 'stop']);
      } finally {
        temp?.remove();
      }
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
