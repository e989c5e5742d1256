// npm run compose: composes the subgraphs in supergraph.yaml into gateway/supergraph.graphql.
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { supergraphFile, writeSupergraph } from '@cloudmart/gateway/compose';

const outcome = writeSupergraph();
if (!outcome.ok) {
  console.error(`Composition failed with ${outcome.errors.length} error(s):\n`);
  for (const error of outcome.errors) console.error(`  • ${error}\n`);
  process.exit(1);
}
for (const hint of outcome.hints) console.log(`hint: ${hint}`);
console.log(`Composed ${path.relative(repoRoot, supergraphFile)}`);
