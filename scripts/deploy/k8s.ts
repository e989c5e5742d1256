// The Kubernetes objects of one service, built from its DeployService entry. The per-service
// files under k8s/base/services/ and k8s/base/kustomization.yaml are written from here by
// `npm run k8s:generate`; test/deploy/k8s.test.ts fails when the checked-in files are stale.
import { stringify } from 'yaml';
import {
  deployServices,
  inClusterUrl,
  sharedSecretKeys,
  subgraphUrlVariable,
  type DeployService,
  type MountedSecret,
} from './services';

type K8sObject = Record<string, unknown>;

const PART_OF = 'cloudmart';
/** The VPC's CIDR (infra/aws var.vpc_cidr): RDS and MSK live there. Overlays may patch it. */
export const VPC_CIDR = '10.0.0.0/16';
const POSTGRES_PORT = 5432;
/** ElastiCache Redis (infra/aws module redis; TLS, so REDIS_URL is rediss://). */
const REDIS_PORT = 6379;
/** MSK brokers with IAM authentication listen on 9098 (TLS). */
const KAFKA_IAM_PORT = 9098;
/** The IRSA role of each service is created by infra/aws (module irsa) with this name. */
export const irsaRoleArn = (service: string) => `arn:aws:iam::111122223333:role/cloudmart-${service}`;

export const labelsOf = (service: DeployService) => ({
  'app.kubernetes.io/name': service.name,
  'app.kubernetes.io/part-of': PART_OF,
  'app.kubernetes.io/component': service.kind,
});
const selectorOf = (name: string) => ({ 'app.kubernetes.io/name': name });
const meta = (service: DeployService, name = service.name, extra: K8sObject = {}) => ({
  name,
  labels: labelsOf(service),
  ...extra,
});

function serviceAccount(service: DeployService): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(service, service.name, {
      // IRSA: pods of this service get the IAM role's credentials (DynamoDB tables, Bedrock, MSK).
      annotations: { 'eks.amazonaws.com/role-arn': irsaRoleArn(service.name) },
    }),
    automountServiceAccountToken: true,
  };
}

function configMap(service: DeployService): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(service, `${service.name}-config`),
    data: { PORT: String(service.port), ...service.config },
  };
}

function externalSecret(service: DeployService): K8sObject {
  const keys = [...sharedSecretKeys, ...service.secretKeys];
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: meta(service, `${service.name}-secrets`),
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'SecretStore', name: 'aws-secrets-manager' },
      target: { name: `${service.name}-secrets`, creationPolicy: 'Owner' },
      // Each key is a property of a JSON secret in AWS Secrets Manager (created by infra/aws).
      data: keys.map((key) => ({
        secretKey: key,
        remoteRef: {
          key: (sharedSecretKeys as readonly string[]).includes(key)
            ? 'cloudmart/shared'
            : `cloudmart/${service.name}`,
          property: key,
        },
      })),
    },
  };
}

/**
 * A folder of files from one Secrets Manager secret (`cloudmart/<name>`, each property a file):
 * the gateway's registered partners (partners.json, each partner's manifest), the insights GCP
 * credential configuration. Mounted by the Deployment where the service's config points.
 */
function mountedSecret(service: DeployService, secret: MountedSecret): K8sObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: meta(service, secret.name),
    spec: {
      refreshInterval: secret.refreshInterval,
      secretStoreRef: { kind: 'SecretStore', name: 'aws-secrets-manager' },
      target: { name: secret.name, creationPolicy: 'Owner' },
      dataFrom: [{ extract: { key: `cloudmart/${secret.name}` } }],
    },
  };
}

function deployment(service: DeployService): K8sObject {
  const probe = (path: string, extra: K8sObject) => ({
    httpGet: { path, port: 'http' },
    timeoutSeconds: 3,
    ...extra,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(service),
    // No `replicas`: the HorizontalPodAutoscaler owns it (an applied value would reset it on every deploy).
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorOf(service.name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: labelsOf(service),
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/path': '/metrics',
            'prometheus.io/port': String(service.port),
          },
        },
        spec: {
          serviceAccountName: service.name,
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selectorOf(service.name) },
            },
          ],
          containers: [
            {
              name: service.name,
              image: `cloudmart/${service.name}:latest`,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: service.port, protocol: 'TCP' }],
              envFrom: [
                { configMapRef: { name: 'cloudmart-config' } },
                { configMapRef: { name: `${service.name}-config` } },
                { secretRef: { name: `${service.name}-secrets` } },
              ],
              resources: {
                requests: { cpu: '250m', memory: service.memory.request },
                limits: { cpu: '1', memory: service.memory.limit },
              },
              startupProbe: probe('/health', { periodSeconds: 2, failureThreshold: 60 }),
              livenessProbe: probe('/health', { periodSeconds: 10, failureThreshold: 3 }),
              readinessProbe: probe('/ready', { periodSeconds: 5, failureThreshold: 2 }),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              // The root filesystem is read-only: DATA_DIR and tsx's compile cache live here.
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                ...service.mountedSecrets.map((secret) => ({
                  name: secret.name,
                  mountPath: secret.mountPath,
                  readOnly: true,
                })),
                ...service.federationTokens.map((token) => ({
                  name: token.name,
                  mountPath: token.mountPath,
                  readOnly: true,
                })),
              ],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            ...service.mountedSecrets.map((secret) => ({
              name: secret.name,
              secret: { secretName: secret.name, optional: secret.optional },
            })),
            // The kubelet renews the token before it expires; the Google client re-reads the file.
            ...service.federationTokens.map((token) => ({
              name: token.name,
              projected: {
                sources: [
                  { serviceAccountToken: { audience: token.audience, expirationSeconds: 3600, path: 'token' } },
                ],
              },
            })),
          ],
        },
      },
    },
  };
}

