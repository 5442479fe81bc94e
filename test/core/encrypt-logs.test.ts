import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IdleCostEstimate, ModularMonolithService, Network, ObservabilityStack, PostgresDatabase, Profile, ServiceImage } from '../../src';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';
import { testStack } from '../helpers/fakes';
import { GRANTS_ONLY_FOR_AWS_RESOURCES } from '../helpers/kms';

/** What a team on the highly available profile builds: a network, a database and the service. */
function workload(profile: Profile): Stack {
  const stack = testStack();
  const network = new Network(stack, 'Network', { profile });
  new ModularMonolithService(stack, 'Service', {
    profile,
    network,
    database: new PostgresDatabase(stack, 'Database', { profile, network }),
    image: ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'app'), 'v1'),
  });
  return stack;
}

type LogGroups = { [id: string]: { Properties: { KmsKeyId?: unknown } } };

describe('Profile encryptLogs', () => {
  test('the highly available profile encrypts every log group the library creates with one key per stack', () => {
    // GIVEN / WHEN
    const stack = workload(Profile.HIGHLY_AVAILABLE_PRODUCTION);
    // THEN
    const t = Template.fromStack(stack);
    const keys = t.findResources('AWS::KMS::Key', { Properties: { Description: 'Encrypts the log groups cdk-lean-stack creates in this stack' } });
    expect(Object.keys(keys)).toHaveLength(1);
    const keyId = Object.keys(keys)[0];
    const groups = t.findResources('AWS::Logs::LogGroup') as LogGroups;
    // flow logs, database logs, service logs, the API's access logs and the helper Lambda's logs
    expect(Object.keys(groups).length).toBeGreaterThanOrEqual(5);
    for (const [id, group] of Object.entries(groups)) {
      expect([id, group.Properties.KmsKeyId]).toEqual([id, { 'Fn::GetAtt': [keyId, 'Arn'] }]);
    }
    expect(keys[keyId]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });

  test('the key serves CloudWatch Logs for this account and region only, and hands out no grants', () => {
    const stack = workload(Profile.HIGHLY_AVAILABLE_PRODUCTION);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      Description: 'Encrypts the log groups cdk-lean-stack creates in this stack',
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:*']] } } },
          }),
          GRANTS_ONLY_FOR_AWS_RESOURCES,
        ]),
      },
    });
  });

  test('the idle cost estimate, read before synth, prices the log key that synth adds, and synth adds no second one', () => {
    // GIVEN a workload that encrypts its logs, not synthesized yet
    const stack = workload(Profile.HIGHLY_AVAILABLE_PRODUCTION);
    // WHEN its idle cost is estimated first
    const keys = IdleCostEstimate.ofStack(stack).fixedItems.filter((i) => i.resourceType === 'AWS::KMS::Key' && i.constructPath.endsWith('LeanStackLogsKey/Resource'));
    // THEN the key's monthly fee is in the estimate, and the template holds that one key
    expect(keys.map((k) => k.monthlyUsd)).toEqual([1]);
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::KMS::Key', { Description: 'Encrypts the log groups cdk-lean-stack creates in this stack' }, 1);
  });

  test('a stack without a log group of ours pays for no log key', () => {
    // GIVEN alarms only (no log group), in a profile that encrypts logs, beside the user's own group
    const stack = testStack();
    new ObservabilityStack(stack, 'Observability', { profile: Profile.HIGHLY_AVAILABLE_PRODUCTION, alarmEmails: ['oncall@example.com'] });
    new logs.LogGroup(stack, 'Own', { retention: logs.RetentionDays.ONE_DAY });
    // THEN no key is created for nothing (1 USD a month)
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::KMS::Key', { Description: 'Encrypts the log groups cdk-lean-stack creates in this stack' }, 0);
  });

  test('a user\'s own log group in the same stack is left as the user made it', () => {
    // GIVEN
    const stack = workload(Profile.HIGHLY_AVAILABLE_PRODUCTION);
    // WHEN
    new logs.LogGroup(stack, 'Mine', { logGroupName: 'mine', retention: logs.RetentionDays.ONE_DAY });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'mine', KmsKeyId: Match.absent() });
  });

  test('the cheaper profiles create no key, and one override turns it on without replacing anything', () => {
    const cheap = Template.fromStack(workload(Profile.COST_CONSCIOUS_PRODUCTION));
    cheap.resourceCountIs('AWS::KMS::Key', 0);
    for (const group of Object.values(cheap.findResources('AWS::Logs::LogGroup') as LogGroups)) expect(group.Properties.KmsKeyId).toBeUndefined();

    const asked = Template.fromStack(workload(Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ encryptLogs: true })));
    asked.resourceCountIs('AWS::KMS::Key', 1);
    // the same log groups, under the same logical ids: CloudFormation associates the key in place
    expect(Object.keys(asked.findResources('AWS::Logs::LogGroup')).sort()).toEqual(Object.keys(cheap.findResources('AWS::Logs::LogGroup')).sort());
  });

  test('passes cdk-nag and no log group fails AWS Control Tower CT.CLOUDWATCH.PR.3', () => {
    const stack = workload(Profile.HIGHLY_AVAILABLE_PRODUCTION);
    expectCompliant(stack);
    const failures = controlTowerFailures([stack]).get(stack.stackName)!;
    expect(failures.get('CT.CLOUDWATCH.PR.3')).toBeUndefined();
    expect(failures.get('CT.KMS.PR.3')).toBeUndefined();
  });
});
