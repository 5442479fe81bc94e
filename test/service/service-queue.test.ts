import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IMAGE, propertiesOf, stackWithVpc, TaskDefinitionJson } from './fixtures';
import { ModularMonolithService, Profile, ServiceImage, ServiceQueue } from '../../src';
import { expectCompliant } from '../helpers/compliance';

describe('ServiceQueue', () => {
  test('an encrypted, TLS-only queue with a dead-letter queue', () => {
    // GIVEN
    const { stack } = stackWithVpc();
    // WHEN
    new ServiceQueue(stack, 'Jobs', { visibilityTimeout: Duration.minutes(5), maxReceiveCount: 3 });
    const template = Template.fromStack(stack);
    // THEN
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 300,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('JobsDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
    template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
    expectCompliant(stack);
  });

  test('rejects a receive count out of range', () => {
    const { stack } = stackWithVpc();
    expect(() => new ServiceQueue(stack, 'Jobs', { maxReceiveCount: 0 })).toThrow('`maxReceiveCount` must be an integer between 1 and 1000, got: 0');
    expect(() => new ServiceQueue(stack, 'Jobs2', { visibilityTimeout: Duration.hours(12).plus(Duration.seconds(1)) })).toThrow("`visibilityTimeout` must be a whole number of seconds between 0 and 43200, got: '43201 seconds'");
    expect(() => new ServiceQueue(stack, 'Jobs3', { visibilityTimeout: Duration.millis(1500) })).toThrow("`visibilityTimeout` must be a whole number of seconds between 0 and 43200, got: '1.5 seconds'");
  });

  test('attached to a service: URL in the container, send and consume permissions', () => {
    const { stack, vpc } = stackWithVpc();
    new ModularMonolithService(stack, 'Api', { vpc, image: ServiceImage.fromRegistry(IMAGE), queue: {}, profile: Profile.DEVELOPMENT });
    const template = Template.fromStack(stack);
    const [[, taskDefinition]] = propertiesOf<TaskDefinitionJson>(template, 'AWS::ECS::TaskDefinition');
    const names = taskDefinition.ContainerDefinitions[0].Environment!.map((e) => e.Name);
    expect(names).toEqual(expect.arrayContaining(['QUEUE_URL', 'QUEUE_NAME', 'DEAD_LETTER_QUEUE_URL']));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']) }),
          Match.objectLike({ Action: Match.arrayWith(['sqs:ReceiveMessage', 'sqs:DeleteMessage']) }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('ApiTaskDefinitionTaskRole') }],
    });
  });
});
