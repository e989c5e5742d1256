// k8s/: the generated base is up to date with supergraph.yaml, every overlay renders with
// `kubectl kustomize` and validates against the Kubernetes schemas, and the prod overlay holds
// what each service needs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadNotificationsConfig } from '@cloudmart/notifications/config';
import { productsConfigSchema } from '@cloudmart/products/config';
import { repoRoot } from '@cloudmart/runtime';
import { createRequire } from 'node:module';
import { renderK8s } from '@cloudmart/scripts/deploy/k8s';
import { configVariables, deployServices, notSetInProduction, secretVariable } from '@cloudmart/scripts/deploy/services';

// Loaded untyped, as in terraform.test.ts (its declarations reference the DOM library).
const { parse: parseHcl } = createRequire(__filename)('@cdktf/hcl2json') as {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
};
import { serviceBuilds } from '@cloudmart/scripts/build';

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};

const render = (overlay: string): K8sObject[] =>
  parseAllDocuments(
    execFileSync(
      process.env.KUBECTL || 'kubectl',
      ['kustomize', path.join(repoRoot, 'k8s', 'overlays', overlay)],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    ),
  ).map((document) => document.toJS() as K8sObject);

/** The subgraphs in supergraph.yaml, read here directly rather than through the generator. */
const subgraphs = Object.keys(
  (parse(readFileSync(path.join(repoRoot, 'supergraph.yaml'), 'utf8')) as { subgraphs: object }).subgraphs,
);
const services = ['gateway', ...subgraphs];

/** Runs the schema validator (an ES-module toolchain, so in its own Node process under tsx). */
function validate(args: string[], input?: string) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'scripts', 'validate-k8s.ts'), ...args],
    {
      cwd: repoRoot,
      input,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const reports = result.stdout
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as {
          dir: string;
          objects: { kind: string; name: string }[];
          problems: { kind: string; name: string; message: string }[];
        },
    );
  return { status: result.status, reports, stderr: result.stderr };
}

