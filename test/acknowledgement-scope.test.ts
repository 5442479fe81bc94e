import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BreakGlassHost, Egress, MigrationProject, ModularMonolithOnEks, Network, PostgresDatabase, ServiceImage, SiteDeployRole,
} from '../src';
import { nagFindings } from './helpers/compliance';
import { testStack } from './helpers/fakes';
import { database, eksStack } from './kubernetes/fixtures';
import { releaseApp } from './release/fixtures';

/**
 * What a user does first with a construct that hands out a role: gives it one more permission,
 * here a destructive one on every resource. Our acknowledgements name only our own wildcards, so
 * cdk-nag must report the user's statement on each of these roles (the service and the migration
 * pipeline have their own tests in their folders).
 */
const userStatement = () => new iam.PolicyStatement({ actions: ['dynamodb:DeleteTable', 's3:DeleteBucket'], resources: ['*'] });

/** The paths cdk-nag reports `AwsSolutions-IAM5[Resource::*]` at, within the stack. */
function wildcardFindings(stack: Stack): string[] {
  return nagFindings(stack).filter((f) => f.rule === 'AwsSolutions-IAM5[Resource::*]').map((f) => f.path);
}

function expectReported(stack: Stack, role: iam.IRole, build: () => void) {
  const before = wildcardFindings(stack);
  expect(before).toEqual([]);
  build();
  role.addToPrincipalPolicy(userStatement());
  const after = wildcardFindings(stack);
  expect(after.length).toBeGreaterThan(0);
  expect(after.every((p) => p.startsWith(role.node.path))).toBe(true);
}

describe('a user\'s own wildcard statement is reported on every role a construct hands out', () => {
  test('BreakGlassHost.role', () => {
    const stack = testStack();
    const network = new Network(stack, 'Net', { egress: Egress.natInstance() });
    const host = new BreakGlassHost(stack, 'Host', { network, database: new PostgresDatabase(stack, 'Db', { network }) });
    expectReported(stack, host.role, () => undefined);
  });

  test('MigrationProject\'s build role', () => {
    const stack = testStack();
    const network = new Network(stack, 'Net');
    const migration = new MigrationProject(stack, 'Mig', { network, database: new PostgresDatabase(stack, 'Db', { network }) });
    expectReported(stack, migration.project.role!, () => undefined);
  });

  test('SiteDeployRole.role', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const distribution = cloudfront.Distribution.fromDistributionAttributes(stack, 'Dist', { distributionId: 'E123', domainName: 'd123.cloudfront.net' });
    const deployer = new SiteDeployRole(stack, 'Deployer', { bucket, distribution, repository: 'my-org/my-spa', branches: ['main'] });
    // the test bucket is scaffolding: only the role's findings matter here
    const before = wildcardFindings(stack).filter((p) => p.startsWith(deployer.role.node.path));
    expect(before).toEqual([]);
    deployer.role.addToPrincipalPolicy(userStatement());
    expect(wildcardFindings(stack).filter((p) => p.startsWith(deployer.role.node.path)).length).toBeGreaterThan(0);
  });

  test('ReleasePipeline\'s pipeline role and image build role', () => {
    const { releaseStack, pipeline } = releaseApp();
    const project = pipeline.imageProjects[0];
    const before = new Set(wildcardFindings(releaseStack));
    project.role!.addToPrincipalPolicy(userStatement());
    pipeline.pipeline.role.addToPrincipalPolicy(userStatement());
    const added = wildcardFindings(releaseStack).filter((p) => !before.has(p));
    expect(added).toEqual(expect.arrayContaining([
      expect.stringContaining(project.role!.node.path),
      expect.stringContaining(pipeline.pipeline.role.node.path),
    ]));
  });

  test('ModularMonolithOnEks.podRole and LeanEksCluster.nodeRole', () => {
    const { stack, network, kubectlLayer } = eksStack();
    const api = new ModularMonolithOnEks(stack, 'Api', {
      network, kubectlLayer, database: database(stack, network), image: ServiceImage.fromRegistry('public.ecr.aws/acme/api:1.0'),
    });
    const before = new Set(wildcardFindings(stack));
    api.podRole.addToPrincipalPolicy(userStatement());
    api.cluster.nodeRole.addToPrincipalPolicy(userStatement());
    const added = wildcardFindings(stack).filter((p) => !before.has(p));
    expect(added).toEqual(expect.arrayContaining([
      expect.stringContaining(api.podRole.node.path),
      expect.stringContaining(api.cluster.nodeRole.node.path),
    ]));
  });
});
