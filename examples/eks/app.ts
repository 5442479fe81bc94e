// The modular monolith of a small web app (a Flask API, PostgreSQL, CI-built images in ECR) on
// EKS Auto Mode: one cluster, the database, migrations before every rollout, a public ALB.
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  Egress, FrontDoor, LeanEksCluster, ModularMonolithOnEks, Network, PostgresDatabase, Profile, ServiceImage,
} from '../../src';

/** The stacks of the example and the workload, for tests and the summary. */
export interface EksExample {
  readonly stack: Stack;
  readonly cluster: LeanEksCluster;
  readonly api: ModularMonolithOnEks;
}

export function buildEksExample(app: App): EksExample {
  const profile = Profile.COST_CONSCIOUS_PRODUCTION;
  // An explicit account and region: synth needs no credentials.
  const stack = new Stack(app, 'LeanEks', { env: { account: '123456789012', region: 'eu-west-1' } });
  // EKS nodes and the kubectl handler live in private subnets: a NAT instance is the cheapest egress.
  const network = new Network(stack, 'Network', { profile, egress: Egress.natInstance() });
  const database = new PostgresDatabase(stack, 'Database', { network, profile });
  const cluster = new LeanEksCluster(stack, 'Cluster', {
    network,
    profile,
    kubectlLayer: new KubectlV35Layer(stack, 'Kubectl'),
  });
  // CI builds the image and pushes it to ECR; the tag is the release.
  const repository = ecr.Repository.fromRepositoryName(stack, 'Images', 'innovate/api');
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate',
    'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000');
  const api = new ModularMonolithOnEks(stack, 'Api', {
    cluster,
    image: ServiceImage.fromEcrRepository(repository, 'v1.0.0'),
    database,
    migrationCommand: ['flask', 'db', 'upgrade'],
    modules: [{ name: 'accounts', path: '/accounts/*' }, { name: 'orders', path: '/orders/*' }],
    healthCheckPath: '/healthz',
    frontDoor: FrontDoor.publicAlb({ certificate, domainName: 'api.innovate.example' }),
  });
  return { stack, cluster, api };
}
