// infra/: every Terraform file parses, the generated files are current, the DynamoDB tables in
// Terraform are the subgraphs' contracts' (gathered by scripts/deploy/contracts.ts), and each local module
// call passes exactly variables the module declares. No Terraform binary runs here: this is
// what can be checked offline (HCL parsed by @cdktf/hcl2json, HashiCorp's parser compiled to wasm).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { repoRoot, type TableDefinition } from '@cloudmart/runtime';
import { allTables, contracts } from '@cloudmart/scripts/deploy/contracts';
import * as runtime from '@cloudmart/runtime';
import { renderK8s } from '@cloudmart/scripts/deploy/k8s';
import { lambdaFunctions } from '@cloudmart/scripts/deploy/lambdas';
import { productsTables } from '@cloudmart/products/contract';
import { insightsTables } from '@cloudmart/insights/contract';
import { WAREHOUSE_CONSUMER_GROUP } from '@cloudmart/insights/lambda/warehouse-sink';
import { NOTIFIER_CONSUMER_GROUP, notificationsTables } from '@cloudmart/notifications/contract';
import { ordersTables } from '@cloudmart/orders/contract';
import { renderInfra, warehouseTables } from '@cloudmart/scripts/deploy/terraform';

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
  const merged: {
    variable: Record<string, HclBody[]>;
    module: Record<string, HclBody[]>;
    output: Record<string, HclBody[]>;
    locals: HclBody;
    resource: Blocks;
    data: Blocks;
  } = {
    variable: {},
    module: {},
    output: {},
    locals: {},
    resource: {},
    data: {},
  };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.tf'))) {
    const body = (await parseHcl(file, readFileSync(path.join(dir, file), 'utf8'))) as {
      variable?: Record<string, HclBody[]>;
      module?: Record<string, HclBody[]>;
      output?: Record<string, HclBody[]>;
      locals?: HclBody[];
      resource?: Blocks;
      data?: Blocks;
    };
    Object.assign(merged.variable, body.variable);
    Object.assign(merged.module, body.module);
    Object.assign(merged.output, body.output);
    Object.assign(merged.locals, ...(body.locals ?? []));
    for (const [type, resources] of Object.entries(body.resource ?? {}))
      merged.resource[type] = { ...merged.resource[type], ...resources };
    for (const [type, sources] of Object.entries(body.data ?? {}))
      merged.data[type] = { ...merged.data[type], ...sources };
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

/** The one resource of a type in a parsed module (its first block), or the one of that name. */
function resourceOf(resources: Blocks, type: string, name?: string): HclBody {
  if (name !== undefined) {
    const named = resources[type]?.[name]?.[0];
    if (!named) throw new Error(`no ${type}.${name}`);
    return named;
  }
  const found = Object.values(resources[type] ?? {});
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]![0]!;
}

