import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, repoRoot, type Logger } from '@cloudmart/runtime';
import { PartnerContract } from './partner-contract';
import { ManifestFile, readManifest } from './persisted-queries';

/**
 * Partners and their API keys. The local store is a JSON file (DATA_DIR/partners.json unless
 * PARTNERS_FILE says otherwise) that holds, per partner, a name, the path of its persisted-query
 * manifest and the HMAC-SHA256 of its key under PARTNER_KEY_PEPPER: never the key itself. The key
 * is printed once by `npm run partner:register`. A manifest path may be relative to the partners
 * file's folder (one is stored that way when the manifest lies inside that folder), so the file and
 * its manifests can be mounted together anywhere: the Kubernetes manifests mount them from the
 * secret `gateway-partners` (docs/deploy.md).
 */
const partnerSchema = z.object({
  name: z.string().min(1),
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  manifest: z.string().min(1),
  createdAt: z.string(),
});
const partnersFileSchema = z.object({ partners: z.array(partnerSchema) });
export type PartnerRecord = z.infer<typeof partnerSchema>;

export const DEVELOPMENT_PARTNER_KEY_PEPPER = 'cloudmart-development-partner-pepper';

export interface PartnerConfig {
  NODE_ENV: string;
  DATA_DIR: string;
  PARTNERS_FILE?: string;
  PARTNER_KEY_PEPPER?: string;
  /** The supergraph whose partner contract manifests are checked against (the gateway's). */
  SUPERGRAPH_FILE?: string;
}

export const partnersFileOf = (config: PartnerConfig) =>
  config.PARTNERS_FILE ?? path.join(config.DATA_DIR, 'partners.json');

export function partnerKeyPepper(config: PartnerConfig): string {
  if (config.PARTNER_KEY_PEPPER) return config.PARTNER_KEY_PEPPER;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration:\n  PARTNER_KEY_PEPPER: must be set in production (not set)',
    );
  }
  return DEVELOPMENT_PARTNER_KEY_PEPPER;
}

export const hashPartnerKey = (pepper: string, key: string) =>
  createHmac('sha256', pepper).update(key).digest('hex');

function readPartners(file: string): PartnerRecord[] {
  if (!existsSync(file)) return [];
  return partnersFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).partners;
}

/** A record's manifest, absolute: a relative path is relative to the partners file's folder. */
const manifestPathOf = (partnersFile: string, record: PartnerRecord) =>
  path.resolve(path.dirname(path.resolve(partnersFile)), record.manifest);

/** Every registered partner's name and manifest file (for schema checks). */
export const partnerManifests = (partnersFile: string): { name: string; manifest: string }[] =>
  readPartners(partnersFile).map((record) => ({ name: record.name, manifest: manifestPathOf(partnersFile, record) }));

/**
 * Why a manifest cannot be registered: each operation that is not valid inside the partner
 * contract, with the path of every field it reaches outside it. Empty when it can.
 */
export function manifestContractProblems(config: PartnerConfig, manifestPath: string): string[] {
  const supergraphFile = config.SUPERGRAPH_FILE ?? path.join(repoRoot, 'gateway', 'supergraph.graphql');
  const contract = PartnerContract.fromSupergraph(readFileSync(supergraphFile, 'utf8'));
  return readManifest(manifestPath).operations.flatMap((operation) =>
    contract.check(operation.body).map((problem) => `operation ${operation.name ?? operation.id}: ${problem}`),
  );
}

/**
 * Registers a partner: checks its manifest (ids, and every operation against the partner
 * contract), stores the key's hash, returns the key (shown once). Registering an existing name
 * again replaces its key and manifest.
 */
export function registerPartner(
  config: PartnerConfig,
  name: string,
  manifestPath: string,
): { key: string; record: PartnerRecord } {
  const manifest = path.resolve(manifestPath);
  const problems = manifestContractProblems(config, manifest);
  if (problems.length > 0) {
    throw new Error(`the manifest reaches outside the partner contract:\n  ${problems.join('\n  ')}`);
  }
  const key = `cmk_${randomBytes(24).toString('base64url')}`;
  const file = partnersFileOf(config);
  const relative = path.relative(path.dirname(path.resolve(file)), manifest);
  const record: PartnerRecord = {
    name,
    keyHash: hashPartnerKey(partnerKeyPepper(config), key),
    manifest: relative.startsWith('..') || path.isAbsolute(relative) ? manifest : relative,
    createdAt: new Date().toISOString(),
  };
  const partners = [...readPartners(file).filter((partner) => partner.name !== name), record];
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ partners }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  return { key, record };
}

export interface Partner {
  name: string;
  manifest: ManifestFile;
}

/** The gateway's view: partners by key hash, reloaded with the file, each manifest watched. */
export class PartnerDirectory {
  private byHash = new Map<string, Partner>();
  private readonly file: string;
  private readonly pepper: string | undefined;
  private readonly interval: NodeJS.Timeout;
  private lastRaw = '';

  constructor(
    config: PartnerConfig,
    private readonly log: Logger,
    pollMs = 1_000,
  ) {
    this.file = partnersFileOf(config);
    // Without a pepper in production no key can be checked: partners are refused (fail closed).
    this.pepper =
      config.NODE_ENV === 'production' && !config.PARTNER_KEY_PEPPER ? undefined : partnerKeyPepper(config);
    if (!this.pepper) log.warn('PARTNER_KEY_PEPPER is not set: every x-api-key is refused');
    this.reload();
    this.interval = setInterval(() => this.reload(), pollMs);
    this.interval.unref();
  }

  reload(): void {
    const raw = existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
    if (raw === this.lastRaw) return;
    try {
      const records = raw ? partnersFileSchema.parse(JSON.parse(raw)).partners : [];
      const previous = this.byHash;
      const next = new Map<string, Partner>();
      for (const record of records) {
        const kept = previous.get(record.keyHash);
        const manifestFile = manifestPathOf(this.file, record);
        next.set(
          record.keyHash,
          kept && kept.manifest.file === manifestFile
            ? kept
            : { name: record.name, manifest: new ManifestFile(manifestFile, this.log) },
        );
      }
      for (const [hash, partner] of previous) if (next.get(hash) !== partner) partner.manifest.close();
      this.byHash = next;
      this.lastRaw = raw;
      this.log.info({ partners: next.size }, 'partners loaded');
    } catch (error) {
      this.log.error({ err: error, file: this.file }, 'partners file rejected; keeping the previous one');
    }
  }

  /** The partner holding this key, or undefined. */
  find(key: string): Partner | undefined {
    return this.pepper ? this.byHash.get(hashPartnerKey(this.pepper, key)) : undefined;
  }

  close(): void {
    clearInterval(this.interval);
    for (const partner of this.byHash.values()) partner.manifest.close();
  }
}
