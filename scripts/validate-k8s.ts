// npm run k8s:validate [-- <kustomization dir>...]: renders each overlay with `kubectl kustomize` ($KUBECTL if set)
// and validates every object against the Kubernetes schemas (scripts/deploy/validate-manifests.ts).
// Prints one JSON line per directory: { dir, objects: [{kind, name}], problems: [...] }; exits 1
// when any object is invalid. Also accepts `--stdin` to validate YAML documents piped in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '@cloudmart/runtime';
import { validateObjects } from './deploy/validate-manifests';

async function validate(dir: string, yamlText: string): Promise<boolean> {
  const objects = parseAllDocuments(yamlText)
    .map((document) => document.toJS() as Record<string, unknown> | null)
    .filter((object): object is Record<string, unknown> => object !== null);
  const problems = await validateObjects(objects);
  const summary = objects.map((object) => ({
    kind: object.kind,
    name: (object.metadata as { name?: string } | undefined)?.name,
  }));
  console.log(JSON.stringify({ dir, objects: summary, problems }));
  return problems.length === 0;
}

async function main() {
  const args = process.argv.slice(2);
  let ok = true;
  if (args.includes('--stdin')) {
    ok = await validate('-', readFileSync(0, 'utf8'));
  } else {
    const dirs = args.length > 0 ? args : ['k8s/overlays/dev', 'k8s/overlays/prod'];
    for (const dir of dirs) {
      const rendered = execFileSync(
        process.env.KUBECTL || 'kubectl',
        ['kustomize', path.resolve(repoRoot, dir)],
        {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      ok = (await validate(dir, rendered)) && ok;
    }
  }
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
