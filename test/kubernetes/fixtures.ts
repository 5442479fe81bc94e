import { execFileSync } from 'child_process';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Egress, Network, PostgresDatabase, Profile } from '../../src';

export const ENV = { account: '123456789012', region: 'eu-west-1' };

/** A stack with a NAT-instance network (EKS needs private subnets with egress) and a kubectl layer. */
export function eksStack(profile: Profile = Profile.COST_CONSCIOUS_PRODUCTION, id = 'Eks'): {
  app: App; stack: Stack; network: Network; kubectlLayer: lambda.ILayerVersion;
} {
  const app = new App();
  const stack = new Stack(app, id, { env: ENV });
  const network = new Network(stack, 'Network', { profile, egress: Egress.natInstance() });
  const kubectlLayer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', 'arn:aws:lambda:eu-west-1:123456789012:layer:kubectl-v35:1');
  return { app, stack, network, kubectlLayer };
}

/** A PostgreSQL database in the stack's network. */
export function database(stack: Stack, network: Network, profile: Profile = Profile.COST_CONSCIOUS_PRODUCTION): PostgresDatabase {
  return new PostgresDatabase(stack, 'Db', { network, profile });
}

/** A parsed manifest object of a `Custom::AWSCDK-EKS-KubernetesResource`, tokens as `${TOKEN}`. */
export type KubeObject = { [key: string]: any };

/**
 * The Kubernetes objects a template applies, as kubectl receives them: the `Manifest` property
 * (a JSON string, or an `Fn::Join` when it holds tokens) with every token replaced by a
 * placeholder string.
 */
export function manifests(template: Template): KubeObject[] {
  const out: KubeObject[] = [];
  for (const r of Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))) {
    out.push(...(JSON.parse(flatten(r.Properties.Manifest)) as KubeObject[]));
  }
  return out;
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]);
  return 'TOKEN';
}

/** The objects of one kind. */
export function ofKind(objects: KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The schema check of one object. */
export interface SchemaResult {
  readonly kind: string;
  readonly name?: string;
  readonly result: 'valid' | 'invalid' | 'no-schema';
  readonly errors?: string;
}

/**
 * Validates objects against the Kubernetes API schemas with kubernetes-models (ES modules only,
 * so in a child process). Custom resources (Karpenter, EKS) have no schema there: `no-schema`.
 */
export function validateAgainstSchemas(objects: KubeObject[]): SchemaResult[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'validate-manifests.mjs')], { input: JSON.stringify(objects) });
  return JSON.parse(out.toString()) as SchemaResult[];
}
