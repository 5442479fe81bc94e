import { App, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CostAnomalyAlerts, ServiceQueue } from '../../src';

function appWithQueue(context?: { [key: string]: unknown }): { app: App; stack: Stack; jobs: ServiceQueue } {
  const app = new App({ context });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
  return { app, stack, jobs: new ServiceQueue(stack, 'Jobs') };
}

/** Counts how often aws-cdk-lib's shared CloudFormation validator checks a template. */
function countValidations(): jest.SpyInstance {
  type Shared = { _singletonInstance: () => { engine: { validateDetailed: () => unknown } } };
  const validator = (CloudFormationValidatePlugin as unknown as Shared)._singletonInstance();
  return jest.spyOn(validator.engine, 'validateDetailed');
}

describe('CloudFormation validation errors in our resources fail synth', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a bad raw value in one of our resources fails synth, naming the rule, resource and property', () => {
    // GIVEN a user's escape-hatch override of one of our children with a value CloudFormation refuses
    const { app, jobs } = appWithQueue();
    (jobs.queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('MessageRetentionPeriod', 30);
    // WHEN / THEN: an error (aws-cdk-lib alone would only warn), with the resource and how to acknowledge it
    expect(() => app.synth()).toThrow(
      /ERROR MessageRetentionPeriod: 30 is less than the minimum of 60 \(CloudFormation Validate\)\s+S\/Jobs\/Queue\/Resource .*\s+Acknowledge with 'CloudFormation-Validate::F3034'/);
  });

  test('the same holds for constructs without a profile: a property CloudFormation does not know', () => {
    const { app, stack } = appWithQueue();
    const alerts = new CostAnomalyAlerts(stack, 'Anomaly', { topic: new sns.Topic(stack, 'Topic', { enforceSSL: true }) });
    alerts.monitor.addPropertyOverride('Frequency', 'DAILY');
    expect(() => app.synth()).toThrow(/ERROR Frequency: Additional properties are not allowed \('Frequency' was unexpected\).*\s+S\/Anomaly\/Monitor/);
  });

  test('the template is validated once, not once more for our check', () => {
    const { app, jobs } = appWithQueue();
    (jobs.queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('MessageRetentionPeriod', 30);
    const validations = countValidations();
    expect(() => app.synth()).toThrow(/MessageRetentionPeriod/);
    expect(validations).toHaveBeenCalledTimes(1);
  });

  test('the same error in a resource of the user\'s own stays a warning, as aws-cdk-lib decides', () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { app, stack } = appWithQueue();
    const own = new sqs.Queue(stack, 'Own', { enforceSSL: true });
    (own.node.defaultChild as sqs.CfnQueue).addPropertyOverride('MessageRetentionPeriod', 30);
    expect(() => app.synth()).not.toThrow();
  });

  test('an acknowledgment of the rule at the resource still applies', () => {
    const { app, jobs } = appWithQueue();
    const queue = jobs.queue.node.defaultChild as sqs.CfnQueue;
    queue.addPropertyOverride('MessageRetentionPeriod', 30);
    // Validations.of(...).acknowledge is how aws-cdk-lib's own findings are acknowledged.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    Validations.of(queue).acknowledge({ id: 'CloudFormation-Validate::F3034', reason: 'Test: a deliberate value.' });
    expect(() => app.synth()).not.toThrow();
  });

  test('with aws-cdk-lib\'s own flag every error fails synth once, reported by aws-cdk-lib', () => {
    const { app, jobs } = appWithQueue({ '@aws-cdk/core:validateAgainstDefaultRules': true });
    (jobs.queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('MessageRetentionPeriod', 30);
    expect(() => app.synth()).toThrow(/ERROR MessageRetentionPeriod: 30 is less than the minimum of 60 \(CloudFormation Validate\)/);
  });

  test('with a validator the user registered on the app, ours uses theirs', () => {
    const { app, jobs } = appWithQueue();
    Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
    (jobs.queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('MessageRetentionPeriod', 30);
    expect(() => app.synth()).toThrow(/ERROR MessageRetentionPeriod: 30 is less than the minimum of 60/);
  });

  test('a valid app synthesizes, validated once', () => {
    const { app } = appWithQueue();
    const validations = countValidations();
    expect(() => app.synth()).not.toThrow();
    expect(validations).toHaveBeenCalledTimes(1);
  });
});
