// infra/: every Terraform file parses, the generated files are current, the DynamoDB tables in
// Terraform are the code's (subgraphs/runtime/src/dynamodb/tables.ts), and each local module
// call passes exactly variables the module declares. No Terraform binary runs here: this is
// what can be checked offline (HCL parsed by @cdktf/hcl2json, HashiCorp's parser compiled to wasm).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse as parseYaml } from 'yaml';
import { repoRoot, tableDefinitions, type TableDefinition } from '@cloudmart/runtime';
import { renderInfra, warehouseTables } from '../../scripts/deploy/terraform';

// Loaded untyped: @cdktf/hcl2json's declarations reference the DOM library, which would change
// fetch's and streams' types for the whole program that `tsc -b` checks.
const { parse: parseHcl } = createRequire(__filename)('@cdktf/hcl2json') as {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
};

const infraDir = path.join(repoRoot, 'infra');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === '.terraform') return [];
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const allFiles = filesUnder(infraDir);
const hclFiles = allFiles.filter(
  (file) => file.endsWith('.tf') || file.endsWith('.tfvars') || file.endsWith('.tfbackend'),
);
const jsonFiles = allFiles.filter((file) => file.endsWith('.tf.json') || file.endsWith('.tfvars.json'));

type HclBody = Record<string, unknown>;
type Blocks = Record<string, Record<string, HclBody[]>>;

/** Parses every .tf file of one Terraform module folder (not its sub-folders) and merges them. */
async function moduleConfig(dir: string) {
  const merged: { variable: Record<string, HclBody[]>; module: Record<string, HclBody[]>; resource: Blocks } =
    {
      variable: {},
      module: {},
      resource: {},
    };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.tf'))) {
    const body = (await parseHcl(file, readFileSync(path.join(dir, file), 'utf8'))) as {
      variable?: Record<string, HclBody[]>;
      module?: Record<string, HclBody[]>;
      resource?: Blocks;
    };
    Object.assign(merged.variable, body.variable);
    Object.assign(merged.module, body.module);
    for (const [type, resources] of Object.entries(body.resource ?? {}))
      merged.resource[type] = { ...merged.resource[type], ...resources };
  }
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.tf.json'))) {
    const body = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      variable?: Record<string, HclBody>;
      resource?: Record<string, Record<string, HclBody>>;
    };
    for (const [name, variable] of Object.entries(body.variable ?? {})) merged.variable[name] = [variable];
    for (const [type, resources] of Object.entries(body.resource ?? {})) {
      merged.resource[type] = {
        ...merged.resource[type],
        ...Object.fromEntries(Object.entries(resources).map(([name, value]) => [name, [value]])),
      };
    }
  }
  return merged;
}

