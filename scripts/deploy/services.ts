// The deployable services: the gateway plus every subgraph in supergraph.yaml, with what each one
// reaches. The Kubernetes manifests (scripts/generate-k8s.ts), the image build
// (scripts/build-images.ts) and the Terraform inputs (scripts/generate-infra.ts) are all derived
// from this list, so a subgraph added to supergraph.yaml is deployed after `npm run deploy:generate`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { orderEventsTopic, readSupergraphConfig, repoRoot, subgraphUrlVariable } from '@cloudmart/runtime';
import { salesWindowsTopic } from '@cloudmart/insights/contract';
import { productEventsTopic } from '@cloudmart/products/contract';
import { allTables, checkContracts, tablesOwnedBy, type TableKey } from './contracts';

/** What a service needs beyond the defaults. Subgraphs not listed here get the defaults. */
export interface ServiceProfile {
  /** Talks to the users PostgreSQL database (RDS): egress to 5432 in the VPC. */
  postgres?: boolean;
  /**
   * Publishes or consumes events on Kafka (MSK, IAM auth on 9098), with EVENT_BUS=kafka. Unset:
   * true when the service's sources call createEventBus or createTopicEventBus (the event bus port
   * in @cloudmart/runtime).
   */
  kafka?: boolean;
  /** Calls AWS Bedrock (IRSA permission bedrock:InvokeModel*). */
  bedrock?: boolean;
  /** Reaches cloud APIs outside AWS over HTTPS (GCP BigQuery, Azure Language, OpenAI). */
  externalApis?: boolean;
  /** Other services it calls directly, not through the gateway (e.g. orders → payments' internal API). */
  calls?: string[];
  /** Tables it writes besides its own, per their owners' contracts (orders decrements products' stock). */
  otherTables?: string[];
  /**
   * Keys of its own secret (Secrets Manager `cloudmart/<service>`) that its config schema does not
   * name as secrets (see secretVariable): settings the operator fills in per account.
   */
  extraSecretKeys?: string[];
  /** Folders of files it reads from a mounted Secret (see MountedSecret). */
  mountedSecrets?: MountedSecret[];
  /** Kubernetes service account tokens for other clouds' workload identity federation, mounted as files. */
  federationTokens?: FederationToken[];
  /** The service's own non-secret settings for production (ConfigMap `<service>-config`). */
  config?: Record<string, string>;
  /** Most replicas its HorizontalPodAutoscaler may run: docs/capacity.md's plan with headroom. Default 10. */
  maxReplicas?: number;
  /** Its container's memory request and limit (default 384Mi and 768Mi). */
  memory?: { request: string; limit: string };
}

/**
 * A folder of files from one Secrets Manager secret whose properties are the files (External
 * Secrets' dataFrom/extract), mounted read-only: the gateway's partner registry, the insights
 * GCP credential configuration.
 */
export interface MountedSecret {
  /** The ExternalSecret, the Kubernetes Secret and the volume; Secrets Manager `cloudmart/<name>`. */
  name: string;
  mountPath: string;
  /** The pod starts without it (the service copes with the folder missing). */
  optional: boolean;
  /** How often External Secrets re-reads it (a service that watches its files sees changes then). */
  refreshInterval: string;
}

/** A projected ServiceAccount token with an audience another cloud's identity pool accepts. */
export interface FederationToken {
  name: string;
  audience: string;
  /** The folder; the token is its file `token`. */
  mountPath: string;
}

/**
 * The insights pods' identity at GCP: workload identity federation trusts the EKS cluster's OIDC
 * issuer for tokens with this audience and subject system:serviceaccount:<namespace>:insights
 * (infra/gcp), and the credential configuration file (GOOGLE_APPLICATION_CREDENTIALS, from
 * `terraform -chdir=infra/gcp output credential_configuration`) reads the token from this file.
 */
export const GCP_FEDERATION_TOKEN: FederationToken = {
  name: 'gcp-token',
  audience: 'cloudmart-gcp-workload-identity',
  mountPath: '/var/run/secrets/cloudmart/gcp',
};
export const GCP_CREDENTIALS_DIR = '/etc/cloudmart/gcp';

