import { CfnResource, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { NAG, acknowledge } from './nag';

const providerLogGroups = new WeakSet<IConstruct>();

/** Whether the construct is a log group `retainProviderLogs` made for a helper Lambda. */
export function isProviderLogGroup(construct: IConstruct | undefined): boolean {
  return construct !== undefined && providerLogGroups.has(construct);
}

/**
 * Gives the handler of one of aws-cdk-lib's stack-wide custom resource providers (found by its id
 * under the stack, e.g. `Custom::S3AutoDeleteObjectsCustomResourceProvider`) a log group with a
 * retention. Those providers take no logging options; left alone, their Lambda writes to a group
 * it creates itself, kept forever. The handler is pointed at our group through `LoggingConfig`,
 * so the group exists before the function first runs. Idempotent: the first caller's retention
 * wins, and a provider that does not exist (yet) is left alone.
 */
export function retainProviderLogs(scope: IConstruct, providerId: string, retention: logs.RetentionDays): void {
  const stack = Stack.of(scope);
  const provider = stack.node.tryFindChild(providerId);
  const handler = provider?.node.tryFindChild('Handler');
  if (!provider || !CfnResource.isCfnResource(handler) || provider.node.tryFindChild('Logs')) return;
  const logGroup = new logs.LogGroup(provider, 'Logs', { retention });
  providerLogGroups.add(logGroup);
  handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  handler.node.addDependency(logGroup);
  acknowledge(logGroup, {
    ids: [...NAG.logGroupKms],
    reason: 'Deploy-time logs of an aws-cdk-lib helper Lambda (no application data); a customer managed key would cost 1 USD a month.',
  });
}
