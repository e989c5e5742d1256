// The deployable services: the gateway plus every subgraph in supergraph.yaml, with what each one
// reaches. The Kubernetes manifests (scripts/generate-k8s.ts), the image build
// (scripts/build-images.ts) and the Terraform inputs (scripts/generate-infra.ts) are all derived
// from this list, so a subgraph added to supergraph.yaml is deployed after `npm run deploy:generate`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  readSupergraphConfig,
  repoRoot,
  subgraphUrlVariable,
  tableDefinitions,
  type TableDefinition,
} from '@cloudmart/runtime';

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
  /** Tables it writes besides its own, per the contracts in tables.ts (orders decrements products' stock). */
  otherTables?: string[];
  /** Keys of its own secret in AWS Secrets Manager (`cloudmart/<env>/<service>`), beyond the shared ones. */
  secretKeys?: string[];
  /** The service's own non-secret settings for production (ConfigMap `<service>-config`). */
  config?: Record<string, string>;
}

const profiles: Record<string, ServiceProfile> = {
  // Signs the internal tokens subgraphs accept; peppers partner API key hashes. Registered partners
  // (partners.json and their manifests) are mounted from the secret gateway-partners (k8s.ts).
  gateway: {
    secretKeys: ['GATEWAY_TOKEN_PRIVATE_KEY', 'PARTNER_KEY_PEPPER'],
    config: { PARTNERS_FILE: '/etc/cloudmart/partners/partners.json' },
  },
  users: { postgres: true, secretKeys: ['JWT_PRIVATE_KEY', 'DATABASE_URL'] },
  products: { secretKeys: ['CURSOR_SECRET'] },
  payments: {},
  orders: { calls: ['payments'], otherTables: ['products'] },
  recommendations: { bedrock: true, config: { RECOMMENDER: 'bedrock' } },
  support: {
    externalApis: true,
    calls: ['orders'],
    secretKeys: ['OPENAI_API_KEY'],
    config: { SUPPORT_ASSISTANT: 'openai' },
  },
  insights: {
    externalApis: true,
    // BigQuery through workload identity federation (infra/gcp), sentiment through Azure Language (infra/azure).
    secretKeys: ['BIGQUERY_PROJECT', 'AZURE_LANGUAGE_ENDPOINT', 'AZURE_LANGUAGE_KEY'],
    config: { WAREHOUSE: 'bigquery', BIGQUERY_DATASET: 'cloudmart_insights', SENTIMENT_ANALYZER: 'azure' },
  },
};

/** Secrets every service reads (Secrets Manager `cloudmart/<env>/shared`). */
export const sharedSecretKeys = ['JWT_PUBLIC_KEY', 'GATEWAY_TOKEN_PUBLIC_KEY', 'INTERNAL_API_SECRET'] as const;

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
  secretKeys: string[];
  config: Record<string, string>;
  /** Needs HTTPS egress to AWS APIs (STS for IRSA, DynamoDB, Bedrock) or other clouds. */
  https: boolean;
}

export const GATEWAY_PORT = 4000;

/** Whether any source file of the workspace calls createEventBus (so it needs Kafka in production). */
function usesEventBus(workspace: string): boolean {
  const files = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory()
            ? files(path.join(dir, entry.name))
            : entry.name.endsWith('.ts')
              ? [path.join(dir, entry.name)]
              : [],
        )
      : [];
  return files(path.join(repoRoot, workspace, 'src')).some((file) =>
    /\bcreate(Topic)?EventBus\(/.test(readFileSync(file, 'utf8')),
  );
}

const tablesOwnedBy = (service: string) =>
  Object.values(tableDefinitions as Record<string, TableDefinition>)
    .filter((table) => table.owner === service)
    .map((table) => table.suffix);

/** The gateway first, then the subgraphs in supergraph.yaml's order. */
export function deployServices(supergraphFile = path.join(repoRoot, 'supergraph.yaml')): DeployService[] {
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
    const tables = [...tablesOwnedBy(entry.name), ...(profile.otherTables ?? [])];
    const bedrock = profile.bedrock ?? false;
    const externalApis = profile.externalApis ?? false;
    const kafka = profile.kafka ?? usesEventBus(entry.workspace);
    return {
      ...entry,
      tables,
      postgres: profile.postgres ?? false,
      kafka,
      bedrock,
      externalApis,
      calls: profile.calls ?? [],
      secretKeys: profile.secretKeys ?? [],
      config: { ...(kafka ? { EVENT_BUS: 'kafka' } : {}), ...profile.config },
      // MSK IAM auth signs with STS credentials too.
      https: tables.length > 0 || bedrock || externalApis || kafka,
    };
  });
}

/** In-cluster URL of a subgraph's GraphQL endpoint (Service port 80 → the container's port). */
export const inClusterUrl = (name: string) => `http://${name}/graphql`;

export { subgraphUrlVariable };
