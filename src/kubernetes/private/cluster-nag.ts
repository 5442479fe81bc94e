import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { acknowledge, NAG, nagResourceId } from '../../private/nag';

/** What the cluster's trade-offs are acknowledged on. */
export interface ClusterNagTargets {
  readonly cluster: eks.Cluster;
  readonly nodeRole: iam.IRole;
  readonly logGroup: logs.LogGroup;
  readonly agentRole?: iam.IRole;
}

/** Acknowledges the AWS managed policies a role carries, one granular id per policy. */
export function acknowledgeManagedPolicies(scope: IConstruct, reason: string): void {
  for (const role of scope.node.findAll().filter((c): c is iam.CfnRole => c instanceof iam.CfnRole)) {
    // Resolved now: aws-cdk-lib's roles carry their managed policies from construction.
    const arns = Stack.of(role).resolve(role.managedPolicyArns) as unknown[] | undefined;
    const ids = (arns ?? []).map((arn) => `AwsSolutions-IAM4[Policy::${flattenArn(arn)}]`);
    acknowledge(role, { ids, reason });
  }
}

/**
 * Acknowledges the trade-offs of an EKS Auto Mode cluster made with aws-cdk-lib's `eks-v2`
 * constructs, each at the resource that makes it.
 */
export function acknowledgeClusterTradeOffs(targets: ClusterNagTargets): void {
  const { cluster, nodeRole, logGroup, agentRole } = targets;
  acknowledgeManagedPolicies(cluster.role, 'EKS Auto Mode requires these AWS managed policies on the cluster role (compute, block storage, load balancing, networking); AWS keeps them current with the features Auto Mode uses.');
  acknowledgeManagedPolicies(nodeRole, 'The two AWS managed policies Auto Mode documents for its nodes: join the cluster and pull images from ECR, nothing more.');
  if (agentRole) acknowledgeManagedPolicies(agentRole, 'The CloudWatch agent\'s AWS managed policy, scoped by Pod Identity to its service account: it writes metrics and logs only.');
  const resource = cluster.node.defaultChild as IConstruct;
  acknowledge(resource, {
    ids: ['AwsSolutions-EKS2[LogExport::controllerManager]', 'AwsSolutions-EKS2[LogExport::scheduler]'],
    reason: 'Controller manager and scheduler logs are verbose and billed per GB ingested; api, audit and authenticator logs record who did what. Add them with `clusterLogging` when debugging scheduling.',
  });
  acknowledge(logGroup, {
    ids: [...NAG.logGroupKms],
    reason: 'Control plane logs are encrypted at rest with CloudWatch Logs\' own keys; a customer KMS key adds 1 USD a month and key policy upkeep for no gain here.',
  });

  // The kubectl handler and its provider framework are aws-cdk-lib's; they run only during deploys.
  const provider = cluster.node.tryFindChild('KubectlProvider');
  if (!provider) return;
  const functions = provider.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function);
  const handler = functions.find((f) => f.node.id === 'Handler');
  for (const fn of functions) {
    acknowledge(fn,
      { ids: [...NAG.lambdaConcurrency, ...NAG.lambdaDlq], reason: 'A CloudFormation custom resource handler of aws-cdk-lib: CloudFormation calls it once per change and records every failure; a DLQ or reserved concurrency adds nothing.' },
      { ids: [...NAG.inlinePolicy], reason: 'The handler\'s policy belongs to its role alone and is created and deleted with it (aws-cdk-lib).' },
    );
    if (fn.role) acknowledgeManagedPolicies(fn.role, 'aws-cdk-lib\'s kubectl handler: Lambda logging and VPC access, and pulling the kubectl image layers, with AWS managed policies.');
  }
  if (handler) {
    acknowledge(handler, { ids: ['AwsSolutions-L1'], reason: 'aws-cdk-lib pins the kubectl handler\'s Python runtime to the one its kubectl and AWS CLI layers are built for.' });
    const onEvent = functions.find((f) => f !== handler);
    if (onEvent) {
      acknowledge(onEvent, {
        ids: [`AwsSolutions-IAM5[${nagResourceId(onEvent, `${handler.functionArn}:*`)}]`],
        reason: 'The provider framework invokes any version of the kubectl handler, and only that function.',
      });
    }
  }
}

/** How cdk-nag prints a policy ARN in a finding id: `Ref` as `<Id>`, `Fn::Join` flattened, others as JSON. */
function flattenArn(node: unknown): string {
  if (typeof node === 'string') return node;
  const o = node as { [key: string]: unknown };
  if (Array.isArray(o['Fn::Join'])) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flattenArn).join(delimiter);
  }
  if (o.Ref !== undefined) return `<${String(o.Ref)}>`;
  return JSON.stringify(node);
}
