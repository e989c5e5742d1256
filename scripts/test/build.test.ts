// npm run build's output runs: every service started from dist/ with plain `node` (no tsx, no
// TypeScript loader of any kind), on the embedded defaults (DynamoDB Local, PGlite, the file event
// bus), and the supergraph answers through the gateway: the web client's persisted ProductPage,
// the demo shopper's log-in (argon2, Prisma on PGlite after its migrations) and a sign-up.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { startDynamoDbLocal, type DynamoDbLocal } from '@cloudmart/test-kit';
import { dataOf, eventually, freePort, makeTempDir, postGraphQL } from '@cloudmart/test-kit';
import { buildServices, writeWebManifest } from '../build';
import { inheritedEnv, startFleet, startService, type Fleet, type FleetService } from '../service-fleet';

/** The web client's persisted ProductPage, from the manifest `npm run build` writes (not committed). */
const productPage = () =>
  (JSON.parse(readFileSync(path.join(repoRoot, 'web', 'persisted-query-manifest.json'), 'utf8')) as { operations: { id: string; name: string }[] }).operations.find(
    (operation) => operation.name === 'ProductPage',
  )!;

/** A process's command line and NODE_OPTIONS, from /proc. */
function launchOf(pid: number): { argv: string[]; nodeOptions: string } {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const nodeOptions =
    environ.find((entry) => entry.startsWith('NODE_OPTIONS='))?.slice('NODE_OPTIONS='.length) ?? '';
  return { argv, nodeOptions };
}

describe('npm run build', () => {
  const data = makeTempDir('compiled');
  let dynamo: DynamoDbLocal | undefined;
  let fleet: Fleet | undefined;

  afterAll(async () => {
    await fleet?.stop();
    await dynamo?.stop();
    data.remove();
  });

  it('compiles every service, and each runs from dist/ with plain node', async () => {
    const built = await buildServices();
    // What `npm run build` writes beside the bundles when it builds the gateway, which serves it.
    writeWebManifest();
    // The gateway and the seven subgraphs, each a bundle with its source map.
    expect(built).toHaveLength(8);
    for (const result of built) {
      const files = result.outputs.map((output) => path.relative(result.outdir, output.file));
      expect(files).toEqual(expect.arrayContaining(['index.js', 'index.js.map']));
    }

    dynamo = await startDynamoDbLocal();
    fleet = await startFleet('compiled', {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: data.dir,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SEED_DEMO_DATA: 'true',
      SEED_PRODUCT_COUNT: '50',
      SEED_ORDER_COUNT: '10',
    });

    for (const service of fleet.services) {
      const { argv, nodeOptions } = launchOf(service.process.pid!);
      expect(argv).toEqual([
        process.execPath,
        '--enable-source-maps',
        expect.stringMatching(/\/dist\/index\.js$/),
      ]);
      expect(`${argv.join(' ')} ${nodeOptions}`).not.toMatch(
        /tsx|ts-node|swc|esbuild|--import|--require|--loader/,
      );
    }

    const gateway = fleet.gatewayUrl;
    const logIn = await postGraphQL<{ logIn: { user: { name: string } } }>(
      gateway,
      'mutation { logIn(email: "shopper@cloudmart.local", password: "shopper-password") { user { name } } }',
    );
    expect(dataOf(logIn).logIn.user.name).toBe('Demo Shopper');
    const signUp = await postGraphQL(
      gateway,
      'mutation { signUp(input: { email: "built@example.com", password: "compiled-form", name: "Built" }) { user { id } } }',
    );
    expect(signUp.errors).toBeUndefined();

    // The demo catalogue is seeded in the background after products is ready.
    const productId = await eventually(async () => {
      const listing = await postGraphQL<{ products: { edges: { node: { id: string } }[] } }>(
        gateway,
        '{ products(first: 1) { edges { node { id } } } }',
      );
      const id = dataOf(listing).products.edges[0]?.node.id;
      if (!id) throw new Error('no product seeded yet');
      return id;
    }, 120_000);
    // By the manifest's id alone, as the web client sends it: the gateway read the manifest file.
    const response = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operationName: 'ProductPage',
        variables: { id: productId },
        extensions: { persistedQuery: { version: 1, sha256Hash: productPage().id } },
      }),
    });
    const page = (await response.json()) as {
      data?: { product: { id: string; name: string; price: { amount: number } } };
      errors?: unknown[];
    };
    expect(page.errors).toBeUndefined();
    expect(page.data?.product).toEqual(expect.objectContaining({ id: productId, name: expect.any(String) }));
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
    // Reuses the build the other test made, or makes it (this file's tests may run alone).
    await buildServices();
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
