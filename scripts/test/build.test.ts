// npm run build's output: every service compiles to one bundle with its source map, carrying no
// development or test code, and runs from dist/ with plain `node`. The whole compiled fleet on
// PostgreSQL, Redis and Kafka is `npm run start:prod`'s test (start-prod.test.ts), which also
// checks each process's command line; here, the image's runtime stage: users (PGlite, migrations,
// argon2) and the gateway from a tree without their sources.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { readSupergraphConfig, repoRoot } from '@cloudmart/runtime';
import { freePort, makeTempDir, postGraphQL } from '@cloudmart/test-kit';
import { buildServices, writeWebManifest } from '../build';
import { inheritedEnv, startService, type FleetService } from '../service-fleet';

/** One build for both tests (each of which may also run alone). */
let building: ReturnType<typeof buildServices> | undefined;
const build = () => (building ??= buildServices());

describe('npm run build', () => {
  it('compiles the gateway and every subgraph, each to a bundle with its source map', async () => {
    const built = await build();
    expect(built.map((result) => path.relative(repoRoot, result.packageDir)).sort()).toEqual(
      ['gateway', ...readSupergraphConfig().subgraphs.map((subgraph) => path.relative(repoRoot, subgraph.packageDir))].sort(),
    );
    for (const result of built) {
      const files = result.outputs.map((output) => path.relative(result.outdir, output.file));
      expect(files).toEqual(expect.arrayContaining(['index.js', 'index.js.map']));
    }
    // What `npm run build` writes beside the bundles when it builds the gateway, which serves it.
    const manifest = JSON.parse(readFileSync(writeWebManifest(), 'utf8')) as { operations: { name: string }[] };
    expect(manifest.operations.map((operation) => operation.name)).toContain('ProductPage');
  });
});

/**
 * The runtime stage of docker/service.Dockerfile, laid out by hand: /app holds package.json,
 * supergraph.yaml, the web manifest, and <workspace> without src/, test/, scripts/ (as the build
 * stage copies it). node_modules is the repository's (the image's holds only production packages,
 * which needs a registry install this test does not do; test/deploy/images.test.ts checks that).
 */
function imageLayout(app: string, workspace: string): void {
  mkdirSync(path.join(app, 'web'), { recursive: true });
  for (const file of ['package.json', 'supergraph.yaml', 'web/persisted-query-manifest.json'])
    cpSync(path.join(repoRoot, file), path.join(app, file));
  cpSync(path.join(repoRoot, workspace), path.join(app, workspace), {
    recursive: true,
    filter: (source) => !/[/\\]node_modules$/.test(source),
  });
  for (const removed of ['test', 'src', 'scripts', 'prisma.config.ts'])
    rmSync(path.join(app, workspace, removed), { recursive: true, force: true });
  try {
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(app, 'node_modules'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

describe("the image's runtime stage, reproduced by hand", () => {
  const data = makeTempDir('image-layout');
  const started: FleetService[] = [];
  afterAll(async () => {
    for (const service of started.reverse()) service.process.kill('SIGKILL');
    data.remove();
  });

  it('runs users (PGlite, migrations, argon2) and the gateway from dist/ without their sources', async () => {
    // The build the other test made, or made now when this test runs alone.
    await build();
    const app = path.join(data.dir, 'app');
    imageLayout(app, 'subgraphs/users');
    imageLayout(app, 'gateway');
    const env = {
      ...inheritedEnv(),
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(data.dir, 'data'),
    };
    const users = await startService(
      'users',
      path.join(app, 'subgraphs', 'users'),
      'compiled',
      env,
      await freePort(),
      { cwd: app },
    );
    started.push(users);
    const gatewayPort = await freePort();
    // Its /ready waits for every subgraph; /health, the image's HEALTHCHECK, says it started.
    const gateway = await startService(
      'gateway',
      path.join(app, 'gateway'),
      'compiled',
      { ...env, SUBGRAPH_USERS_URL: users.url },
      gatewayPort,
      {
        cwd: app,
        probe: '/health',
      },
    );
    started.push(gateway);
    for (const service of started)
      expect(readFileSync(`/proc/${service.process.pid}/cmdline`, 'utf8')).toContain(`${app}/`);
    // Through the gateway (subgraphs accept only its internal token); sign-up needs only users.
    const signUp = await postGraphQL(
      gateway.url,
      'mutation { signUp(input: { email: "image@example.com", password: "image-layout", name: "Image" }) { user { id } } }',
    );
    expect(signUp.errors).toBeUndefined();

    // The migration Job's program (k8s/base/users-migrate-job.yaml) loads from the same tree; its
    // run against PostgreSQL is test/deploy/users-migrate.test.ts's.
    const migrate = spawnSync(
      process.execPath,
      ['--enable-source-maps', 'subgraphs/users/dist/migrate-deploy.js'],
      {
        cwd: app,
        env: { ...env, DATABASE_URL: '' },
        encoding: 'utf8',
      },
    );
    expect(migrate.stderr).toMatch(/DATABASE_URL must be set/);
    expect(migrate.status).toBe(1);
  });
});