const profiles: Record<string, ServiceProfile> = {
  // Registered partners (partners.json and their manifests) are mounted from gateway-partners.
  gateway: {
    config: { PARTNERS_FILE: '/etc/cloudmart/partners/partners.json' },
    maxReplicas: 60,
    // ~25 KiB per open subscription (measured, docs/capacity.md): 1.5 GiB holds ~30,000 per
    // replica beside the ~300 MiB the gateway takes after start.
    memory: { request: '1Gi', limit: '1536Mi' },
    mountedSecrets: [
      // Optional: without registered partners the gateway starts and refuses every x-api-key. It
      // notices a changed file within a second, so a refreshed secret needs no restart.
      { name: 'gateway-partners', mountPath: '/etc/cloudmart/partners', optional: true, refreshInterval: '5m' },
    ],
  },
  users: { postgres: true, maxReplicas: 35 },
  products: {
    maxReplicas: 15,
    // Terraform's media bucket and CloudFront domain (infra/aws outputs media_bucket, media_base_url):
    // each overlay's environment.yaml replaces these (k8s/components/environment).
    config: { MEDIA_BUCKET: 'cloudmart-media-placeholder', MEDIA_BASE_URL: 'https://media.placeholder.invalid' },
  },
  payments: { maxReplicas: 20 },
  orders: { calls: ['payments'], otherTables: ['products'], maxReplicas: 50 },
  recommendations: { bedrock: true, config: { RECOMMENDER: 'bedrock' } },
  support: {
    externalApis: true,
    calls: ['orders'],
    config: { SUPPORT_ASSISTANT: 'openai' },
  },
  // Order emails through SES, texts through SNS (their IRSA grants follow from EMAIL_CHANNEL and
  // SMS_CHANNEL); contacts and addresses from the users service's internal API. The shop's address
  // for links and the verified sender are each overlay's environment.yaml's (k8s/components/environment).
  notifications: {
    calls: ['users'],
    // More replicas than orders.events has partitions (48) would sit idle: docs/capacity.md.
    maxReplicas: 48,
    config: {
      EMAIL_CHANNEL: 'ses',
      SMS_CHANNEL: 'sns',
      SHOP_URL: 'https://shop.placeholder.invalid',
      EMAIL_FROM: 'CloudMart <orders@placeholder.invalid>',
    },
  },
  insights: {
    externalApis: true,
    // BigQuery through workload identity federation (infra/gcp), sentiment through Azure Language
    // (infra/azure): which project and which endpoint are the operator's to fill in.
    extraSecretKeys: ['BIGQUERY_PROJECT', 'AZURE_LANGUAGE_ENDPOINT'],
    config: {
      WAREHOUSE: 'bigquery',
      BIGQUERY_DATASET: 'cloudmart_insights',
      SENTIMENT_ANALYZER: 'azure',
      GOOGLE_APPLICATION_CREDENTIALS: `${GCP_CREDENTIALS_DIR}/credentials.json`,
    },
    mountedSecrets: [
      { name: 'insights-gcp-credentials', mountPath: GCP_CREDENTIALS_DIR, optional: false, refreshInterval: '1h' },
    ],
    federationTokens: [GCP_FEDERATION_TOKEN],
  },
};

/** Secrets every service reads (Secrets Manager `cloudmart/shared`). */
export const sharedSecretKeys = ['JWT_PUBLIC_KEY', 'GATEWAY_TOKEN_PUBLIC_KEY', 'INTERNAL_API_SECRET'] as const;

/**
 * Which configuration variables hold credentials: keys, secrets, passwords, peppers, and the
 * connection strings that embed a password (PostgreSQL's, Redis's AUTH token). Every such variable
 * a service's config schema reads goes into its ExternalSecret, unless notSetInProduction says why not.
 */
export const secretVariable = (name: string) => /(_KEY|SECRET|PASSWORD|PEPPER)$|^(DATABASE|REDIS)_URL$/.test(name);

/**
 * Credential variables that a service's schema accepts but production leaves unset, and why: the
 * base schema every service extends names both private keys, which only one service holds each.
 */
