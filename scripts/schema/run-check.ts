import { apiSchemaOf, printSortedSchema } from '@cloudmart/gateway/api-schema';
import { composeSupergraph } from '@cloudmart/gateway/compose';
import { PARTNER_TAG, PartnerContract, taggedCoordinates } from '@cloudmart/gateway/partner-contract';
import { readFieldUsage } from '@cloudmart/gateway/usage';
import { readSupergraphConfig } from '@cloudmart/runtime';
import { writeWebManifest } from '../build';
import { checkSchema, type SchemaCheckResult } from './check';
import { displayPath as shown, readPublishedApiSchema, publishedFiles } from './published';
import { manifestOperations, partnerOperations, recordedUsage, WEB_CLIENT } from './registered-operations';
import { renderReport, type CheckEvidence } from './report';

export interface SchemaCheckOptions {
  /** supergraph.yaml listing the subgraph schemas to compose (default: the repository's). */
  supergraphConfig?: string;
  /** Where the published schemas live (gateway/published). */
  publishedDir: string;
  /** The partners file (as the gateway reads it). */
  partnersFile: string;
  /** The recorded usage: the file the gateway writes, or every replica's counts in Redis. */
  usageFile: string;
  redisUrl?: string;
  /** What counts as recently used. */
  usageDays: number;
  /** The web client's manifest; unset: generated afresh from web/src as `npm run build` does. */
  webManifest?: string;
  now?: Date;
}

export interface SchemaCheckRun {
  ok: boolean;
  result: SchemaCheckResult;
  evidence: CheckEvidence;
  report: string;
  /** The working tree's API schema and partner contract, sorted SDL (what publish writes). */
  apiSdl: string;
  contractSdl: string;
}

/** The working tree's subgraphs composed: the supergraph, its API schema and partner contract. */
export function composeWorkingTree(supergraphConfig?: string) {
  const composed = composeSupergraph(readSupergraphConfig(supergraphConfig));
  if (!composed.ok) throw new Error(`composition failed:\n  ${composed.errors.join('\n  ')}`);
  const apiSchema = apiSchemaOf(composed.supergraphSdl);
  const contract = new PartnerContract(apiSchema, taggedCoordinates(composed.supergraphSdl, PARTNER_TAG));
  return { supergraphSdl: composed.supergraphSdl, apiSchema, contract };
}

/** Every known client: manifests, and what the gateway recorded within the usage window. */
export async function gatherClients(options: SchemaCheckOptions) {
  const webManifest = options.webManifest ?? writeWebManifest();
  const web = manifestOperations(webManifest, WEB_CLIENT, 'web manifest');
  const partners = partnerOperations(options.partnersFile);
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - options.usageDays * 86_400_000);
  const { redisUrl } = options;
  const snapshot = await readFieldUsage({ file: options.usageFile, redisUrl });
  const usage = recordedUsage(snapshot, since);
  return {
    operations: [...web, ...partners.operations, ...usage.operations],
    recentFields: usage.fields,
    evidence: {
      webManifest: { file: shown(webManifest), operations: web.length },
      partners: {
        file: shown(options.partnersFile),
        names: partners.partners,
        operations: partners.operations.length,
        missing: partners.missing,
      },
      usage: {
        from: redisUrl ? 'Redis (REDIS_URL)' : shown(options.usageFile),
        days: options.usageDays,
        since: since.toISOString(),
        clients: Object.keys(snapshot.clients),
        operations: usage.operations.length,
        fields: usage.fields.length,
        olderEntries: usage.olderEntries,
      },
    },
  };
}

/** Composes the working tree, gathers every known client and decides (scripts/schema/check.ts). */
export async function runSchemaCheck(options: SchemaCheckOptions): Promise<SchemaCheckRun> {
  const { apiSchema: proposed, contract } = composeWorkingTree(options.supergraphConfig);
  const clients = await gatherClients(options);
  const published = readPublishedApiSchema(options.publishedDir);
  const result = await checkSchema({
    published: published?.schema,
    proposed,
    operations: clients.operations,
    recentFields: clients.recentFields,
  });
  const evidence: CheckEvidence = {
    published: published ? shown(publishedFiles(options.publishedDir).api) : undefined,
    ...clients.evidence,
    contractProblems: contract.problems,
  };
  return {
    ok: result.ok && contract.problems.length === 0,
    result,
    evidence,
    report: renderReport(result, evidence),
    apiSdl: printSortedSchema(proposed),
    contractSdl: contract.printSdl(),
  };
}
