// npm start: the whole supergraph on this machine, on embedded defaults.
//
// Composes the supergraph, starts every subgraph that supergraph.yaml lists (each in its own
// process, on the port of its routing_url), then the gateway; prints the URLs; and on Ctrl-C
// stops the gateway first, then the subgraphs, and waits for every process to exit.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { prettyFactory } from 'pino-pretty';
import { defaultDataDir, readSupergraphConfig, repoRoot } from '@cloudmart/runtime';
import {
  localS3Env,
  startDynamoDbLocal,
  startLocalS3,
  startMailDev,
  type DynamoDbLocal,
  type LocalMailDev,
  type LocalS3,
} from './local';
import { writeSupergraph } from '@cloudmart/gateway/compose';
import { killAll, stopChild } from './processes';
import { serviceCommand, type ServiceCommand } from './service-command';

const GATEWAY_PORT = Number(process.env.PORT ?? 4000);
const WEB_PORT = Number(process.env.WEB_PORT ?? 3000);
/**
 * How long the launcher waits for every service to be ready before it gives up. Generous: a first
 * start creates the users database, and on a busy machine (a test suite beside it, two cores) the
 * nine processes starting at once have taken over 90 s. Meanwhile it says what it still waits for.
 */
const START_TIMEOUT_SECONDS = Number(process.env.START_TIMEOUT_SECONDS ?? 300);
const START_TIMEOUT_MS = START_TIMEOUT_SECONDS * 1000;
const PROGRESS_EVERY_MS = 30_000;
/** How long a service gets to stop after SIGTERM before it is killed (its loop may be stuck). */
const STOP_GRACE_MS = Number(process.env.STOP_GRACE_MS ?? 5_000);

interface Service {
  name: string;
  /** How it is started: serviceCommand's development form for the services. */
  launch: ServiceCommand;
  env: NodeJS.ProcessEnv;
  readyUrl: string;
  process?: ChildProcess;
  exited?: Promise<void>;
}

const pretty = prettyFactory({ colorize: process.stdout.isTTY, ignore: 'pid,hostname,service,name', messageFormat: '[{service}] {msg}' });

/** Child processes log JSON lines; show them readably, and pass anything else through. */
function relay(name: string, stream: NodeJS.ReadableStream) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      process.stdout.write(line.startsWith('{') ? pretty(line) : `[${name}] ${line}\n`);
    }
  });
}