export const notSetInProduction: Record<string, { unless?: string; why: string }> = {
  JWT_PRIVATE_KEY: { unless: 'users', why: 'only users signs access tokens' },
  GATEWAY_TOKEN_PRIVATE_KEY: { unless: 'gateway', why: 'only the gateway signs internal tokens' },
  ADMIN_PASSWORD: { why: 'demo accounts are seeded only with SEED_DEMO_DATA, off in production' },
  DEMO_PASSWORD: { why: 'demo accounts are seeded only with SEED_DEMO_DATA, off in production' },
  S3_SECRET_ACCESS_KEY: { why: "the local S3's key: in production the service account's IAM role signs" },
};

interface ZodLike {
  def?: { type?: string; shape?: Record<string, unknown>; in?: ZodLike };
}

/** The variables a zod object schema reads, through refinements and transforms (zod 4's def tree). */
function variablesOf(schema: ZodLike): string[] {
  const def = schema.def;
  if (def?.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def?.type === 'pipe' && def.in) return variablesOf(def.in);
  throw new Error(`not a zod object schema (def.type ${String(def?.type)})`);
}

/**
 * The variables a service reads: the keys of the config schema its `src/config.ts` exports (the one
 * export named `…ConfigSchema`), read from the code so a new setting cannot be missed here.
 */
export function configVariables(workspace: string): string[] {
  const file = path.join(repoRoot, workspace, 'src', 'config.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(file) as Record<string, unknown>;
  const schemas = Object.entries(exports).filter(([name]) => name.endsWith('ConfigSchema'));
  if (schemas.length !== 1) throw new Error(`${file} exports ${schemas.length} …ConfigSchema values, expected 1`);
  return variablesOf(schemas[0]![1] as ZodLike);
}

/** The credential variables a service reads in production, from its config schema. */
export function secretVariablesOf(service: string, workspace: string): string[] {
  return configVariables(workspace).filter((name) => {
    const exception = notSetInProduction[name];
    return secretVariable(name) && (!exception || exception.unless === service);
  });
}

/**
 * The Kafka topics the services use, provisioned by infra/kafka (MSK does not create topics on
 * first use: auto.create.topics.enable=false). Partitions from docs/capacity.md: a topic's
 * consumers in one group read at most one partition each, and a partition is ordered per key.
 */
export const kafkaTopics: { name: string; partitions: number }[] = [
  { name: orderEventsTopic.name, partitions: 48 },
  { name: productEventsTopic.name, partitions: 12 },
  // One closed sales window a minute (and a re-push per late event): few messages, few partitions.
  { name: salesWindowsTopic.name, partitions: 6 },
];

export interface DeployService {
  name: string;
  kind: 'gateway' | 'subgraph';
  /** The npm workspace folder, relative to the repository root. */
  workspace: string;
  /** The port the container listens on (the gateway's 4000, a subgraph's routing_url port). */
  port: number;
  /** Full table suffixes (DYNAMODB_TABLE_PREFIX + suffix) it reads and writes. */
  tables: string[];
  postgres: boolean;
  kafka: boolean;
  bedrock: boolean;
  externalApis: boolean;
  calls: string[];
  /** Tables it only reads (it names them in its code and neither owns nor writes them). */
  readTables: string[];
  /** Reaches Redis (ElastiCache): it reads REDIS_URL. */
  redis: boolean;
  /** Puts, reads and deletes objects of the media bucket (infra/aws/modules/media): it reads MEDIA_BUCKET. */
  media: boolean;
  /** Sends email through Amazon SES (ses:SendEmail): its production config sets EMAIL_CHANNEL=ses. */
  ses: boolean;
  /** Sends SMS through Amazon SNS (sns:Publish): its production config sets SMS_CHANNEL=sns. */
  sns: boolean;
  /** Keys of its own secret `cloudmart/<service>`: the credentials its schema reads, beyond the shared ones. */
  secretKeys: string[];
  mountedSecrets: MountedSecret[];
  federationTokens: FederationToken[];
  config: Record<string, string>;
  maxReplicas: number;
  memory: { request: string; limit: string };
  /** Needs HTTPS egress to AWS APIs (STS for IRSA, DynamoDB, Bedrock, S3) or other clouds. */
  https: boolean;
}

export const GATEWAY_PORT = 4000;

/** Whether any source file of the workspace calls createEventBus (so it needs Kafka in production). */
function usesEventBus(workspace: string): boolean {
  return sourceFiles(path.join(repoRoot, workspace, 'src')).some((file) =>
    /\bcreate(Topic)?EventBus\(/.test(readFileSync(file, 'utf8')),
  );
}

/** The TypeScript files under a workspace's src/. */
function sourceFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? sourceFiles(path.join(dir, entry.name))
          : entry.name.endsWith('.ts')
            ? [path.join(dir, entry.name)]
            : [],
      )
    : [];
}