describe('k8s manifests', () => {
  it('the generated base matches supergraph.yaml and scripts/deploy (run `npm run k8s:generate` when it does not)', () => {
    const files = renderK8s();
    for (const [relative, content] of files) {
      expect({ file: relative, content: readFileSync(path.join(repoRoot, 'k8s', relative), 'utf8') }).toEqual(
        { file: relative, content },
      );
    }
    const checkedIn = readdirSync(path.join(repoRoot, 'k8s', 'base', 'services')).map(
      (file) => `base/services/${file}`,
    );
    expect(checkedIn.sort()).toEqual(
      [...files.keys()].filter((file) => file.startsWith('base/services/')).sort(),
    );
  });

  // One validator process for both overlays, as `npm run k8s:validate` runs it (its default):
  // each process loads the Kubernetes schemas anew.
  let overlays: ReturnType<typeof validate> | undefined;
  it.each(['dev', 'prod'])(
    'the %s overlay renders and every object validates against the Kubernetes schemas',
    (overlay) => {
      overlays ??= validate([]);
      const { status, reports, stderr } = overlays;
      expect(stderr).toBe('');
      expect(reports.map((report) => report.dir)).toEqual(['k8s/overlays/dev', 'k8s/overlays/prod']);
      expect(status).toBe(0);
      const report = reports.find((candidate) => candidate.dir === `k8s/overlays/${overlay}`)!;
      expect(report.problems).toEqual([]);
      expect(report.objects.length).toBe(render(overlay).length);
    },
  );

  it('the validator rejects a malformed object and an object without a schema', () => {
    const broken = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: broken }',
      'spec: { replicas: "two", template: {} }',
      '---',
      'apiVersion: example.com/v1',
      'kind: Widget',
      'metadata: { name: unknown }',
    ].join('\n');
    const { status, reports } = validate(['--stdin'], broken);
    expect(status).toBe(1);
    const problems = reports[0]!.problems;
    expect(problems.map((problem) => problem.name)).toEqual(['broken', 'unknown']);
    expect(problems[0]!.message).toMatch(/selector/);
    expect(problems[0]!.message).toMatch(/replicas must be integer/);
  });

  it('the Grafana dashboard queries only the series docs/observability.md documents, and shows each of them', () => {
    const dashboard = readFileSync(
      path.join(repoRoot, 'k8s', 'base', 'dashboards', 'cloudmart.json'),
      'utf8',
    );
    const queried = new Set(
      [...dashboard.matchAll(/\b((?:cloudmart|process|nodejs)_[a-z0-9_]+)/g)].map((match) =>
        match[1]!.replace(/_bucket$/, ''),
      ),
    );
    const documented = new Set(
      [
        ...readFileSync(path.join(repoRoot, 'docs', 'observability.md'), 'utf8').matchAll(
          /^\|\s*`((?:cloudmart|process|nodejs)_[a-z0-9_]+)`\s*\|/gm,
        ),
      ].map((match) => match[1]!),
    );
    expect([...queried].sort()).toEqual([...documented].sort());
    for (const series of [
      'requests_total',
      'request_duration_seconds',
      'errors_total',
      'consumer_lag',
      'outbox_backlog',
    ]) {
      expect([...queried].some((name) => name.includes(series))).toBe(true);
    }
  });

  describe('the prod overlay', () => {
    const objects = render('prod');
    const find = (kind: string, name: string) =>
      objects.find((object) => object.kind === kind && object.metadata.name === name);
    type Container = {
      image: string;
      ports: { name: string; containerPort: number }[];
      livenessProbe: { httpGet: { path: string } };
      readinessProbe: { httpGet: { path: string } };
      resources: { requests: Record<string, string>; limits: Record<string, string> };
      envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
    };
    type PodSpec = {
      serviceAccountName: string;
      securityContext: { runAsNonRoot: boolean };
      containers: Container[];
    };
    const podSpec = (name: string) => (find('Deployment', name)!.spec!.template as { spec: PodSpec }).spec;

    it('holds a Deployment, Service, HPA and PDB for the gateway and every subgraph in supergraph.yaml', () => {
      for (const service of services) {
        for (const kind of [
          'Deployment',
          'Service',
          'HorizontalPodAutoscaler',
          'PodDisruptionBudget',
          'ServiceAccount',
          'NetworkPolicy',
          'ExternalSecret',
        ]) {
          expect({
            service,
            kind,
            found: find(kind, kind === 'ExternalSecret' ? `${service}-secrets` : service) !== undefined,
          }).toEqual({ service, kind, found: true });
        }
      }
      expect(
        objects.every((object) => object.kind === 'Namespace' || object.metadata.namespace === 'cloudmart'),
      ).toBe(true);
    });

    it('probes /health and /ready, sets requests and limits, runs as non-root under its own IRSA ServiceAccount', () => {
      for (const service of services) {
        const spec = podSpec(service);
        const container = spec.containers[0]!;
        expect(container.livenessProbe.httpGet.path).toBe('/health');
        expect(container.readinessProbe.httpGet.path).toBe('/ready');
        expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
        expect(spec.securityContext.runAsNonRoot).toBe(true);
        expect(spec.serviceAccountName).toBe(service);
        expect(find('ServiceAccount', service)!.metadata.annotations!['eks.amazonaws.com/role-arn']).toBe(
          `arn:aws:iam::111122223333:role/cloudmart-${service}`,
        );
        expect(container.envFrom).toEqual(
          expect.arrayContaining([
            { configMapRef: { name: 'cloudmart-config' } },
            { secretRef: { name: `${service}-secrets` } },
          ]),
        );
      }
    });

    it("connects every service to MSK's IAM listener with IAM authentication", () => {
      const config = find('ConfigMap', 'cloudmart-config')!.data!;
      expect(config.KAFKA_BROKERS).toMatch(/:9098$/);
      expect(config.KAFKA_SASL).toBe('aws-msk-iam');
    });

    it("gives products the environment's media bucket and CDN, and the products config accepts them in production", () => {
      const config = find('ConfigMap', 'products-config')!.data!;
      expect(config.MEDIA_BUCKET).toBe('cloudmart-prod-media-111122223333');
      expect(config.MEDIA_BASE_URL).toMatch(/^https:\/\/[a-z0-9]+\.cloudfront\.net$/);
      const env = { ...config, NODE_ENV: 'production', CURSOR_SECRET: 'a-cursor-secret-of-enough-length' };
      expect(productsConfigSchema.safeParse(env).success).toBe(true);
      expect(productsConfigSchema.safeParse({ ...env, MEDIA_BASE_URL: undefined }).success).toBe(false);
    });

    it("gives notifications SES, SNS, the environment's shop address and sender, and its config accepts them in production", () => {
      const config = find('ConfigMap', 'notifications-config')!.data!;
      expect(config).toMatchObject({
        EMAIL_CHANNEL: 'ses',
        SMS_CHANNEL: 'sns',
        SHOP_URL: 'https://shop.cloudmart.example.com',
        EMAIL_FROM: 'CloudMart <orders@cloudmart.example.com>',
      });
      const env = { ...find('ConfigMap', 'cloudmart-config')!.data!, ...config, NODE_ENV: 'production', INTERNAL_API_SECRET: 'an-internal-secret-long-enough' };
      expect(() => loadNotificationsConfig(env)).not.toThrow();
      expect(() => loadNotificationsConfig({ ...env, SHOP_URL: undefined })).toThrow(/SHOP_URL/);
    });

    it('routes the gateway to every subgraph through in-cluster Services, on the port each listens on', () => {
      const config = find('ConfigMap', 'cloudmart-config')!.data!;
      for (const subgraph of subgraphs) {
        expect(config[`SUBGRAPH_${subgraph.toUpperCase().replace(/-/g, '_')}_URL`]).toBe(
          `http://${subgraph}/graphql`,
        );
        const service = find('Service', subgraph)!.spec as { ports: { port: number; targetPort: string }[] };
        expect(service.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
        const routingPort = Number(
          new URL(
            (
              parse(readFileSync(path.join(repoRoot, 'supergraph.yaml'), 'utf8')) as {
                subgraphs: Record<string, { routing_url: string }>;
              }
            ).subgraphs[subgraph]!.routing_url,
          ).port,
        );
        expect(podSpec(subgraph).containers[0]!.ports[0]!.containerPort).toBe(routingPort);
        expect(find('ConfigMap', `${subgraph}-config`)!.data!.PORT).toBe(String(routingPort));
      }
      expect(config.NODE_ENV).toBe('production');
      expect(config.HOST).toBe('0.0.0.0');
    });

    it('denies all traffic by default; only the gateway (and direct callers) reach a subgraph', () => {
      const deny = find('NetworkPolicy', 'default-deny-all')!.spec as {
        podSelector: object;
        policyTypes: string[];
      };
      expect(deny).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      for (const subgraph of subgraphs) {
        const policy = find('NetworkPolicy', subgraph)!.spec as {
          ingress: { from: { podSelector?: { matchLabels: Record<string, string> }; ipBlock?: object }[] }[];
        };
        const from = policy.ingress.flatMap((rule) => rule.from);
        expect(from.some((peer) => peer.ipBlock)).toBe(false);
        const pods = from.flatMap((peer) =>
          peer.podSelector ? [peer.podSelector.matchLabels['app.kubernetes.io/name']] : [],
        );
        expect(pods).toContain('gateway');
      }
      const payments = find('NetworkPolicy', 'payments')!.spec as {
        ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[];
      };
      expect(
        payments.ingress[0]!.from.map((peer) => peer.podSelector?.matchLabels['app.kubernetes.io/name']),
      ).toContain('orders');
      // users reaches only PostgreSQL and Redis (and DNS, from allow-dns): no internet egress.
      const users = find('NetworkPolicy', 'users')!.spec as { egress: { ports: { port: number }[] }[] };
      expect(users.egress.flatMap((rule) => rule.ports.map((port) => port.port))).toEqual([5432, 6379]);
      const gateway = find('NetworkPolicy', 'gateway')!.spec as {
        egress: { to: { podSelector?: { matchLabels: Record<string, string> } }[] }[];
      };
      const gatewayPeers = gateway.egress.flatMap((rule) =>
        rule.to.flatMap((peer) =>
          peer.podSelector ? [peer.podSelector.matchLabels['app.kubernetes.io/name']] : [],
        ),
      );
      expect(gatewayPeers.sort()).toEqual([...subgraphs].sort());
    });

    it("mounts the gateway's partner registry (partners.json and manifests) where PARTNERS_FILE points", () => {
      const config = find('ConfigMap', 'gateway-config')!.data!;
      const partnersFile = config.PARTNERS_FILE!;
      const spec = podSpec('gateway') as unknown as {
        containers: { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
        volumes: { name: string; secret?: { secretName: string; optional?: boolean } }[];
      };
      const mount = spec.containers[0]!.volumeMounts.find((volumeMount) => volumeMount.name === 'gateway-partners')!;
      expect(path.posix.dirname(partnersFile)).toBe(mount.mountPath);
      expect(mount.readOnly).toBe(true);
      const volume = spec.volumes.find((candidate) => candidate.name === 'gateway-partners')!;
      expect(volume.secret).toEqual({ secretName: 'gateway-partners', optional: true });
      const external = find('ExternalSecret', 'gateway-partners')!.spec as {
        target: { name: string };
        dataFrom: { extract: { key: string } }[];
      };
      expect(external.target.name).toBe('gateway-partners');
      expect(external.dataFrom).toEqual([{ extract: { key: 'cloudmart/gateway-partners' } }]);
      // Only the gateway holds partner data.
      for (const service of services.filter((name) => name !== 'gateway')) {
        expect(JSON.stringify(podSpec(service))).not.toContain('gateway-partners');
      }
    });

    it('gives each service, in its ExternalSecret, every credential its config schema reads (derived from the zod schemas)', () => {
      for (const service of deployServices()) {
        const expected = configVariables(service.workspace).filter((name) => {
          const exception = notSetInProduction[name];
          return secretVariable(name) && (!exception || exception.unless === service.name);
        });
        const external = find('ExternalSecret', `${service.name}-secrets`)!.spec as {
          data: { secretKey: string; remoteRef: { key: string; property: string } }[];
        };
        const keys = external.data.map((entry) => entry.secretKey);
        expect({ service: service.name, missing: expected.filter((name) => !keys.includes(name)) }).toEqual({
          service: service.name,
          missing: [],
        });
        for (const entry of external.data) expect(entry.remoteRef.property).toBe(entry.secretKey);
      }
      // The ones this project knows about, so a broken derivation cannot pass by finding nothing.
      const keysOf = (name: string) =>
        (find('ExternalSecret', `${name}-secrets`)!.spec as { data: { secretKey: string }[] }).data.map(
          (entry) => entry.secretKey,
        );
      expect(keysOf('users')).toEqual(expect.arrayContaining(['JWT_PRIVATE_KEY', 'DATABASE_URL', 'REDIS_URL']));
      expect(keysOf('gateway')).toEqual(
        expect.arrayContaining(['GATEWAY_TOKEN_PRIVATE_KEY', 'PARTNER_KEY_PEPPER', 'REDIS_URL']),
      );
      expect(keysOf('support')).toEqual(expect.arrayContaining(['OPENAI_API_KEY', 'REDIS_URL']));
      expect(keysOf('products')).toContain('CURSOR_SECRET');
      expect(keysOf('insights')).toContain('AZURE_LANGUAGE_KEY');
      expect(keysOf('orders')).not.toContain('JWT_PRIVATE_KEY');
    });

    it('lets the services that read REDIS_URL (and only those) reach Redis on 6379', () => {
      const readers = deployServices()
        .filter((service) => configVariables(service.workspace).includes('REDIS_URL'))
        .map((service) => service.name);
      expect(readers.sort()).toEqual(['gateway', 'support', 'users']);
      for (const service of services) {
        const policy = find('NetworkPolicy', service)!.spec as { egress: { ports: { port: number }[] }[] };
        const ports = policy.egress.flatMap((rule) => rule.ports.map((port) => port.port));
        expect({ service, redis: ports.includes(6379) }).toEqual({ service, redis: readers.includes(service) });
      }
    });

    it("gives the insights pods GCP credentials: the credential configuration mounted where GOOGLE_APPLICATION_CREDENTIALS points, and a ServiceAccount token for GCP's audience where infra/gcp expects it", async () => {
      const config = find('ConfigMap', 'insights-config')!.data!;
      const spec = podSpec('insights') as unknown as {
        containers: { volumeMounts: { name: string; mountPath: string }[] }[];
        volumes: {
          name: string;
          secret?: { secretName: string };
          projected?: { sources: { serviceAccountToken: { audience: string; path: string } }[] };
        }[];
      };
      const mountOf = (name: string) =>
        spec.containers[0]!.volumeMounts.find((volumeMount) => volumeMount.name === name)!.mountPath;
      const credentials = spec.volumes.find((volume) => volume.secret?.secretName === 'insights-gcp-credentials')!;
      expect(path.posix.dirname(config.GOOGLE_APPLICATION_CREDENTIALS!)).toBe(mountOf(credentials.name));
      const external = find('ExternalSecret', 'insights-gcp-credentials')!.spec as {
        dataFrom: { extract: { key: string } }[];
      };
      expect(external.dataFrom).toEqual([{ extract: { key: 'cloudmart/insights-gcp-credentials' } }]);
      const tokenVolume = spec.volumes.find((volume) => volume.projected)!;
      const token = tokenVolume.projected!.sources[0]!.serviceAccountToken;
      const gcp = (await parseHcl(
        'variables.tf',
        readFileSync(path.join(repoRoot, 'infra', 'gcp', 'variables.tf'), 'utf8'),
      )) as { variable: Record<string, { default?: string }[]> };
      const defaultOf = (name: string) => gcp.variable[name]![0]!.default;
      expect(token.audience).toBe(defaultOf('token_audience'));
      expect(path.posix.join(mountOf(tokenVolume.name), token.path)).toBe(defaultOf('token_path'));
      expect(find('ServiceAccount', 'insights')!.metadata.namespace).toBe(defaultOf('k8s_namespace'));
      expect(find('ConfigMap', 'insights-config')!.data!.WAREHOUSE).toBe('bigquery');
    });

    it("lets each service's autoscaler reach the maximum docs/capacity.md plans for it", () => {
      const capacity = readFileSync(path.join(repoRoot, 'docs', 'capacity.md'), 'utf8');
      const start = capacity.indexOf('| service | plan | HPA max |');
      const table = capacity.slice(start, capacity.indexOf('\n\n', start));
      const rows = [...table.matchAll(/^\| ([a-z, ]+) \| [^|]+ \| (\d+) \|$/gm)];
      const planned = new Map(
        rows.flatMap((row) => row[1]!.split(', ').map((name) => [name, Number(row[2])] as const)),
      );
      expect([...planned.keys()].sort()).toEqual([...services].sort());
      for (const service of services) {
        const hpa = find('HorizontalPodAutoscaler', service)!.spec as { minReplicas: number; maxReplicas: number };
        expect({ service, max: hpa.maxReplicas, min: hpa.minReplicas }).toEqual({
          service,
          max: planned.get(service),
          min: 3,
        });
      }
    });

    it('exposes the gateway through an ALB Ingress with WebSockets kept open, and migrates users in a Job', () => {
      const ingress = find('Ingress', 'gateway')!;
      expect(ingress.spec!.ingressClassName).toBe('alb');
      const rules = ingress.spec!.rules as {
        http: { paths: { path: string; backend: { service: { name: string } } }[] };
      }[];
      // only GraphQL is public: probes and /metrics stay inside the cluster
      expect(rules.flatMap((rule) => rule.http.paths.map((p) => [p.path, p.backend.service.name]))).toEqual([
        ['/graphql', 'gateway'],
      ]);
      expect(ingress.metadata.annotations!['alb.ingress.kubernetes.io/load-balancer-attributes']).toMatch(
        /idle_timeout\.timeout_seconds=3600/,
      );
      expect(ingress.metadata.annotations!['alb.ingress.kubernetes.io/certificate-arn']).toMatch(
        /^arn:aws:acm:/,
      );
      const job = find('Job', 'users-migrate')!.spec as {
        template: { spec: { containers: { image: string; command: string[] }[] } };
      };
      const migrate = job.template.spec.containers[0]!;
      expect(migrate.image).toBe(podSpec('users').containers[0]!.image);
      // The compiled script the image carries (npm run build writes it; its source must exist).
      expect(migrate.command).toEqual(['node', '--enable-source-maps', 'subgraphs/users/dist/migrate-deploy.js']);
      const users = serviceBuilds().find((build) => build.packageDir === path.join(repoRoot, 'subgraphs', 'users'))!;
      expect(existsSync(path.join(users.packageDir, users.entries['migrate-deploy']!))).toBe(true);
      expect(find('SecretStore', 'aws-secrets-manager')).toBeDefined();
      const dashboard = find('ConfigMap', 'cloudmart-grafana-dashboard')!;
      expect(dashboard.metadata.labels!.grafana_dashboard).toBe('1');
      expect(() => JSON.parse(dashboard.data!['cloudmart.json']!) as unknown).not.toThrow();
    });
  });
});
