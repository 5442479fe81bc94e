import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { database, eksStack, KubeObject, manifests, ofKind, validateAgainstSchemas } from './fixtures';
import { FrontDoor, IdleCostEstimate, ModularMonolithOnEks, Profile, ServiceImage } from '../../src';
import { expectCompliant } from '../helpers/compliance';

// Synthesizing an EKS cluster with its kubectl handler is slow: one stack serves the whole file.
// GIVEN a production stack with a database, migrations, modules, a cache, a queue and a public ALB
const { stack, network, kubectlLayer } = eksStack();
const db = database(stack, network);
const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
// WHEN the monolith runs on EKS
const api = new ModularMonolithOnEks(stack, 'Api', {
  network,
  kubectlLayer,
  database: db,
  image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0'),
  migrationCommand: ['flask', 'db', 'upgrade'],
  modules: [{ name: 'orders', path: '/orders/*' }, { name: 'billing', path: '/billing/*' }],
  cache: {},
  queue: {},
  frontDoor: FrontDoor.publicAlb({ certificate, domainName: 'api.example.com' }),
});
const template = Template.fromStack(stack);
const objects = manifests(template);
const one = (kind: string): KubeObject => {
  const found = ofKind(objects, kind).filter((o) => o.metadata.namespace === 'monolith' || kind === 'Namespace');
  expect(found).toHaveLength(1);
  return found[0];
};

describe('ModularMonolithOnEks workload objects', () => {
  test('every core object passes the Kubernetes API schema; only the CRDs have none', () => {
    const results = validateAgainstSchemas(objects);
    expect(results.filter((r) => r.result === 'invalid')).toEqual([]);
    const valid = results.filter((r) => r.result === 'valid').map((r) => r.kind).sort();
    expect(valid).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'IngressClass', 'Job', 'Namespace',
      'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(results.filter((r) => r.result === 'no-schema').map((r) => r.kind).sort()).toEqual(['IngressClassParams', 'NodePool', 'NodePool']);
  });

  test('a broken object fails the same schema check', () => {
    const broken = JSON.parse(JSON.stringify(one('Deployment'))) as KubeObject;
    broken.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    expect(validateAgainstSchemas([broken])[0]).toMatchObject({ result: 'invalid', errors: expect.stringContaining('containerPort must be integer') });
  });

  test('containers run non-root with a read-only root filesystem, requests equal to limits', () => {
    const pod = one('Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    const [container] = pod.containers;
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '250m', memory: '512Mi' } });
    expect(pod.nodeSelector).toEqual({ 'lean-stack.dev/pool': 'lean-app', 'kubernetes.io/arch': 'arm64' });
    expect(one('Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the container gets the database, cache, queue and module settings, never the password', () => {
    const env = Object.fromEntries(one('Deployment').spec.template.spec.containers[0].env.map((e: KubeObject) => [e.name, e.value]));
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['PORT', 'PGHOST', 'PGPORT', 'PGDATABASE', 'DATABASE_SECRET_ARN',
      'CACHE_HOST', 'QUEUE_URL', 'MODULE_ORDERS_URL', 'MODULE_BILLING_URL']));
    expect(env.PGPASSWORD).toBeUndefined();
    expect(env.MODULE_ORDERS_URL).toBe('http://monolith.monolith.svc.cluster.local');
  });
});

describe('ModularMonolithOnEks autoscaling', () => {
  test('the HorizontalPodAutoscaler targets CPU and memory between the profile bounds', () => {
    const hpa = one('HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 4, scaleTargetRef: { kind: 'Deployment', name: 'monolith' } });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
  });

  test('one replica may be moved by a drain; rollouts never drop below the minimum', () => {
    expect(one('PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(one('Deployment').spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
  });

  test('metrics-server is installed for the autoscaler', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'metrics-server' });
  });
});

describe('ModularMonolithOnEks per-pod IAM', () => {
  test('the service account is bound to the pod role with EKS Pod Identity', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'monolith', ServiceAccount: 'monolith', RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(api.podRole.node.defaultChild as never), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'pods.eks.amazonaws.com' } }),
          Match.objectLike({ Action: 'sts:TagSession', Principal: { Service: 'pods.eks.amazonaws.com' } }),
        ]),
      },
    });
  });

  test('the pod role reads the database secret and uses the queue, and nothing else', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: stack.getLogicalId(api.podRole.node.defaultChild as never) }] } });
    const actions = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: KubeObject) => [s.Action].flat()));
    expect(new Set(actions)).toEqual(new Set(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret',
      'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage']));
  });
});

describe('ModularMonolithOnEks migrations', () => {
  test('a Job with the same image runs the migration command as the same service account', () => {
    const job = ofKind(objects, 'Job')[0];
    expect(job.metadata.name).toBe(api.migrationJobName);
    expect(job.metadata.name).toMatch(/^monolith-migrate-[0-9a-f]{8}$/);
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 600 });
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({ restartPolicy: 'Never', serviceAccountName: 'monolith' });
    expect(pod.containers[0]).toMatchObject({ command: ['flask', 'db', 'upgrade'], image: 'public.ecr.aws/acme/api:1.0' });
  });

  test('the Deployment waits for the Job to succeed; the Job waits for the pod identity', () => {
    const id = (c: Construct): string => stack.getLogicalId(c.node.findAll().find(CfnResource.isCfnResource) as CfnResource);
    const workload = template.toJSON().Resources[id(api.workload)];
    const wait = template.toJSON().Resources[id(api.migrationSucceeded!)];
    const job = template.toJSON().Resources[id(api.migrationJob!)];
    expect(wait.Properties).toMatchObject({ ObjectType: 'job', ObjectName: api.migrationJobName, JsonPath: '.status.succeeded', TimeoutSeconds: 660 });
    expect(workload.DependsOn).toEqual(expect.arrayContaining([id(api.migrationSucceeded!)]));
    expect(wait.DependsOn).toEqual(expect.arrayContaining([id(api.migrationJob!)]));
    expect(job.DependsOn).toEqual(expect.arrayContaining([id(api.podIdentity)]));
    expect(workload.DependsOn).toEqual(expect.arrayContaining([id(api.podIdentity)]));
  });

  test('a new image gives a new Job name, so each release migrates', () => {
    const other = eksStack(Profile.COST_CONSCIOUS_PRODUCTION, 'Other');
    const next = new ModularMonolithOnEks(other.stack, 'Api', {
      network: other.network,
      kubectlLayer: other.kubectlLayer,
      image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.1'),
      migrationCommand: ['flask', 'db', 'upgrade'],
    });
    expect(next.migrationJobName).toMatch(/^monolith-migrate-/);
    expect(next.migrationJobName).not.toBe(api.migrationJobName);
  });
});

