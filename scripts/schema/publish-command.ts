// npm run schema:publish [-- --force] [check options]: runs schema:check and, when it passes (or
// with --force, said in the output), writes the working tree's API schema and partner contract to
// gateway/published/ with a history entry. Commit the files it writes with the schema change.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkUsage, parseCheckArguments } from './options';
import { displayPath as shown, publish, publishedFiles } from './published';
import { runSchemaCheck } from './run-check';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCheckArguments(process.argv.slice(2));
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : String(error)}\nusage: npm run schema:publish -- [--force] [options]\n${checkUsage}\n  --force               publish even when the check fails`,
    );
    return 2;
  }
  const run = await runSchemaCheck(parsed.options);
  mkdirSync(path.dirname(parsed.report), { recursive: true });
  writeFileSync(parsed.report, run.report);
  if (!run.ok) {
    console.log(run.report);
    if (!parsed.force) {
      console.error(`Not published: the schema check fails (report: ${parsed.report}). Fix it, or publish anyway with --force.`);
      return 1;
    }
    console.error('The schema check fails: publishing anyway because of --force.');
  }
  const dir = parsed.options.publishedDir;
  const historyFile = publish(dir, run.apiSdl, run.contractSdl);
  if (!historyFile) {
    console.log(`The API schema is the one already published (${shown(publishedFiles(dir).api)}); partner contract refreshed.`);
  } else {
    console.log(`Published ${shown(publishedFiles(dir).api)}, ${shown(publishedFiles(dir).contract)} and ${shown(historyFile)}.`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`schema:publish: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