describe('Terraform (infra/)', () => {
  it('has the AWS, GCP, Azure and bootstrap stacks', () => {
    for (const stack of ['bootstrap', 'aws', 'gcp', 'azure']) {
      expect(hclFiles.some((file) => file.startsWith(path.join(infraDir, stack) + path.sep))).toBe(true);
    }
  });

  it('parses every .tf, .tfvars and .tfbackend file', async () => {
    expect(hclFiles.length).toBeGreaterThan(15);
    for (const file of hclFiles) {
      await expect(parseHcl(path.basename(file), readFileSync(file, 'utf8')).then(() => file)).resolves.toBe(
        file,
      );
    }
  });

  it('the HCL parser rejects a broken file', async () => {
    await expect(parseHcl('broken.tf', 'resource "aws_s3_bucket" "x" {\n  bucket = \n')).rejects.toThrow(
      /broken\.tf/,
    );
  });

  it('parses every .tf.json and .tfvars.json file', () => {
    expect(jsonFiles.length).toBeGreaterThan(0);
    for (const file of jsonFiles)
      expect(() => JSON.parse(readFileSync(file, 'utf8')) as unknown).not.toThrow();
  });

  it('the generated files are current (run `npm run infra:generate` when they are not)', () => {
    for (const [relative, content] of renderInfra()) {
      expect({ file: relative, content: readFileSync(path.join(infraDir, relative), 'utf8') }).toEqual({
        file: relative,
        content,
      });
    }
  });

  it('every DynamoDB table in Terraform matches the code: names, keys, indexes, stream, TTL, PITR', async () => {
    const { resource } = await moduleConfig(path.join(infraDir, 'aws', 'modules', 'dynamodb'));
    const tables = Object.values(resource.aws_dynamodb_table ?? {}).map(
      (blocks) => blocks[0] as Record<string, unknown>,
    );
    const definitions = Object.values(tableDefinitions as Record<string, TableDefinition>);
    expect(tables.map((table) => table.name).sort()).toEqual(
      definitions.map((d) => `\${var.table_prefix}${d.suffix}`).sort(),
    );
    for (const definition of definitions) {
      const table = tables.find(
        (candidate) => candidate.name === `\${var.table_prefix}${definition.suffix}`,
      )!;
      expect({ table: definition.suffix, hash: table.hash_key, range: table.range_key }).toEqual({
        table: definition.suffix,
        hash: definition.partitionKey.name,
        range: definition.sortKey?.name,
      });
      const indexes = definition.globalSecondaryIndexes ?? [];
      const keyAttributes = [
        definition.partitionKey,
        definition.sortKey,
        ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
      ];
      const expectedAttributes = new Map(
        keyAttributes.filter((key) => key !== undefined).map((key) => [key.name, key.type]),
      );
      expect(
        new Map(
          (table.attribute as { name: string; type: string }[]).map((attribute) => [
            attribute.name,
            attribute.type,
          ]),
        ),
      ).toEqual(expectedAttributes);
      const tfIndexes = (table.global_secondary_index ?? []) as Record<string, unknown>[];
      expect(
        tfIndexes.map((index) => [
          index.name,
          index.hash_key,
          index.range_key,
          index.projection_type,
          index.non_key_attributes,
        ]),
      ).toEqual(
        indexes.map((index) => {
          const projection = index.projection ?? 'ALL';
          return [
            index.name,
            index.partitionKey.name,
            index.sortKey?.name,
            typeof projection === 'string' ? projection : 'INCLUDE',
            typeof projection === 'string' ? undefined : projection.include,
          ];
        }),
      );
      expect({
        table: definition.suffix,
        stream: table.stream_enabled === true ? table.stream_view_type : undefined,
      }).toEqual({
        table: definition.suffix,
        stream: definition.stream,
      });
      expect({
        table: definition.suffix,
        ttl: (table.ttl as { attribute_name: string; enabled: boolean } | undefined)?.attribute_name,
      }).toEqual({
        table: definition.suffix,
        ttl: definition.ttlAttribute,
      });
      expect(table.point_in_time_recovery).toEqual({ enabled: true });
      expect(table.billing_mode).toBe('PAY_PER_REQUEST');
    }
  });

  it('every BigQuery table in Terraform matches the insights warehouse definitions', async () => {
    const expected = warehouseTables();
    const { resource } = await moduleConfig(path.join(infraDir, 'gcp'));
    const tables = Object.values(resource.google_bigquery_table ?? {}).map(
      (blocks) => blocks[0] as Record<string, unknown>,
    );
    expect(tables.map((table) => table.table_id).sort()).toEqual(expected.map((table) => table.name).sort());
    for (const table of expected) {
      const tf = tables.find((candidate) => candidate.table_id === table.name)!;
      const schema = JSON.parse(tf.schema as string) as { name: string; type: string }[];
      expect(schema.map((column) => [column.name, column.type])).toEqual(
        table.columns.map((column) => [column.name, column.type]),
      );
      expect(tf.time_partitioning).toEqual({ type: 'DAY', field: table.partitionBy });
    }
  });

  it('gives every deployed service (the gateway and each subgraph in supergraph.yaml) an IRSA role, ECR repository and secret entry', () => {
    const subgraphs = Object.keys(
      (parseYaml(readFileSync(path.join(repoRoot, 'supergraph.yaml'), 'utf8')) as { subgraphs: object })
        .subgraphs,
    );
    const tfvars = JSON.parse(
      readFileSync(path.join(infraDir, 'aws', 'services.auto.tfvars.json'), 'utf8'),
    ) as {
      services: Record<string, { dynamodb_tables: string[] }>;
    };
    expect(Object.keys(tfvars.services).sort()).toEqual(['gateway', ...subgraphs].sort());
    // A service's IAM role covers the tables it owns.
    for (const definition of Object.values(tableDefinitions as Record<string, TableDefinition>)) {
      if (tfvars.services[definition.owner])
        expect(tfvars.services[definition.owner]!.dynamodb_tables).toContain(definition.suffix);
    }
  });

  it.each(['aws', 'gcp', 'azure'])('the %s stack keeps its state in the S3 backend', async (stack) => {
    const body = (await parseHcl(
      'versions.tf',
      readFileSync(path.join(infraDir, stack, 'versions.tf'), 'utf8'),
    )) as {
      terraform: { backend?: Record<string, unknown> }[];
    };
    expect(Object.keys(body.terraform[0]!.backend ?? {})).toEqual(['s3']);
  });

  it('each local module call passes only variables the module declares, and every required one', async () => {
    const roots = ['aws', 'gcp', 'azure', 'bootstrap'].map((stack) => path.join(infraDir, stack));
    const dirs = [
      ...roots,
      ...readdirSync(path.join(infraDir, 'aws', 'modules')).map((name) =>
        path.join(infraDir, 'aws', 'modules', name),
      ),
    ];
    let calls = 0;
    for (const dir of dirs) {
      const { module: modules } = await moduleConfig(dir);
      for (const [name, [call]] of Object.entries(modules)) {
        const source = String(call!.source);
        if (!source.startsWith('./')) continue;
        calls += 1;
        const target = await moduleConfig(path.join(dir, source));
        const declared = Object.keys(target.variable).sort();
        const passed = Object.keys(call!).filter(
          (key) => !['source', 'version', 'depends_on', 'providers', 'count', 'for_each'].includes(key),
        );
        const required = Object.entries(target.variable)
          .filter(([, [variable]]) => !('default' in variable!))
          .map(([variable]) => variable);
        expect({ module: name, unknown: passed.filter((key) => !declared.includes(key)) }).toEqual({
          module: name,
          unknown: [],
        });
        expect({ module: name, missing: required.filter((key) => !passed.includes(key)) }).toEqual({
          module: name,
          missing: [],
        });
      }
    }
    expect(calls).toBeGreaterThanOrEqual(8);
  });
});
