// npm run schema:check [-- options]: composes the working tree's subgraph schemas, compares the API
// schema with the published one (gateway/published/api.graphql), classifies every change and
// validates every registered and recently used operation against it (docs/schema-governance.md).
// Exit 1 when a change breaks a known client's operation or field; the Markdown report says which.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkUsage, parseCheckArguments } from './options';
import { runSchemaCheck } from './run-check';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCheckArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nusage: npm run schema:check -- [options]\n${checkUsage}`);
    return 2;
  }
  const run = await runSchemaCheck(parsed.options);
  mkdirSync(path.dirname(parsed.report), { recursive: true });
  writeFileSync(parsed.report, run.report);
  console.log(run.report);
  console.log(`Report: ${parsed.report}`);
  return run.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`schema:check: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
