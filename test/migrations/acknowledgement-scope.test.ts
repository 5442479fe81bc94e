import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { MigrationSource, PrivateMigrationPipeline } from '../../src/migrations';
import { nagFindings } from '../helpers/compliance';
import { FakeDatabase, FakeNetwork, FakeService, testStack } from '../helpers/fakes';

function build() {
  const stack = testStack();
  const network = new FakeNetwork(stack, 'Net');
  const database = new FakeDatabase(stack, 'Db', network.vpc);
  const source = MigrationSource.s3({ bucket: new s3.Bucket(stack, 'Src', { versioned: true }), objectKey: 'migrations.zip' });
  const service = new FakeService(stack, 'Svc', network.vpc);
  const pipeline = new PrivateMigrationPipeline(stack, 'Mig', { network, database, source, deploy: { service } });
  return { stack, service, pipeline };
}

describe('the migration pipeline', () => {
  test('deploys with a role scoped to the one service and its two roles', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    const policies = Object.values(t.findResources('AWS::IAM::Policy'))
      .map((p) => JSON.stringify((p as { Properties: { PolicyDocument: unknown } }).Properties.PolicyDocument));
    const deploy = policies.filter((p) => p.includes('ecs:UpdateService'));
    expect(deploy).toHaveLength(1);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: { Ref: Match.stringLikeRegexp('^SvcService') } }),
          Match.objectLike({
            Action: 'iam:PassRole',
            Resource: [Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('TaskRole'), 'Arn'] }), Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('ExecutionRole'), 'Arn'] })],
            Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          }),
        ]),
      },
    });
    // no statement anywhere lets the pipeline update any service or pass any role
    expect(policies.some((p) => /"Action":\[[^\]]*"ecs:UpdateService"[^\]]*\],"Effect":"Allow","Resource":"\*"/.test(p))).toBe(false);
    expect(policies.some((p) => /"Action":"iam:PassRole"[^}]*"Resource":"\*"/.test(p))).toBe(false);
  });

  test('a wildcard statement the user adds to the migration project role is still reported', () => {
    const { stack, pipeline } = build();
    pipeline.project.role!.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:DeleteTable', 's3:DeleteBucket'], resources: ['*'] }));
    expect(nagFindings(stack).filter((f) => f.rule === 'AwsSolutions-IAM5[Resource::*]').map((f) => f.path))
      .toEqual(expect.arrayContaining([expect.stringMatching(/Mig\/.*Role\/DefaultPolicy\/Resource$/)]));
  });
});