const isTableKey = (key: string): key is TableKey => Object.hasOwn(allTables, key);

/**
 * The tables (suffixes) a workspace's code names through a contract's tables, as
 * `<subgraph>Tables.<key>` (e.g. `productsTables.products`).
 */
function tablesNamedIn(workspace: string): string[] {
  const keys = new Set(
    sourceFiles(path.join(repoRoot, workspace, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\b[a-z]\w*Tables\.(\w+)/g)].map((match) => match[1]!),
    ),
  );
  return [...keys].flatMap((key) => (isTableKey(key) ? [allTables[key].suffix] : [])).sort();
}

/** The gateway first, then the subgraphs in supergraph.yaml's order. */
export function deployServices(supergraphFile = path.join(repoRoot, 'supergraph.yaml')): DeployService[] {
  checkContracts(supergraphFile);
  const subgraphs = readSupergraphConfig(supergraphFile).subgraphs;
  const entries = [
    { name: 'gateway', kind: 'gateway' as const, workspace: 'gateway', port: GATEWAY_PORT },
    ...subgraphs.map((subgraph) => ({
      name: subgraph.name,
      kind: 'subgraph' as const,
      workspace: path.relative(repoRoot, subgraph.packageDir).split(path.sep).join('/'),
      port: subgraph.port,
    })),
  ];
  return entries.map((entry) => {
    const profile = profiles[entry.name] ?? {};
    const tables = [...tablesOwnedBy(entry.name).map((table) => table.suffix), ...(profile.otherTables ?? [])];
    const secrets = secretVariablesOf(entry.name, entry.workspace);
    const shared = sharedSecretKeys as readonly string[];
    const readTables = tablesNamedIn(entry.workspace).filter((table) => !tables.includes(table));
    const bedrock = profile.bedrock ?? false;
    const externalApis = profile.externalApis ?? false;
    const kafka = profile.kafka ?? usesEventBus(entry.workspace);
    const media = configVariables(entry.workspace).includes('MEDIA_BUCKET');
    const ses = profile.config?.EMAIL_CHANNEL === 'ses';
    const sns = profile.config?.SMS_CHANNEL === 'sns';
    return {
      ...entry,
      tables,
      postgres: profile.postgres ?? false,
      kafka,
      bedrock,
      externalApis,
      calls: profile.calls ?? [],
      readTables,
      redis: secrets.includes('REDIS_URL'),
      media,
      ses,
      sns,
      secretKeys: [...secrets.filter((key) => !shared.includes(key)), ...(profile.extraSecretKeys ?? [])],
      mountedSecrets: profile.mountedSecrets ?? [],
      federationTokens: profile.federationTokens ?? [],
      config: { ...(kafka ? { EVENT_BUS: 'kafka' } : {}), ...profile.config },
      maxReplicas: profile.maxReplicas ?? 10,
      memory: profile.memory ?? { request: '384Mi', limit: '768Mi' },
      // MSK IAM auth signs with STS credentials too.
      https: tables.length > 0 || readTables.length > 0 || bedrock || externalApis || kafka || media || ses || sns,
    };
  });
}

/** In-cluster URL of a subgraph's GraphQL endpoint (Service port 80 → the container's port). */
export const inClusterUrl = (name: string) => `http://${name}/graphql`;

export { subgraphUrlVariable };