function startService(service: Service): void {
  // detached: Ctrl-C reaches only this launcher, which then stops the services in order.
  // The IPC channel lets each service notice if the launcher dies and stop itself.
  const child = spawn(service.launch.command, service.launch.args, {
    cwd: repoRoot,
    env: { ...process.env, ...service.env, CLOUDMART_SUPERVISED: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  service.process = child;
  service.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  relay(service.name, child.stdout!);
  relay(service.name, child.stderr!);
}

/** The services start-up is still waiting for, named every PROGRESS_EVERY_MS until it ends. */
const awaited = new Set<string>();

async function waitUntilReady(service: Service, deadline: number): Promise<void> {
  awaited.add(service.name);
  try {
    while (Date.now() < deadline) {
      if (service.process?.exitCode !== null) throw new Error(`${service.name} exited during start-up`);
      try {
        const response = await fetch(service.readyUrl, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${service.name} was not ready within ${START_TIMEOUT_MS / 1000} s (START_TIMEOUT_SECONDS)`);
  } finally {
    awaited.delete(service.name);
  }
}

async function stopAll(services: Service[]): Promise<void> {
  // Web and gateway first (last in the list), so no request reaches a stopping subgraph.
  for (const service of [...services].reverse()) {
    if (!service.process) continue;
    await stopChild(service.process, STOP_GRACE_MS, () =>
      console.error(`${service.name} did not stop within ${STOP_GRACE_MS / 1000} s; killed.`),
    );
  }
}

async function main() {
  const started = Date.now();
  if (!(START_TIMEOUT_SECONDS > 0)) {
    console.error(`START_TIMEOUT_SECONDS must be a number of seconds above 0, not "${process.env.START_TIMEOUT_SECONDS}"`);
    process.exit(1);
  }
  const composition = writeSupergraph();
  if (!composition.ok) {
    console.error(`Composition failed:\n${composition.errors.map((error) => `  • ${error}`).join('\n')}`);
    process.exit(1);
  }

  // Embedded stores. PGlite runs inside the users subgraph; DynamoDB Local is shared by the
  // subgraphs that keep data in DynamoDB, with its data under .data/dynamodb.
  const dataDir = path.resolve(process.env.DATA_DIR ?? defaultDataDir);
  const shownDataDir = path.relative(repoRoot, dataDir) || dataDir;
  let dynamo: DynamoDbLocal | undefined;
  if (!process.env.DYNAMODB_ENDPOINT) {
    dynamo = await startDynamoDbLocal({ dbPath: path.join(dataDir, 'dynamodb') });
    console.log(`DynamoDB Local on ${dynamo.endpoint} (data in ${shownDataDir}/dynamodb)`);
  }
  // A local S3 for product images (uploads and their variants), with its objects under .data/s3.
  let s3: LocalS3 | undefined;
  const mediaBucket = process.env.MEDIA_BUCKET ?? 'cloudmart-media';
  if (!process.env.S3_ENDPOINT) {
    s3 = await startLocalS3({
      directory: path.join(dataDir, 's3'),
      buckets: [mediaBucket],
      // The admin's browser uploads straight to the bucket from the web app's page.
      corsOrigins: [`http://localhost:${WEB_PORT}`, `http://127.0.0.1:${WEB_PORT}`],
    });
    console.log(`Local S3 on ${s3.endpoint} (data in ${shownDataDir}/s3)`);
  }
  // A local mail server for the order emails (and, locally, texts): MailDev, whose inbox shows
  // what the notifications service sent. Its messages are kept under .data/maildev.
  let mail: LocalMailDev | undefined;
  if (!process.env.SMTP_URL) {
    mail = await startMailDev({
      directory: path.join(dataDir, 'maildev'),
      smtpPort: Number(process.env.MAILDEV_SMTP_PORT ?? 1025),
      webPort: Number(process.env.MAILDEV_WEB_PORT ?? 1080),
    });
    console.log(`MailDev on ${mail.smtpUrl} (messages in ${shownDataDir}/maildev)`);
  }
  const sharedEnv: NodeJS.ProcessEnv = {
    SEED_DEMO_DATA: process.env.SEED_DEMO_DATA ?? 'true',
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT ?? dynamo?.endpoint,
    ...(s3 ? localS3Env(s3, mediaBucket) : {}),
    ...(mail ? { SMTP_URL: mail.smtpUrl } : {}),
    // Links in emails lead to this web app.
    SHOP_URL: process.env.SHOP_URL ?? `http://localhost:${WEB_PORT}`,
  };
  const subgraphs: Service[] = readSupergraphConfig().subgraphs.map((subgraph) => ({
    name: subgraph.name,
    launch: serviceCommand(subgraph.packageDir, 'dev'),
    env: { ...sharedEnv, PORT: String(subgraph.port) },
    readyUrl: new URL('/ready', subgraph.routingUrl).toString(),
  }));
  const gateway: Service = {
    name: 'gateway',
    launch: serviceCommand(path.join(repoRoot, 'gateway'), 'dev'),
    env: { PORT: String(GATEWAY_PORT) },
    readyUrl: `http://127.0.0.1:${GATEWAY_PORT}/ready`,
  };
  // The web client's dev server (scripts/web-dev.ts), proxying /graphql to this gateway.
  const web: Service = {
    name: 'web',
    // A development tool, not a service: always TypeScript through tsx.
    launch: { command: process.execPath, args: ['--import', 'tsx', path.join(repoRoot, 'scripts', 'web-dev.ts')] },
    env: { WEB_PORT: String(WEB_PORT), GATEWAY_URL: `http://127.0.0.1:${GATEWAY_PORT}` },
    readyUrl: `http://127.0.0.1:${WEB_PORT}/`,
  };
  const services = [...subgraphs, gateway, web];

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) {
      // A second Ctrl-C: no more waiting.
      console.log('Killing every service now.');
      killAll(services.flatMap((service) => (service.process ? [service.process] : [])));
      return;
    }
    stopping = true;
    console.log('\nStopping CloudMart…');
    await stopAll(services);
    await Promise.all([dynamo?.stop(), s3?.stop(), mail?.stop()]);
    console.log('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const deadline = Date.now() + START_TIMEOUT_MS;
  const progress = setInterval(() => {
    const waited = Math.round((Date.now() - started) / 1000);
    if (awaited.size > 0) console.log(`Still starting after ${waited} s: ${[...awaited].join(', ')}`);
  }, PROGRESS_EVERY_MS);
  try {
    for (const subgraph of subgraphs) startService(subgraph);
    await Promise.all(subgraphs.map((subgraph) => waitUntilReady(subgraph, deadline)));
    startService(gateway);
    await waitUntilReady(gateway, deadline);
    startService(web);
    await waitUntilReady(web, deadline);
  } catch (error) {
    console.error(`Start-up failed: ${(error as Error).message}`);
    await shutdown(1);
    return;
  } finally {
    clearInterval(progress);
  }

  for (const service of services) {
    void service.exited?.then(() => {
      if (!stopping) {
        console.error(`${service.name} stopped unexpectedly; stopping everything.`);
        void shutdown(1);
      }
    });
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
CloudMart is running (started in ${seconds} s).
  Storefront + admin        http://localhost:${WEB_PORT}
  Gateway + Apollo Sandbox  http://localhost:${GATEWAY_PORT}/graphql
${mail ? `  Emails and texts (inbox)  ${mail.inboxUrl.replace('127.0.0.1', 'localhost')}\n` : ''}${subgraphs.map((s) => `  ${`subgraph ${s.name}`.padEnd(25)} ${s.readyUrl.replace('/ready', '/graphql')}`).join('\n')}
  Demo shopper  ${process.env.DEMO_EMAIL ?? 'shopper@cloudmart.local'} / ${process.env.DEMO_PASSWORD ? '(DEMO_PASSWORD)' : 'shopper-password'}
  Admin         ${process.env.ADMIN_EMAIL ?? 'admin@cloudmart.local'} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : 'admin-password'}
Press Ctrl-C to stop.`);
}

void main();