describe('ModularMonolithOnEks front door', () => {
  test('the public ALB comes from an Ingress with HTTPS, HTTP redirected, the module paths', () => {
    const ingress = one('Ingress');
    expect(ingress.metadata.annotations).toMatchObject({ 'alb.ingress.kubernetes.io/ssl-redirect': '443', 'alb.ingress.kubernetes.io/target-type': 'ip' });
    expect(ingress.spec.rules[0].http.paths.map((p: KubeObject) => p.path)).toEqual(['/orders', '/billing']);
    const cls = ofKind(objects, 'IngressClassParams')[0];
    expect(cls.spec).toMatchObject({ scheme: 'internet-facing', certificateARNs: ['arn:aws:acm:eu-west-1:123456789012:certificate/abc'] });
    expect(api.url).toBe('https://api.example.com');
  });
});

describe('ModularMonolithOnEks idle cost', () => {
  test('prices the control plane, the nodes and the cluster-provisioned ALB', () => {
    const estimate = IdleCostEstimate.ofStack(stack);
    const line = (text: string): number => estimate.items.filter((l) => l.description.includes(text)).reduce((s, l) => s + l.monthlyUsd, 0);
    expect(line('EKS cluster control plane')).toBeCloseTo(73, 5);
    // One c6g.medium app node and one system node, each 0.034/hour plus the 12% Auto Mode fee.
    expect(line('node (c6g.medium) for Deployment monolith')).toBeCloseTo(0.034 * 1.12 * 730, 5);
    expect(line('node (c6g.medium) for NodePool lean-system')).toBeCloseTo(0.034 * 1.12 * 730, 5);
    expect(line('load balancer provisioned by the cluster')).toBeCloseTo(16.425, 5);
  });
});

describe('ModularMonolithOnEks validation', () => {
  const cases: Array<[string, (s: Stack, n: ReturnType<typeof eksStack>) => void, string]> = [
    ['name', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), name: 'My_App' }),
      "`name` must be a DNS label of lowercase letters, digits and hyphens, starting with a letter, got: 'My_App'"],
    ['cpuMillis', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), cpuMillis: 10 }),
      '`cpuMillis` must be an integer between 50 and 16000, got: 10'],
    ['maxReplicas', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), minReplicas: 3, maxReplicas: 2 }),
      '`maxReplicas` must be an integer between 3 and 1000, got: 2'],
    ['frontDoor', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), frontDoor: FrontDoor.httpApiCloudMap() }),
      "`frontDoor` must be 'public-alb' on EKS (FrontDoor.publicAlb(...): Auto Mode provisions the ALB from an Ingress), got: 'http-api-cloud-map'"],
    ['kubectlLayer', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, image: ServiceImage.fromRegistry('x') }),
      '`kubectlLayer` is required when no `cluster` is given, got: undefined'],
    ['migrationTimeout', (s, n) => new ModularMonolithOnEks(s, 'A', {
      network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), migrationCommand: ['m'], migrationTimeout: Duration.minutes(30),
    }), '`migrationTimeout (minutes)` must be a number between 1 and 13, got: 30'],
    ['migrationCommand', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), migrationCommand: [] }),
      "`migrationCommand` must be a non-empty command, e.g. ['flask', 'db', 'upgrade'], got: []"],
    ['memoryMiB', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), memoryMiB: 32 }),
      '`memoryMiB` must be an integer between 64 and 131072, got: 32'],
    ['containerPort', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), containerPort: 0 }),
      '`containerPort` must be an integer between 1 and 65535, got: 0'],
    ['containerName', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), containerName: 'App' }),
      "`containerName` must be a DNS label of lowercase letters, digits and hyphens, starting with a letter, got: 'App'"],
    ['user', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), user: 0 }),
      '`user` must be an integer between 1 and 2147483647, got: 0'],
    ['minReplicas', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), minReplicas: 0 }),
      '`minReplicas` must be an integer between 1 and 100, got: 0'],
    ['memoryTargetPercent', (s, n) => new ModularMonolithOnEks(s, 'A', { network: n.network, kubectlLayer: n.kubectlLayer, image: ServiceImage.fromRegistry('x'), memoryTargetPercent: 99 }),
      '`memoryTargetPercent` must be an integer between 10 and 95, got: 99'],
  ];
  test.each(cases)('rejects a bad %s', (_prop, build, message) => {
    const n = eksStack(Profile.DEVELOPMENT, 'Bad');
    expect(() => build(n.stack, n)).toThrow(message);
  });
});

describe('ModularMonolithOnEks compliance', () => {
  test('is compliant with the three cdk-nag packs and CloudFormation validation', () => {
    expectCompliant(stack);
  });
});
