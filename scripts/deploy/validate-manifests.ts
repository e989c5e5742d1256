// Validates Kubernetes objects against the Kubernetes API's OpenAPI schemas offline, with the
// ajv validators compiled into the `kubernetes-models` packages (core API, and the External
// Secrets Operator CRDs from @kubernetes-models/external-secrets). Those packages are ES modules,
// so this runs under tsx (scripts/validate-k8s.ts), not inside jest.
// Limits: the compiled schemas check types, required fields and enums, not unknown fields.

interface ModelClass {
  new (data: object): { validate(): void };
}

export interface ManifestProblem {
  kind: string;
  name: string;
  message: string;
}

/** Where the model class of an apiVersion and kind lives. */
function modelModule(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('external-secrets.io/'))
    return `@kubernetes-models/external-secrets/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

async function modelOf(apiVersion: string, kind: string): Promise<ModelClass> {
  const module = (await import(modelModule(apiVersion, kind))) as Record<string, ModelClass | undefined>;
  const model = module[kind];
  if (!model) throw new Error(`no model class ${kind} in ${modelModule(apiVersion, kind)}`);
  return model;
}

/** Every object's problems; an object whose apiVersion/kind has no schema is a problem too. */
export async function validateObjects(objects: Record<string, unknown>[]): Promise<ManifestProblem[]> {
  const problems: ManifestProblem[] = [];
  for (const object of objects) {
    const kind = String(object.kind);
    const name = String((object.metadata as { name?: string } | undefined)?.name);
    let model: ModelClass;
    try {
      model = await modelOf(String(object.apiVersion), kind);
    } catch (error) {
      problems.push({
        kind,
        name,
        message: `no schema for ${String(object.apiVersion)} ${kind}: ${String(error)}`,
      });
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      problems.push({ kind, name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return problems;
}
