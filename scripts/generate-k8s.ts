// npm run k8s:generate: writes k8s/base/kustomization.yaml, k8s/base/config.yaml and one file per
// service under k8s/base/services/ (the gateway and every subgraph in supergraph.yaml), and
// removes the files of services no longer listed. test/deploy/k8s.test.ts fails when they are stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cloudmart/runtime';
import { renderK8s } from './deploy/k8s';

const k8sDir = path.join(repoRoot, 'k8s');
const files = renderK8s();
const servicesDir = path.join(k8sDir, 'base', 'services');
mkdirSync(servicesDir, { recursive: true });
for (const file of readdirSync(servicesDir)) {
  if (!files.has(`base/services/${file}`)) {
    rmSync(path.join(servicesDir, file));
    console.log(`Removed k8s/base/services/${file}`);
  }
}
for (const [relative, content] of files) {
  const target = path.join(k8sDir, relative);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
}
console.log(`Wrote ${files.size} files under k8s/base`);
