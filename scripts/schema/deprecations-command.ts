// npm run schema:deprecations [-- options]: every @deprecated field, argument, input field and enum
// value of the working tree's API schema, with the clients and operations still using it (the web
// and partner manifests, the gateway's recorded usage within --usage-days) and when last seen.
import { checkUsage, parseCheckArguments } from './options';
import { deprecationsInUse, renderDeprecations } from './deprecations';
import { composeWorkingTree, gatherClients } from './run-check';

async function main(): Promise<void> {
  const { options } = parseCheckArguments(process.argv.slice(2));
  const { apiSchema } = composeWorkingTree(options.supergraphConfig);
  const clients = await gatherClients(options);
  const window = `since ${clients.evidence.usage.since} (the last ${options.usageDays} days)`;
  console.log(renderDeprecations(deprecationsInUse(apiSchema, clients.operations, clients.recentFields), window));
}

main().catch((error: unknown) => {
  console.error(`schema:deprecations: ${error instanceof Error ? error.message : String(error)}\n${checkUsage}`);
  process.exit(1);
});
