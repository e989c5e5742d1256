// npm run infra:generate: writes the Terraform files derived from the code (see scripts/deploy/terraform.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { renderInfra } from './deploy/terraform';

for (const [relative, content] of renderInfra()) {
  const target = path.join(repoRoot, 'infra', relative);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  console.log(`Wrote infra/${relative}`);
}
