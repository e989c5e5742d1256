// npm run start:prod: the production form on one machine — the compiled services (npm run build)
// with NODE_ENV=production, as the cluster runs them:
//   - real PostgreSQL for users (a cluster kept under DATA_DIR/postgres; RDS in production),
//   - Redis (Debian's redis-server; ElastiCache) for persisted queries, partner rate limits,
//     failed-log-in limits and the entity cache, shared by
//   - two gateway replicas, each consuming the event topics,
//   - the Kafka adapter on librdkafka's mock cluster (MSK),
//   - DynamoDB Local on disk under DATA_DIR/dynamodb (DynamoDB),
//   - each service's settings and secrets from the generated Kubernetes manifests, as envFrom gives
//     them (./production-env.ts), the secrets from a local store under DATA_DIR/secrets, and the
//     partners file where the gateway's secret volume mounts it (DATA_DIR/partners/partners.json).
// Cloud adapters run on their local defaults (no account needed). A service that exits on its
// own is started again, as the kubelet would. Ctrl-C stops everything; the data stays.
//
//   DATA_DIR        default .data/prod
//   GATEWAY_PORTS   the two replicas' ports (default 4000,4010); `auto`: free ones, picked as each
//                   replica starts (the URLs are printed)
// Any other variable set here reaches every service, under the manifests' values.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readSupergraphConfig, repoRoot } from '@cloudmart/runtime';
import { startMailDev, startPostgres, startRedis } from './local';
import { startCluster, type Cluster } from './cluster';
import { partnersFileIn, productionDataDir, productionEnv, secretStoreIn } from './production-env';
import { compiledEntry } from './service-command';

const dataDir = productionDataDir();
const gatewayPorts =
  process.env.GATEWAY_PORTS === 'auto' ? undefined : (process.env.GATEWAY_PORTS ?? '4000,4010').split(',').map(Number);
const partnersFile = partnersFileIn(dataDir);
const log = (message: string) => console.log(`[start:prod] ${message}`);

async function main() {
  const packages = [...readSupergraphConfig().subgraphs.map((subgraph) => subgraph.packageDir), path.join(repoRoot, 'gateway')];
  const unbuilt = packages.filter((dir) => !existsSync(compiledEntry(dir)));
  if (unbuilt.length > 0) {
    console.error(`Not built: ${unbuilt.map((dir) => path.relative(repoRoot, dir)).join(', ')}. Run npm run build (npm run start:prod does).`);
    process.exit(1);
  }
  mkdirSync(path.dirname(partnersFile), { recursive: true });
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });

  log(`data in ${path.relative(process.cwd(), dataDir) || dataDir}; logs in ${path.relative(process.cwd(), logDir)}`);
  const postgres = await startPostgres({ dataDir: path.join(dataDir, 'postgres') });
  const redis = await startRedis();
  // Where the notifications service's emails and texts go (SES and SNS need an AWS account).
  const mail = await startMailDev({ directory: path.join(dataDir, 'maildev') });
  let cluster: Cluster | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await cluster?.stop().catch((error: unknown) => console.error(String(error)));
    await redis.stop();
    await mail.stop();
    await postgres.stop();
    log('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const databaseUrl = await postgres.createDatabase('cloudmart_users');
    const store = secretStoreIn(dataDir, { DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
    // A catalog and an order history to look at, and the demo accounts with passwords of this
    // machine's own (production refuses nothing here, but a known default password is no demo of it).
    const demo = {
      SEED_DEMO_DATA: 'true',
      ADMIN_PASSWORD: store.get('cloudmart/local-demo', 'ADMIN_PASSWORD')!,
      DEMO_PASSWORD: store.get('cloudmart/local-demo', 'DEMO_PASSWORD')!,
    };
    const unset = new Set<string>();
    log('starting DynamoDB Local, the broker, every subgraph (compiled, NODE_ENV=production) and two gateway replicas…');
    const started = Date.now();
    cluster = await startCluster({
      dataDir,
      logDir,
      form: 'compiled',
      gatewayReplicas: 2,
      gatewayPorts,
      serviceEnv: (name) => {
        const service = productionEnv(name, store);
        service.unset.forEach((secret) => unset.add(`${name}: ${secret}`));
        return { ...service.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
      },
      // This machine's endpoints over the manifests' (as the overlays would set them).
      env: {
        REDIS_URL: redis.url,
        PARTNERS_FILE: partnersFile,
        CORS_ORIGINS: 'http://localhost:3000',
        SMTP_URL: mail.smtpUrl,
        SHOP_URL: 'http://localhost:3000',
        ...demo,
      },
    });
    if (unset.size > 0) log(`cloud credentials not set (their adapters run locally): ${[...unset].join(', ')}`);
    console.log(`
CloudMart (production form) is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s).
  Gateway replica A   ${cluster.gateways[0]!.url}
  Gateway replica B   ${cluster.gateways[1]!.url}
  PostgreSQL          ${databaseUrl}
  Redis               ${redis.url}
  Kafka (mock)        ${cluster.broker.bootstrapServers}
  DynamoDB Local      ${cluster.dynamo.endpoint}
  MailDev (inbox)     ${mail.inboxUrl}
  Secrets             ${path.join(dataDir, 'secrets')} (admin@cloudmart.local's password: cloudmart/local-demo.json)
  Partners            ${partnersFile} (DATA_DIR=${dataDir} npm run partner:register -- --prod --name … --manifest …)
Ctrl-C stops everything; the data stays.`);
  } catch (error) {
    console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

void main();
