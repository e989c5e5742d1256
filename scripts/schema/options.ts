import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultFieldUsageFile } from '@cloudmart/gateway/usage';
import { loadGatewayConfig } from '@cloudmart/gateway/config';
import { partnersFileOf } from '@cloudmart/gateway/partners';
import { repoRoot } from '@cloudmart/runtime';
import { defaultPublishedDir } from './published';
import type { SchemaCheckOptions } from './run-check';

export const checkUsage = `options:
  --partners FILE       the partners file (default: as the gateway, PARTNERS_FILE or DATA_DIR/partners.json)
  --usage FILE          recorded field usage (default: as the gateway, Redis when REDIS_URL is set, else
                        FIELD_USAGE_FILE or DATA_DIR/usage/field-usage.json)
  --usage-days N        what counts as recently used (default 30)
  --web-manifest FILE   the web client's manifest (default: generated afresh from web/src)
  --published DIR       the published schemas (default gateway/published)
  --config FILE         the supergraph.yaml to compose (default the repository's)
  --report FILE         where the Markdown report goes (default .data/schema-check/report.md)`;

/** The options `schema:check` and `schema:publish` share, with the gateway's defaults. */
export function parseCheckArguments(argv: string[]): { options: SchemaCheckOptions; report: string; force: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      partners: { type: 'string' },
      usage: { type: 'string' },
      'usage-days': { type: 'string', default: '30' },
      'web-manifest': { type: 'string' },
      published: { type: 'string' },
      config: { type: 'string' },
      report: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const usageDays = Number(values['usage-days']);
  if (!Number.isFinite(usageDays) || usageDays < 0) throw new Error(`--usage-days: not a number of days: ${values['usage-days']}`);
  const gateway = loadGatewayConfig(process.env);
  const resolved = (file: string | undefined) => (file === undefined ? undefined : path.resolve(file));
  return {
    options: {
      supergraphConfig: resolved(values.config),
      publishedDir: resolved(values.published) ?? defaultPublishedDir,
      partnersFile: resolved(values.partners) ?? path.resolve(partnersFileOf(gateway)),
      usageFile: resolved(values.usage) ?? gateway.FIELD_USAGE_FILE ?? defaultFieldUsageFile(gateway.DATA_DIR),
      redisUrl: values.usage === undefined ? gateway.REDIS_URL : undefined,
      usageDays,
      webManifest: resolved(values['web-manifest']),
    },
    report: resolved(values.report) ?? path.join(repoRoot, '.data', 'schema-check', 'report.md'),
    force: values.force,
  };
}