describe('Terraform (infra/)', () => {
  it('has the AWS, GCP, Azure, Kafka and bootstrap stacks', () => {
    for (const stack of ['bootstrap', 'aws', 'gcp', 'azure', 'kafka']) {
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
    const definitions: TableDefinition[] = Object.values(allTables);
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
    for (const definition of Object.values(allTables)) {
      if (tfvars.services[definition.owner])
        expect(tfvars.services[definition.owner]!.dynamodb_tables).toContain(definition.suffix);
    }
  });

  it.each(['aws', 'gcp', 'azure', 'kafka'])(
    'the %s stack keeps its state in the S3 backend',
    async (stack) => {
      const body = (await parseHcl(
        'versions.tf',
        readFileSync(path.join(infraDir, stack, 'versions.tf'), 'utf8'),
      )) as {
        terraform: { backend?: Record<string, unknown> }[];
      };
      expect(Object.keys(body.terraform[0]!.backend ?? {})).toEqual(['s3']);
    },
  );

  it('each local module call passes only variables the module declares, and every required one', async () => {
    const roots = ['aws', 'gcp', 'azure', 'bootstrap', 'kafka'].map((stack) => path.join(infraDir, stack));
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
    expect(calls).toBeGreaterThanOrEqual(10);
  });

  describe('closes the deploy gaps (issue 18)', () => {
    type Tfvars = {
      shared_secret_keys: string[];
      file_secrets: string[];
      services: Record<
        string,
        { dynamodb_tables: string[]; dynamodb_read_tables: string[]; secret_keys: string[] }
      >;
    };
    const tfvars = () =>
      JSON.parse(readFileSync(path.join(infraDir, 'aws', 'services.auto.tfvars.json'), 'utf8')) as Tfvars;
    const hcl = async (relative: string) =>
      (await parseHcl(
        path.basename(relative),
        readFileSync(path.join(infraDir, relative), 'utf8'),
      )) as Record<string, Record<string, Record<string, unknown>[]>>;

    it('every secret an ExternalSecret reads is created by Terraform, under the key it names', () => {
      const vars = tfvars();
      type ExternalSecret = {
        kind: string;
        spec: {
          data?: { remoteRef: { key: string; property: string } }[];
          dataFrom?: { extract: { key: string } }[];
        };
      };
      const externalSecrets = [...renderK8s().values()]
        .flatMap((file) => parseAllDocuments(file).map((document) => document.toJS() as ExternalSecret))
        .filter((object) => object?.kind === 'ExternalSecret');
      expect(externalSecrets.length).toBeGreaterThan(8);
      for (const secret of externalSecrets) {
        for (const { remoteRef } of secret.spec.data ?? []) {
          const owner = remoteRef.key.replace(/^cloudmart\//, '');
          const keys = owner === 'shared' ? vars.shared_secret_keys : vars.services[owner]?.secret_keys;
          expect({ ref: remoteRef, inTerraform: keys?.includes(remoteRef.property) }).toEqual({
            ref: remoteRef,
            inTerraform: true,
          });
        }
        for (const { extract } of secret.spec.dataFrom ?? [])
          expect(vars.file_secrets).toContain(extract.key.replace(/^cloudmart\//, ''));
      }
    });

    it('grants reads (and only reads) of the tables recommendations and insights read but do not own', async () => {
      const vars = tfvars();
      expect(vars.services.recommendations!.dynamodb_read_tables).toContain('products');
      expect(vars.services.insights!.dynamodb_read_tables).toEqual(
        expect.arrayContaining(['orders', 'products']),
      );
      for (const [service, settings] of Object.entries(vars.services))
        for (const table of settings.dynamodb_read_tables)
          expect({ service, table, writes: settings.dynamodb_tables.includes(table) }).toEqual({
            service,
            table,
            writes: false,
          });
      const irsa = readFileSync(path.join(infraDir, 'aws', 'modules', 'irsa', 'main.tf'), 'utf8');
      const readStatement = irsa.slice(irsa.indexOf('"DynamoDBReadOnlyTables"'));
      const actions = readStatement.slice(0, readStatement.indexOf('resources'));
      expect(actions).toMatch(/dynamodb:GetItem/);
      expect(actions).toMatch(/dynamodb:GetRecords/);
      expect(actions).not.toMatch(/Put|Update|Delete|Write|ConditionCheck/);
      expect(readStatement.slice(0, readStatement.indexOf('dynamic'))).toMatch(
        /each\.value\.dynamodb_read_tables/,
      );
    });

    it('creates ElastiCache Redis (TLS, failover) for the services that read REDIS_URL, and puts REDIS_URL in their secrets', async () => {
      const main = await hcl('aws/main.tf');
      expect(main.module!.redis![0]!.source).toBe('./modules/redis');
      const redis = await moduleConfig(path.join(infraDir, 'aws', 'modules', 'redis'));
      const group = resourceOf(redis.resource, 'aws_elasticache_replication_group');
      expect(group.transit_encryption_enabled).toBe(true);
      expect(group.at_rest_encryption_enabled).toBe(true);
      expect(group.automatic_failover_enabled).toBeDefined();
      const outputs = await hcl('aws/outputs.tf');
      expect(Object.keys(outputs.output!)).toEqual(expect.arrayContaining(['redis_primary_endpoint']));
      const vars = tfvars();
      for (const service of ['gateway', 'users', 'support'])
        expect(vars.services[service]!.secret_keys).toContain('REDIS_URL');
    });

    it('puts an RDS Proxy (the connection pooler) in front of the users database', async () => {
      const rds = await moduleConfig(path.join(infraDir, 'aws', 'modules', 'rds'));
      expect(resourceOf(rds.resource, 'aws_db_proxy').engine_family).toBe('POSTGRESQL');
      expect(resourceOf(rds.resource, 'aws_db_proxy').require_tls).toBe(true);
      expect(resourceOf(rds.resource, 'aws_db_proxy_target')).toBeDefined();
      const outputs = await hcl('aws/outputs.tf');
      expect(Object.keys(outputs.output!)).toContain('rds_proxy_endpoint');
    });

    it("lets the services' Kafka clients in over MSK's IAM listener: the idempotent producer and a replica's own group", () => {
      const irsa = readFileSync(path.join(infraDir, 'aws', 'modules', 'irsa', 'main.tf'), 'utf8');
      const kafka = irsa.slice(irsa.indexOf('"Kafka"'));
      for (const action of [
        'Connect',
        'ReadData',
        'WriteData',
        'WriteDataIdempotently',
        'AlterGroup',
        'DeleteGroup',
      ]) {
        expect(kafka).toContain(`"kafka-cluster:${action}"`);
      }
    });

    it('provisions every topic the runtime and the subgraph contracts define (orders.events and products.events), replicated three times', async () => {
      const defined = [runtime, ...Object.values(contracts)]
        .flatMap((module) => Object.values(module as Record<string, unknown>))
        .filter(
          (value): value is { name: string } =>
            typeof value === 'object' &&
            value !== null &&
            typeof (value as { name?: unknown }).name === 'string' &&
            typeof (value as { parse?: unknown }).parse === 'function' &&
            typeof (value as { key?: unknown }).key === 'function',
        )
        .map((topic) => topic.name);
      expect(defined).toEqual(expect.arrayContaining(['orders.events', 'products.events']));
      const { topics } = JSON.parse(
        readFileSync(path.join(infraDir, 'kafka', 'topics.auto.tfvars.json'), 'utf8'),
      ) as { topics: Record<string, { partitions: number }> };
      expect(Object.keys(topics).sort()).toEqual([...new Set(defined)].sort());
      for (const topic of Object.values(topics)) expect(topic.partitions).toBeGreaterThanOrEqual(6);
      const kafka = await moduleConfig(path.join(infraDir, 'kafka'));
      const resource = resourceOf(kafka.resource, 'kafka_topic');
      expect(resource.for_each).toBe('${var.topics}');
      expect(resource.replication_factor).toBe(3);
      expect((resource.config as Record<string, string>)['min.insync.replicas']).toBe('2');
    });

    it('trusts the EKS cluster’s tokens for the insights service account at GCP, and outputs the credential configuration', async () => {
      const gcp = await moduleConfig(path.join(infraDir, 'gcp'));
      const provider = resourceOf(gcp.resource, 'google_iam_workload_identity_pool_provider');
      const oidc = (provider.oidc as Record<string, unknown>[])[0]!;
      expect(oidc.allowed_audiences).toEqual(['${var.token_audience}']);
      expect(String(provider.attribute_condition)).toMatch(/assertion\.sub ==/);
      const outputs = await hcl('gcp/outputs.tf');
      const configuration = String(outputs.output!.credential_configuration![0]!.value);
      expect(configuration).toMatch(/external_account/);
      expect(configuration).toMatch(/var\.token_path/);
    });
  });

  describe('product media (issue 20)', () => {
    it('runs the upload Lambda (npm run lambdas) on the bucket\'s ObjectCreated events under uploads/, retried, failures queued', async () => {
      const { resource, data } = await media();
      const fn = resource('aws_lambda_function', 'upload_variants');
      expect(fn).toMatchObject({
        runtime: 'nodejs24.x',
        handler: 'index.handler',
        architectures: ['x86_64'],
        filename: '${var.upload_lambda_zip}',
        source_code_hash: '${filebase64sha256(var.upload_lambda_zip)}',
        role: '${aws_iam_role.upload_lambda.arn}',
      });
      expect(fn.reserved_concurrent_executions).toBeGreaterThan(0);
      const variables = (fn.environment as { variables: Record<string, string> }[])[0]!.variables;
      expect(variables).toMatchObject({ NODE_ENV: 'production', MEDIA_BUCKET: bucketRef('bucket'), DYNAMODB_TABLE_PREFIX: '${var.table_prefix}' });

      // The zip and the table are the ones the code defines.
      const root = await moduleConfig(awsDir);
      const call = root.module.media![0]!;
      const zip = /dist\/lambdas\/([\w-]+)\.zip"?$/.exec(String(call.upload_lambda_zip))?.[1];
      expect(lambdaFunctions.map((candidate) => candidate.name)).toContain(zip);
      expect(call.uploads_table_name).toBe(`\${var.table_prefix}${productsTables.productImageUploads.suffix}`);

      const notification = resource('aws_s3_bucket_notification');
      expect(notification.bucket).toBe(bucketRef('id'));
      expect(notification.lambda_function).toEqual([
        { lambda_function_arn: '${aws_lambda_function.upload_variants.arn}', events: ['s3:ObjectCreated:*'], filter_prefix: 'uploads/' },
      ]);
      expect(notification.depends_on).toEqual(['${aws_lambda_permission.upload_variants_from_s3}']);
      expect(resource('aws_lambda_permission')).toMatchObject({
        principal: 's3.amazonaws.com',
        action: 'lambda:InvokeFunction',
        source_arn: bucketRef('arn'),
      });
      const invoke = resource('aws_lambda_function_event_invoke_config');
      expect(invoke.maximum_retry_attempts).toBe(2);
      expect(invoke.destination_config).toEqual([
        { on_failure: [{ destination: '${aws_sqs_queue.upload_lambda_failures.arn}' }] },
      ]);

      // Its role: read originals, write variants, its upload records, its logs, its failure queue.
      const statements = (data('aws_iam_policy_document', 'upload_lambda').statement as { actions: string[]; resources: string[] }[]).map(
        ({ actions, resources }) => ({ actions: [...actions].sort(), resources }),
      );
      expect(statements).toEqual([
        { actions: ['s3:GetObject'], resources: [`${bucketRef('arn')}/uploads/*`] },
        { actions: ['s3:PutObject'], resources: [`${bucketRef('arn')}/products/*`] },
        {
          actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          resources: ['arn:aws:dynamodb:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${var.uploads_table_name}'],
        },
        { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['${aws_cloudwatch_log_group.upload_lambda.arn}:*'] },
        { actions: ['sqs:SendMessage'], resources: ['${aws_sqs_queue.upload_lambda_failures.arn}'] },
      ]);
    });

    it('keeps S3 traffic inside the VPC with a gateway endpoint, as for DynamoDB', async () => {
      const network = await moduleConfig(path.join(awsDir, 'modules', 'network'));
      const { endpoints } = network.module.endpoints![0]! as { endpoints: Record<string, Record<string, unknown>> };
      expect(endpoints.s3).toEqual({
        service: 's3',
        service_type: 'Gateway',
        route_table_ids: '${module.vpc.private_route_table_ids}',
      });
    });

    const awsDir = path.join(infraDir, 'aws');
    const mediaDir = path.join(awsDir, 'modules', 'media');
    /** A module's parsed .tf files, with `${local.x}` inside its strings replaced by the local's value. */
    async function media() {
      const config = await moduleConfig(mediaDir);
      const locals = config.locals as Record<string, string>;
      const resolve = (value: unknown): unknown =>
        typeof value === 'string'
          ? value.replace(/\$\{local\.(\w+)\}/g, (_, name: string) => {
              if (!(name in locals)) throw new Error(`no local ${name} in modules/media`);
              return locals[name]!;
            })
          : Array.isArray(value)
            ? value.map(resolve)
            : typeof value === 'object' && value !== null
              ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]))
              : value;
      return {
        resource: (type: string, name?: string) => resolve(resourceOf(config.resource, type, name)) as HclBody,
        data: (type: string, name?: string) => resolve(resourceOf(config.data, type, name)) as HclBody,
        output: (name: string) => resolve(config.output[name]?.[0]?.value),
      };
    }
    const bucketRef = (attribute: string) => `\${aws_s3_bucket.media.${attribute}}`;

    it('wires the media module from the AWS stack with the shop origins of each environment', async () => {
      const root = await moduleConfig(awsDir);
      const call = root.module.media![0]!;
      expect(call.source).toBe('./modules/media');
      expect(call.cors_origins).toBe('${var.media_cors_origins}');
      expect(call.name).toBe('${var.name}-${var.environment}');
      for (const environment of ['dev', 'prod']) {
        const file = path.join(awsDir, 'environments', `${environment}.tfvars`);
        const tfvars = (await parseHcl(path.basename(file), readFileSync(file, 'utf8'))) as {
          media_cors_origins?: string[];
        };
        expect({ environment, origins: tfvars.media_cors_origins }).toEqual({
          environment,
          origins: expect.arrayContaining([expect.stringMatching(/^https:\/\/[^/*]+$/)]),
        });
      }
    });

    it('keeps the bucket private: all four public access blocks, ACLs off, encrypted by default', async () => {
      const { resource } = await media();
      expect(resource('aws_s3_bucket').bucket).toMatch(/^\$\{var\.name\}-media-/);
      const block = resource('aws_s3_bucket_public_access_block');
      expect(block).toEqual({
        bucket: bucketRef('id'),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      const ownership = resource('aws_s3_bucket_ownership_controls');
      expect(ownership.bucket).toBe(bucketRef('id'));
      expect(ownership.rule).toEqual([{ object_ownership: 'BucketOwnerEnforced' }]);
      const encryption = resource('aws_s3_bucket_server_side_encryption_configuration');
      expect(encryption.bucket).toBe(bucketRef('id'));
      const rules = encryption.rule as {
        apply_server_side_encryption_by_default: { sse_algorithm: string }[];
      }[];
      expect(rules.map((rule) => rule.apply_server_side_encryption_by_default[0]!.sse_algorithm)).toEqual([
        expect.stringMatching(/^(AES256|aws:kms)$/),
      ]);
    });

    it('expires originals under uploads/ after a day and aborts incomplete multipart uploads; products/ never expires', async () => {
      const { resource } = await media();
      const lifecycle = resource('aws_s3_bucket_lifecycle_configuration');
      expect(lifecycle.bucket).toBe(bucketRef('id'));
      type Rule = {
        status: string;
        filter?: { prefix?: string }[];
        expiration?: { days?: number }[];
        abort_incomplete_multipart_upload?: { days_after_initiation: number }[];
      };
      const rules = (lifecycle.rule as Rule[]).filter((rule) => rule.status === 'Enabled');
      const prefixOf = (rule: Rule) => rule.filter?.[0]?.prefix ?? '';
      const expiring = rules.filter((rule) => rule.expiration);
      expect(expiring.map((rule) => [prefixOf(rule), rule.expiration![0]!.days])).toEqual([['uploads/', 1]]);
      const aborting = rules.filter((rule) => rule.abort_incomplete_multipart_upload);
      // The whole bucket: no prefix (an empty filter block), so a stray multipart upload anywhere goes.
      expect(
        aborting.map((rule) => [
          prefixOf(rule),
          rule.abort_incomplete_multipart_upload![0]!.days_after_initiation,
        ]),
      ).toEqual([['', 1]]);
      expect(expiring.some((rule) => 'products/'.startsWith(prefixOf(rule)))).toBe(false);
    });

    it('lets the shop’s browsers PUT (signed content-type) and read, exposing ETag', async () => {
      const { resource } = await media();
      const cors = resource('aws_s3_bucket_cors_configuration');
      expect(cors.bucket).toBe(bucketRef('id'));
      const [rule, ...others] = cors.cors_rule as Record<string, unknown>[];
      expect(others).toEqual([]);
      expect(rule!.allowed_methods).toEqual(expect.arrayContaining(['PUT', 'GET', 'HEAD']));
      expect(rule!.allowed_methods).not.toContain('DELETE');
      expect(rule!.allowed_origins).toBe('${var.cors_origins}');
      expect(rule!.allowed_headers).toContain('content-type');
      expect(rule!.allowed_headers).not.toContain('*');
      expect(rule!.expose_headers).toContain('ETag');
    });

    it('serves the bucket through CloudFront with an S3 origin access control: HTTPS, GET/HEAD, compressed, cached long', async () => {
      const { resource } = await media();
      expect(resource('aws_cloudfront_origin_access_control')).toMatchObject({
        origin_access_control_origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      });
      const distribution = resource('aws_cloudfront_distribution');
      const origins = distribution.origin as Record<string, unknown>[];
      expect(origins).toEqual([
        expect.objectContaining({
          domain_name: bucketRef('bucket_regional_domain_name'),
          origin_access_control_id: '${aws_cloudfront_origin_access_control.media.id}',
        }),
      ]);
      // An origin access identity is the legacy mechanism OAC replaces.
      expect(JSON.stringify(origins)).not.toMatch(/origin_access_identity/);
      const behaviors = distribution.default_cache_behavior as Record<string, unknown>[];
      expect(behaviors).toHaveLength(1);
      expect(distribution.ordered_cache_behavior).toBeUndefined();
      const behavior = behaviors[0]!;
      expect(behavior.target_origin_id).toBe(origins[0]!.origin_id);
      expect(behavior.viewer_protocol_policy).toBe('redirect-to-https');
      expect([...(behavior.allowed_methods as string[])].sort()).toEqual(['GET', 'HEAD']);
      expect(behavior.compress).toBe(true);
      expect(behavior.cache_policy_id).toBe('${aws_cloudfront_cache_policy.media.id}');
      const policy = resource('aws_cloudfront_cache_policy');
      const year = 365 * 24 * 3600;
      expect(policy.default_ttl).toBeGreaterThanOrEqual(year);
      expect(policy.max_ttl).toBeGreaterThanOrEqual(policy.default_ttl as number);
      const key = (policy.parameters_in_cache_key_and_forwarded_to_origin as Record<string, unknown>[])[0]!;
      expect(key.enable_accept_encoding_gzip).toBe(true);
      expect(key.enable_accept_encoding_brotli).toBe(true);
      expect(key.cookies_config).toEqual([{ cookie_behavior: 'none' }]);
      expect(key.query_strings_config).toEqual([{ query_string_behavior: 'none' }]);
    });

    it('lets only that distribution read, and only products/: the bucket policy’s one principal is CloudFront on its ARN', async () => {
      const { resource, data } = await media();
      const policy = resource('aws_s3_bucket_policy');
      expect(policy.bucket).toBe(bucketRef('id'));
      expect(policy.policy).toBe('${data.aws_iam_policy_document.media.json}');
      const document = data('aws_iam_policy_document', 'media');
      expect(document.dynamic).toBeUndefined();
      expect(document.source_policy_documents ?? document.override_policy_documents).toBeUndefined();
      expect(document.statement).toEqual([
        {
          sid: expect.any(String) as string,
          actions: ['s3:GetObject'],
          resources: [`${bucketRef('arn')}/products/*`],
          principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
          condition: [
            {
              test: 'StringEquals',
              variable: 'AWS:SourceArn',
              values: ['${aws_cloudfront_distribution.media.arn}'],
            },
          ],
        },
      ]);
    });

    it('grants the products role Put, Get and Delete on uploads/ and products/ objects, and no other role the bucket', async () => {
      const { output } = await media();
      expect(output('service_object_arns')).toEqual([
        `${bucketRef('arn')}/uploads/*`,
        `${bucketRef('arn')}/products/*`,
      ]);
      const root = await moduleConfig(awsDir);
      expect(root.module.irsa![0]!.media_object_arns).toBe('${module.media.service_object_arns}');
      // The bucket reaches no other module call: the only roles are the irsa module's.
      for (const [name, [call]] of Object.entries(root.module)) {
        const { media_object_arns: _grants, ...rest } = call!;
        expect({ module: name, mentionsMedia: /module\.media\b/.test(JSON.stringify(rest)) }).toEqual({
          module: name,
          mentionsMedia: false,
        });
      }
      // Which services: those whose config reads MEDIA_BUCKET, products alone (generated tfvars).
      const { services } = JSON.parse(readFileSync(path.join(awsDir, 'services.auto.tfvars.json'), 'utf8')) as {
        services: Record<string, { media: boolean }>;
      };
      expect(Object.entries(services).filter(([, settings]) => settings.media).map(([name]) => name)).toEqual(['products']);

      const irsa = await moduleConfig(path.join(awsDir, 'modules', 'irsa'));
      const document = irsa.data.aws_iam_policy_document!.service![0]!;
      expect(String(document.for_each)).toMatch(/\|\| settings\.media \|\| settings\.ses \|\| settings\.sns \}\}$/);
      const statements = (
        document.dynamic as { statement: { for_each: string; content: { actions: string[] }[] }[] }
      ).statement;
      const s3 = statements.filter((statement) => JSON.stringify(statement).match(/s3:|media_object_arns/));
      expect(s3).toEqual([
        {
          for_each: '${each.value.media ? [1] : []}',
          content: [
            {
              sid: 'S3Objects',
              actions: expect.arrayContaining([
                's3:PutObject',
                's3:GetObject',
                's3:DeleteObject',
              ]) as string[],
              resources: '${var.media_object_arns}',
            },
          ],
        },
      ]);
      expect(s3[0]!.content[0]!.actions).toHaveLength(3);
      // Nothing else in the module grants S3: no static statement, no other document (External
      // Secrets' role, the trust policies), no resource or module call.
      const { dynamic: _statements, for_each: _services, ...serviceRest } = document;
      const others = { ...irsa.data.aws_iam_policy_document, service: [serviceRest] };
      expect(JSON.stringify([others, irsa.resource, irsa.module])).not.toMatch(/"s3:|media_object_arns/);
    });

    it("grants SES's SendEmail and SNS's Publish to the service that sends through them (notifications) alone", async () => {
      const { services } = JSON.parse(readFileSync(path.join(awsDir, 'services.auto.tfvars.json'), 'utf8')) as {
        services: Record<string, { ses: boolean; sns: boolean }>;
      };
      expect(Object.entries(services).filter(([, settings]) => settings.ses).map(([name]) => name)).toEqual(['notifications']);
      expect(Object.entries(services).filter(([, settings]) => settings.sns).map(([name]) => name)).toEqual(['notifications']);
      const irsa = await moduleConfig(path.join(awsDir, 'modules', 'irsa'));
      const statements = (
        irsa.data.aws_iam_policy_document!.service![0]!.dynamic as { statement: { for_each: string; content: unknown[] }[] }
      ).statement;
      const messaging = statements.filter((statement) => JSON.stringify(statement).match(/"(ses|sns):/));
      expect(messaging).toEqual([
        {
          for_each: '${each.value.ses ? [1] : []}',
          content: [
            {
              sid: 'SesSendEmail',
              actions: ['ses:SendEmail'],
              resources: [
                'arn:aws:ses:${var.region}:${local.account}:identity/*',
                'arn:aws:ses:${var.region}:${local.account}:configuration-set/*',
              ],
            },
          ],
        },
        { for_each: '${each.value.sns ? [1] : []}', content: [{ sid: 'SnsSms', actions: ['sns:Publish'], resources: ['*'] }] },
      ]);
    });

    it('outputs MEDIA_BUCKET and MEDIA_BASE_URL (https://<CloudFront domain>) for the products service', async () => {
      const { output } = await media();
      expect(output('bucket_name')).toBe(bucketRef('bucket'));
      expect(output('bucket_arn')).toBe(bucketRef('arn'));
      expect(output('domain_name')).toBe('${aws_cloudfront_distribution.media.domain_name}');
      expect(output('distribution_id')).toBe('${aws_cloudfront_distribution.media.id}');
      const root = await moduleConfig(awsDir);
      expect(root.output.media_bucket![0]!.value).toBe('${module.media.bucket_name}');
      expect(root.output.media_base_url![0]!.value).toBe('https://${module.media.domain_name}');
      expect(root.output.media_distribution_id![0]!.value).toBe('${module.media.distribution_id}');
    });
  });
  describe('event consumers as Lambda functions (issue 19)', () => {
    const awsDir = path.join(infraDir, 'aws');
    const moduleDir = path.join(awsDir, 'modules', 'event-lambdas');
    const consumers = ['insights-warehouse-sink', 'insights-review-sentiment', 'notifications-order-events'];
    /** The consumers by the Terraform name of their function, mapping and policy document. */
    const resourceNames: Record<string, string> = {
      'insights-warehouse-sink': 'warehouse_sink',
      'insights-review-sentiment': 'review_sentiment',
      'notifications-order-events': 'notifications_order_events',
    };
    const tableArn = (suffix: string) => `\${local.table_arn}${suffix}`;
    type Statement = { sid: string; actions: string[]; resources: string[] };

    /**
     * The statements a consumer's role ends up with: its policy document's own and those of the
     * documents it merges (source_policy_documents), actions sorted.
     */
    function roleStatements(data: Blocks, consumer: string): Statement[] {
      const documentOf = (reference: string): HclBody => {
        const match = /^\$\{data\.aws_iam_policy_document\.(\w+)(?:\[(?:"([\w-]+)"|0)\])?\.json\}$/.exec(reference);
        if (!match) throw new Error(`not a policy document reference: ${reference}`);
        const document = resourceOf(data, 'aws_iam_policy_document', match[1]);
        if (match[2] !== undefined) expect(document.for_each).toBeDefined();
        return document;
      };
      const collect = (document: HclBody): Statement[] => [
        ...((document.source_policy_documents as string[] | undefined) ?? []).flatMap((reference) => collect(documentOf(reference))),
        ...(document.statement as Statement[]).map(({ sid, actions, resources }) => ({ sid, actions: [...actions].sort(), resources })),
      ];
      const policy = resourceOf(data, 'aws_iam_policy_document', resourceNames[consumer]);
      return collect(policy).sort((a, b) => a.sid.localeCompare(b.sid));
    }

    it('wires the module from the AWS stack: the consumers turned on, the MSK cluster, the products table\'s stream, the zips', async () => {
      const root = await moduleConfig(awsDir);
      const call = root.module.event_lambdas![0]!;
      expect(call).toMatchObject({
        source: './modules/event-lambdas',
        consumers: '${var.lambda_consumers}',
        msk_cluster_arn: '${module.msk.cluster_arn}',
        products_stream_arn: `\${module.dynamodb.stream_arns["${productsTables.products.suffix}"]}`,
        table_prefix: '${var.table_prefix}',
        lambda_zips_dir: '${path.root}/../../dist/lambdas',
      });
      expect(productsTables.products.stream).toBe('NEW_AND_OLD_IMAGES');
      // In the cluster unless an environment says otherwise.
      expect(root.variable.lambda_consumers![0]!.default).toEqual([]);
      for (const environment of ['dev', 'prod']) {
        const file = path.join(awsDir, 'environments', `${environment}.tfvars`);
        const tfvars = (await parseHcl(path.basename(file), readFileSync(file, 'utf8'))) as { lambda_consumers?: string[] };
        for (const consumer of tfvars.lambda_consumers ?? []) expect(consumers).toContain(consumer);
      }
      // The module refuses a consumer it does not know.
      const module = await moduleConfig(moduleDir);
      const [validation] = module.variable.consumers![0]!.validation as { condition: string }[];
      expect(validation!.condition).toContain(`contains(${JSON.stringify(consumers).replace(/,/g, ', ')}, consumer)`);
    });

    it('runs each consumer as a Node.js 24 x86_64 function from the zip `npm run lambdas` builds, only when the environment turns it on', async () => {
      const { resource, locals } = await moduleConfig(moduleDir);
      expect(locals.functions).toBe(`\${toset(${JSON.stringify(consumers).replace(/,/g, ', ')})}`);
      expect(locals.enabled).toBe('${{ for function in local.functions : function => contains(var.consumers, function) }}');
      expect(locals.zip).toBe('${{ for function in local.functions : function => "${var.lambda_zips_dir}/${function}.zip" }}');
      const built = lambdaFunctions.map((fn) => fn.name);
      for (const consumer of consumers) {
        const name = resourceNames[consumer]!;
        const fn = resourceOf(resource, 'aws_lambda_function', name);
        expect({ consumer, fn }).toEqual({
          consumer,
          fn: expect.objectContaining({
            count: `\${local.enabled["${consumer}"] ? 1 : 0}`,
            function_name: `\${var.name}-${consumer}`,
            runtime: 'nodejs24.x',
            architectures: ['x86_64'],
            handler: 'index.handler',
            filename: `\${local.zip["${consumer}"]}`,
            source_code_hash: `\${filebase64sha256(local.zip["${consumer}"])}`,
            role: `\${aws_iam_role.consumer["${consumer}"].arn}`,
          }) as HclBody,
        });
        // A map, or (the notifier's) an HCL expression merging its own settings under these.
        const variables = JSON.stringify((fn.environment as { variables: unknown }[])[0]!.variables).replace(/\\"/g, '"');
        expect(variables).toMatch(/NODE_ENV"?\s*[:=]\s*"production"/);
        expect(variables).toMatch(/DYNAMODB_TABLE_PREFIX"?\s*[:=]\s*"?\$?\{?var\.table_prefix/);
        for (const type of ['aws_lambda_event_source_mapping', 'aws_iam_role_policy', 'aws_iam_policy_document']) {
          const source = type === 'aws_iam_policy_document' ? (await moduleConfig(moduleDir)).data : resource;
          expect({ consumer, type, count: resourceOf(source, type, name).count }).toEqual({
            consumer,
            type,
            count: `\${local.enabled["${consumer}"] ? 1 : 0}`,
          });
        }
        // The notifier's zip is listed with its handler (subgraphs/notifications/src/lambda/order-events.ts).
        expect({ consumer, built: built.includes(consumer) }).toEqual({ consumer, built: true });
      }
      for (const type of ['aws_iam_role', 'aws_cloudwatch_log_group', 'aws_sqs_queue']) {
        expect(Object.values(resource[type] ?? {}).map((blocks) => blocks[0]!.for_each)).toEqual(['${var.consumers}']);
      }
      // The warehouse sink never runs on DuckDB: without a BigQuery project it is refused at plan.
      const sink = resourceOf(resource, 'aws_lambda_function', 'warehouse_sink');
      const variables = (sink.environment as { variables: Record<string, string> }[])[0]!.variables;
      expect(variables).toMatchObject({ BIGQUERY_PROJECT: '${var.bigquery_project}', DYNAMODB_TABLE_PREFIX: '${var.table_prefix}' });
      expect(variables.WAREHOUSE).toBeUndefined();
      expect(JSON.stringify(sink.lifecycle)).toContain('var.bigquery_project != \\"\\"');
    });

    it('reads orders.events from MSK in the in-cluster consumers\' groups, reporting partial batch failures, with a failure queue', async () => {
      const { resource, locals } = await moduleConfig(moduleDir);
      expect(locals.order_events_topic).toBe(runtime.ORDER_EVENTS_TOPIC);
      expect(locals.kafka_consumer_groups).toEqual({
        'insights-warehouse-sink': WAREHOUSE_CONSUMER_GROUP,
        'notifications-order-events': '${var.notifications_consumer_group}',
      });
      const { variable } = await moduleConfig(moduleDir);
      expect(variable.notifications_consumer_group![0]!.default).toBe(NOTIFIER_CONSUMER_GROUP);
      for (const consumer of ['insights-warehouse-sink', 'notifications-order-events']) {
        const mapping = resourceOf(resource, 'aws_lambda_event_source_mapping', resourceNames[consumer]);
        expect({ consumer, mapping }).toEqual({
          consumer,
          mapping: expect.objectContaining({
            function_name: `\${aws_lambda_function.${resourceNames[consumer]}[0].arn}`,
            event_source_arn: '${var.msk_cluster_arn}',
            topics: ['${local.order_events_topic}'],
            amazon_managed_kafka_event_source_config: [{ consumer_group_id: `\${local.kafka_consumer_groups["${consumer}"]}` }],
            function_response_types: ['ReportBatchItemFailures'],
            bisect_batch_on_function_error: true,
            destination_config: [{ on_failure: [{ destination_arn: `\${aws_sqs_queue.failures["${consumer}"].arn}` }] }],
          }) as HclBody,
        });
        // Kafka's error handling (partial batch responses, retries, bisection, the queue) needs provisioned mode.
        expect((mapping.provisioned_poller_config as { minimum_pollers: number }[])[0]!.minimum_pollers).toBeGreaterThanOrEqual(1);
        expect(mapping.maximum_retry_attempts).toBeGreaterThan(0);
        expect(['TRIM_HORIZON', 'LATEST']).toContain(mapping.starting_position);
      }
      // A new warehouse group starts with the whole topic, as the in-cluster sink does.
      expect(resourceOf(resource, 'aws_lambda_event_source_mapping', 'warehouse_sink').starting_position).toBe('TRIM_HORIZON');
    });

    it('follows the products table\'s stream for review sentiment: partial batch failures, bisection, bounded retries, a failure queue', async () => {
      const { resource } = await moduleConfig(moduleDir);
      const mapping = resourceOf(resource, 'aws_lambda_event_source_mapping', 'review_sentiment');
      expect(mapping).toMatchObject({
        function_name: '${aws_lambda_function.review_sentiment[0].arn}',
        event_source_arn: '${var.products_stream_arn}',
        starting_position: 'TRIM_HORIZON',
        function_response_types: ['ReportBatchItemFailures'],
        bisect_batch_on_function_error: true,
        destination_config: [{ on_failure: [{ destination_arn: '${aws_sqs_queue.failures["insights-review-sentiment"].arn}' }] }],
      });
      expect(mapping.maximum_retry_attempts).toBeGreaterThan(0);
      expect(mapping.maximum_retry_attempts).toBeLessThanOrEqual(10);
      expect(mapping.topics).toBeUndefined();
    });

    it('gives each function a role with exactly what it does', async () => {
      const { data, locals } = await moduleConfig(moduleDir);
      expect(locals.table_arn).toBe('arn:aws:dynamodb:${local.region}:${local.account}:table/${var.table_prefix}');
      // Every role (consumer_basics, one per consumer): its logs, and its failure queue.
      const basics: Statement[] = [
        { sid: 'FailedRecords', actions: ['sqs:SendMessage'], resources: ['${aws_sqs_queue.failures[each.key].arn}'] },
        { sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['${aws_cloudwatch_log_group.consumer[each.key].arn}:*'] },
      ];
      const kafka: Statement[] = [
        { sid: 'Connect', actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeClusterDynamicConfiguration'], resources: ['${var.msk_cluster_arn}'] },
        {
          sid: 'ConsumerGroup',
          actions: ['kafka-cluster:AlterGroup', 'kafka-cluster:DescribeGroup'],
          resources: ['arn:aws:kafka:${local.region}:${local.account}:group/${local.msk_tail}/${each.value}'],
        },
        { sid: 'FindBrokers', actions: ['kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers'], resources: ['${var.msk_cluster_arn}'] },
        {
          sid: 'PollerNetworkInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DeleteNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
          ],
          resources: ['*'],
        },
        {
          sid: 'ReadOrderEvents',
          actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
          resources: ['arn:aws:kafka:${local.region}:${local.account}:topic/${local.msk_tail}/${local.order_events_topic}'],
        },
      ];
      const bySid = (statements: Statement[]) => [...statements].sort((a, b) => a.sid.localeCompare(b.sid));

      expect(roleStatements(data, 'insights-warehouse-sink')).toEqual(
        bySid([
          ...basics,
          ...kafka,
          { sid: 'ProductCategories', actions: ['dynamodb:BatchGetItem'], resources: [tableArn(productsTables.products.suffix)] },
        ]),
      );
      expect(roleStatements(data, 'insights-review-sentiment')).toEqual(
        bySid([
          ...basics,
          { sid: 'ListStreams', actions: ['dynamodb:ListStreams'], resources: ['*'] },
          {
            sid: 'ReadProductsStream',
            actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
            resources: ['${var.products_stream_arn}'],
          },
          { sid: 'ReadReviews', actions: ['dynamodb:BatchGetItem'], resources: [tableArn(productsTables.productReviews.suffix)] },
          {
            sid: 'ReviewSentiment',
            actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
            resources: [tableArn(insightsTables.reviewSentiment.suffix)],
          },
        ]),
      );
      expect(roleStatements(data, 'notifications-order-events')).toEqual(
        bySid([
          ...basics,
          ...kafka,
          {
            sid: 'Email',
            actions: ['ses:SendEmail'],
            resources: [
              'arn:aws:ses:${local.region}:${local.account}:identity/*',
              'arn:aws:ses:${local.region}:${local.account}:configuration-set/*',
            ],
          },
          {
            sid: 'NotificationTables',
            actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
            resources: [
              tableArn(notificationsTables.notifications.suffix),
              tableArn(`${notificationsTables.notifications.suffix}/index/*`),
              tableArn(notificationsTables.notificationPreferences.suffix),
            ],
          },
          {
            sid: 'OrderAndProductReads',
            actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
            resources: [tableArn(ordersTables.orders.suffix), tableArn(productsTables.products.suffix)],
          },
          { sid: 'Sms', actions: ['sns:Publish'], resources: ['*'] },
        ]),
      );
      // The Kafka statements only for the Kafka consumers, each with its own group.
      expect(String(resourceOf(data, 'aws_iam_policy_document', 'kafka_consumer').for_each)).toMatch(/if local\.enabled\[function\]/);
      // Nothing here grants the services' IRSA roles, or these roles anything through a managed policy.
      const module = await moduleConfig(moduleDir);
      expect(module.resource.aws_iam_role_policy_attachment).toBeUndefined();
      expect(JSON.stringify(module.data)).not.toMatch(/"\*"\s*,\s*"kafka-cluster|kafka-cluster:\*|dynamodb:\*/);
    });
  });
});