function kubeService(service: DeployService): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(service),
    spec: {
      type: 'ClusterIP',
      selector: selectorOf(service.name),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

function autoscaler(service: DeployService): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(service),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
      minReplicas: 2,
      maxReplicas: service.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

function disruptionBudget(service: DeployService): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(service),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(service.name) } },
  };
}

/**
 * On top of the namespace's default deny (k8s/base/common/network-policies.yaml): the gateway
 * takes traffic from the load balancer and reaches the subgraphs; a subgraph takes traffic from
 * the gateway (and from the services that call it directly) and reaches only its stores.
 */
function networkPolicy(service: DeployService, all: DeployService[]): K8sObject {
  const http = [{ protocol: 'TCP', port: service.port }];
  const fromPods = (names: string[]) =>
    names.map((name) => ({ podSelector: { matchLabels: selectorOf(name) } }));
  const callers = all.filter((other) => other.calls.includes(service.name)).map((other) => other.name);
  const prometheus = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
  const ingress =
    service.kind === 'gateway'
      ? // The ALB (target type ip) reaches pods from the VPC's public subnets.
        [{ from: [{ ipBlock: { cidr: VPC_CIDR } }, prometheus], ports: http }]
      : [{ from: [...fromPods(['gateway', ...callers]), prometheus], ports: http }];
  const toService = (other: DeployService) => ({
    to: fromPods([other.name]),
    ports: [{ protocol: 'TCP', port: other.port }],
  });
  const egress: K8sObject[] = [];
  if (service.kind === 'gateway')
    egress.push(...all.filter((other) => other.kind === 'subgraph').map(toService));
  egress.push(...all.filter((other) => service.calls.includes(other.name)).map(toService));
  if (service.postgres)
    egress.push({ to: [{ ipBlock: { cidr: VPC_CIDR } }], ports: [{ protocol: 'TCP', port: POSTGRES_PORT }] });
  if (service.redis)
    egress.push({ to: [{ ipBlock: { cidr: VPC_CIDR } }], ports: [{ protocol: 'TCP', port: REDIS_PORT }] });
  if (service.kafka)
    egress.push({
      to: [{ ipBlock: { cidr: VPC_CIDR } }],
      ports: [{ protocol: 'TCP', port: KAFKA_IAM_PORT }],
    });
  // AWS APIs (STS for IRSA, DynamoDB, Bedrock) and other clouds' APIs are HTTPS endpoints.
  if (service.https)
    egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(service),
    spec: {
      podSelector: { matchLabels: selectorOf(service.name) },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress,
    },
  };
}

export function serviceObjects(service: DeployService, all: DeployService[]): K8sObject[] {
  return [
    serviceAccount(service),
    configMap(service),
    externalSecret(service),
    ...service.mountedSecrets.map((secret) => mountedSecret(service, secret)),
    deployment(service),
    kubeService(service),
    autoscaler(service),
    disruptionBudget(service),
    networkPolicy(service, all),
  ];
}

/** Settings every service reads: production mode, the in-cluster subgraph URLs, AWS region. */
function sharedConfigMap(all: DeployService[]): K8sObject {
  const urls = Object.fromEntries(
    all
      .filter((service) => service.kind === 'subgraph')
      .map((service) => [subgraphUrlVariable(service.name), inClusterUrl(service.name)]),
  );
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cloudmart-config', labels: { 'app.kubernetes.io/part-of': PART_OF } },
    data: {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      DATA_DIR: '/tmp/data',
      AWS_REGION: 'us-east-1',
      DYNAMODB_TABLE_PREFIX: 'cloudmart-',
      JWT_ISSUER: 'cloudmart',
      JWT_AUDIENCE: 'cloudmart-api',
      // Patched by the overlays with the MSK bootstrap brokers (terraform output msk_bootstrap_brokers_iam).
      KAFKA_BROKERS: 'b-1.cloudmart.example.kafka.us-east-1.amazonaws.com:9098',
      // Port 9098 is MSK's IAM listener: SASL/OAUTHBEARER over TLS with the pod's IRSA role.
      KAFKA_SASL: 'aws-msk-iam',
      CORS_ORIGINS: 'https://shop.cloudmart.example.com',
      ...urls,
    },
  };
}

const HEADER =
  '# Generated by `npm run k8s:generate` from supergraph.yaml and scripts/deploy/: do not edit.\n';

const toYaml = (objects: K8sObject[]) =>
  HEADER + objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');

/** Hand-written parts of the base, listed in the generated kustomization.yaml. */
const handWritten = [
  'common/network-policies.yaml',
  'common/secret-store.yaml',
  'gateway-ingress.yaml',
  'users-migrate-job.yaml',
];

/** Every generated file under k8s/, by path relative to k8s/. */
export function renderK8s(all: DeployService[] = deployServices()): Map<string, string> {
  const files = new Map<string, string>();
  files.set('base/config.yaml', toYaml([sharedConfigMap(all)]));
  for (const service of all)
    files.set(`base/services/${service.name}.yaml`, toYaml(serviceObjects(service, all)));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    labels: [{ pairs: { 'app.kubernetes.io/managed-by': 'kustomize' } }],
    resources: ['config.yaml', ...handWritten, ...all.map((service) => `services/${service.name}.yaml`)],
    configMapGenerator: [
      {
        name: 'cloudmart-grafana-dashboard',
        files: ['dashboards/cloudmart.json'],
        // Grafana's dashboard sidecar (kube-prometheus-stack) loads ConfigMaps with this label.
        options: { disableNameSuffixHash: true, labels: { grafana_dashboard: '1' } },
      },
    ],
  };
  files.set('base/kustomization.yaml', HEADER + stringify(kustomization, { lineWidth: 0 }));
  return files;
}
