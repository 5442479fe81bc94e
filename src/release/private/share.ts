import { CfnOutput, Fn, Names, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A value of `owner`'s stack as `consumer` sees it: itself in the same stack, otherwise an import
 * of an export whose name we choose (the owner's stack name and path, so two stacks never
 * collide). aws-cdk-lib would export it too, but under a name it picks at synth; ours is known
 * while constructing, so the cdk-nag acknowledgements of grants on it can name it exactly.
 */
export function shared(owner: Construct, consumer: Construct, value: string, what: string): string {
  const ownerStack = Stack.of(owner);
  const consumerStack = Stack.of(consumer);
  if (consumerStack === ownerStack) return value;
  const id = `Export${what}`;
  const name = `${ownerStack.stackName}-${Names.uniqueId(owner)}-${what}`.replace(/[^A-Za-z0-9:-]/g, '').slice(0, 255);
  if (!owner.node.tryFindChild(id)) new CfnOutput(owner, id, { value, exportName: name });
  consumerStack.addStackDependency(ownerStack, `imports ${name}`);
  return Fn.importValue(name);
}
