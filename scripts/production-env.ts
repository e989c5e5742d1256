// Each service's environment as Kubernetes gives it in production, for the production form on one
// machine (scripts/start-prod.ts): the generated manifests' ConfigMaps (`cloudmart-config`, then
// `<service>-config`) and the service's ExternalSecret (`<service>-secrets`), whose remote
// references are read from a local secret store standing in for AWS Secrets Manager — in that
// order, as `envFrom` applies them. Reading the manifests rather than a list of our own means a
// secret missing from a service's ExternalSecret fails here as it would in the cluster.
//
// The local secret store is a folder of JSON documents, one per remote key (`cloudmart/shared` →
// `cloudmart/shared.json`), made on first use and kept: key pairs are generated together, other
// secrets as random strings. Credentials for cloud services (an OpenAI or Azure key, a BigQuery
// project) cannot be made up: their adapters run on their local defaults here instead.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '@cloudmart/runtime';

const manifestsDir = path.join(repoRoot, 'k8s', 'base');

/** The production form's data: DATA_DIR, or .data/prod. */
export const productionDataDir = () => path.resolve(process.env.DATA_DIR ?? path.join(repoRoot, '.data', 'prod'));
/** Where the gateway's `gateway-partners` secret volume is mounted, on this machine. */
export const partnersFileIn = (dataDir: string) => path.join(dataDir, 'partners', 'partners.json');
/** The local secret store of a production-form data folder. */
export const secretStoreIn = (dataDir: string, runtime: Record<string, string> = {}) => new LocalSecretStore(path.join(dataDir, 'secrets'), runtime);

interface ConfigMap {
  kind: 'ConfigMap';
  metadata: { name: string };
  data: Record<string, string>;
}
interface ExternalSecret {
  kind: 'ExternalSecret';
  metadata: { name: string };
  /** `data` for values read into variables; a mounted one (`dataFrom`) has none. */
  spec: { data?: { secretKey: string; remoteRef: { key: string; property: string } }[] };
}
type Manifest = ConfigMap | ExternalSecret | { kind: string; metadata?: { name?: string } };

function readManifests(): Manifest[] {
  const files = [path.join(manifestsDir, 'config.yaml'), ...readdirSync(path.join(manifestsDir, 'services')).map((file) => path.join(manifestsDir, 'services', file))];
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((document) => document.toJSON() as Manifest | null)
      .filter((manifest): manifest is Manifest => manifest !== null),
  );
}

/**
 * Settings that select a cloud service in production, left to their local defaults here (the
 * local warehouse, sentiment model, recommender and support engine; email and texts over SMTP, to
 * the MailDev start:prod runs): no cloud account is needed.
 */
export const CLOUD_ADAPTER_SETTINGS = [
  'WAREHOUSE',
  'BIGQUERY_DATASET',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'SENTIMENT_ANALYZER',
  'RECOMMENDER',
  'SUPPORT_ASSISTANT',
  'EMAIL_CHANNEL',
  'SMS_CHANNEL',
];

/** Secrets the store cannot make up: credentials of cloud accounts. */
const CLOUD_CREDENTIALS = /^(OPENAI_|AZURE_|BIGQUERY_|GOOGLE_|BEDROCK_|AWS_)/;

type RemoteRef = NonNullable<ExternalSecret['spec']['data']>[number]['remoteRef'];

/** The local stand-in for AWS Secrets Manager: `secrets/<remote key>.json`, made on first use. */
export class LocalSecretStore {
  constructor(
    private readonly dir: string,
    /** Values that belong to this machine's run (connection URLs to the local servers). */
    private readonly runtime: Record<string, string>,
    /** Every remote reference of the manifests: where each half of a key pair is kept. */
    private readonly references: RemoteRef[] = externalSecrets(readManifests()).flatMap((secret) => (secret.spec.data ?? []).map((entry) => entry.remoteRef)),
  ) {}

  private file(key: string) {
    return path.join(this.dir, `${key}.json`);
  }

  private read(key: string): Record<string, string> {
    const file = this.file(key);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  }

  private write(key: string, values: Record<string, string>) {
    const file = this.file(key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ ...this.read(key), ...values }, null, 2)}\n`, { mode: 0o600 });
  }

  /** A remote reference's value, or undefined for a cloud credential the store cannot make. */
  get(key: string, property: string): string | undefined {
    if (property in this.runtime) return this.runtime[property];
    // A connection URL belongs to a run (the local servers' ports), a cloud credential to an account.
    if (property.endsWith('_URL') || CLOUD_CREDENTIALS.test(property)) return undefined;
    const stored = this.read(key)[property];
    if (stored !== undefined) return stored;
    const made = generate(property);
    // Each value goes everywhere the manifests keep it: a pair's private half with the one service
    // that signs (e.g. cloudmart/gateway), its public half where every verifier reads it (cloudmart/shared).
    for (const [name, value] of Object.entries(made)) {
      const places = this.references.filter((reference) => reference.property === name).map((reference) => reference.key);
      for (const place of new Set([...places, ...(name === property ? [key] : [])])) {
        if (this.read(place)[name] !== undefined) {
          throw new Error(`${this.dir} holds ${name} in ${place} but not ${property} in ${key}: delete the folder to make a consistent set`);
        }
        this.write(place, { [name]: value });
      }
    }
    return made[property];
  }
}

/** A secret's value; both halves of a key pair (`X_PRIVATE_KEY`, `X_PUBLIC_KEY`) at once. */
function generate(property: string): Record<string, string> {
  const pair = property.match(/^(.*)_(PRIVATE|PUBLIC)_KEY$/);
  if (pair) {
    // ES256, the algorithm of both the access tokens and the gateway's internal tokens.
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    return { [`${pair[1]}_PRIVATE_KEY`]: privateKey, [`${pair[1]}_PUBLIC_KEY`]: publicKey };
  }
  return { [property]: randomBytes(32).toString('base64url') };
}

const externalSecrets = (manifests: Manifest[]) => manifests.filter((m): m is ExternalSecret => m.kind === 'ExternalSecret');

export interface ProductionEnv {
  env: NodeJS.ProcessEnv;
  /** Secrets the service's ExternalSecret names that the local store left unset (cloud credentials). */
  unset: string[];
}

/** A service's environment as its pod gets it: ConfigMaps, then its ExternalSecret's values. */
export function productionEnv(service: string, store: LocalSecretStore): ProductionEnv {
  const manifests = readManifests();
  const configMap = (name: string) => manifests.find((m): m is ConfigMap => m.kind === 'ConfigMap' && m.metadata?.name === name);
  const shared = configMap('cloudmart-config');
  const own = configMap(`${service}-config`);
  if (!shared || !own) throw new Error(`no ConfigMap cloudmart-config or ${service}-config under ${path.relative(repoRoot, manifestsDir)}`);
  const secret = externalSecrets(manifests).find((m) => m.metadata.name === `${service}-secrets`);
  if (!secret) throw new Error(`no ExternalSecret ${service}-secrets under ${path.relative(repoRoot, manifestsDir)}`);
  const env: NodeJS.ProcessEnv = { ...shared.data, ...own.data };
  const unset: string[] = [];
  for (const { secretKey, remoteRef } of secret.spec.data ?? []) {
    const value = store.get(remoteRef.key, remoteRef.property);
    if (value === undefined) unset.push(secretKey);
    else env[secretKey] = value;
  }
  for (const setting of CLOUD_ADAPTER_SETTINGS) delete env[setting];
  return { env, unset };
}
