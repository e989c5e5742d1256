// npm run partner:register -- --name NAME --manifest PATH [--prod]
// (--prod: for `npm run start:prod`'s gateways, with their pepper and partners file under DATA_DIR)
// Registers a partner with its persisted-query manifest and prints its API key, once: only the
// key's HMAC is stored (in DATA_DIR/partners.json or PARTNERS_FILE; see docs/security.md).
// Registering a name again replaces its key and manifest. A running gateway picks it up by itself.
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from '@cloudmart/gateway/config';
import { partnersFileOf, registerPartner } from '@cloudmart/gateway/partners';
import { partnersFileIn, productionDataDir, productionEnv, secretStoreIn } from './production-env';

const { values } = parseArgs({
  options: { name: { type: 'string' }, manifest: { type: 'string' }, prod: { type: 'boolean', default: false } },
  strict: true,
});
if (!values.name || !values.manifest) {
  console.error(
    'usage: npm run partner:register -- --name NAME --manifest path/to/persisted-query-manifest.json',
  );
  process.exit(2);
}
const config = loadGatewayConfig(
  values.prod
    ? { ...process.env, ...productionEnv('gateway', secretStoreIn(productionDataDir())).env, PARTNERS_FILE: partnersFileIn(productionDataDir()) }
    : process.env,
);
try {
  const { key, record } = registerPartner(config, values.name, values.manifest);
  console.error(
    `Registered partner ${record.name} with manifest ${record.manifest} in ${partnersFileOf(config)}.`,
  );
  console.error('Its API key is shown once; send it as the x-api-key header:');
  console.log(key);
} catch (error) {
  console.error(
    `Could not register ${values.name}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
