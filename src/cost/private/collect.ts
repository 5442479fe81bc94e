import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isObject, Json, ResourceRecord } from './context';

/** A CfnResource's synthesized shape: `_toCloudFormation()` is public in aws-cdk-lib's typings, marked internal. */
interface Renderable {
  _toCloudFormation(): object;
}

/** The resources a scope holds, and every resource of the stacks they live in (for lookups). */
export interface Collected {
  readonly inScope: ResourceRecord[];
  readonly all: ResourceRecord[];
  readonly stacks: Stack[];
}

/**
 * Reads the resources from the construct tree, each resolved the way `cdk synth` writes it
 * (property overrides included), with its construct path.
 */
export function collectFromTree(scope: IConstruct): Collected {
  const resources = scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
  const stacks: Stack[] = [];
  for (const r of resources) {
    const stack = Stack.of(r);
    if (!stacks.includes(stack)) stacks.push(stack);
  }
  const all: ResourceRecord[] = [];
  const byResource = new Map<CfnResource, ResourceRecord>();
  for (const stack of stacks) {
    for (const c of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
      const record = toRecord(stack, c);
      if (record) {
        all.push(record);
        byResource.set(c, record);
      }
    }
  }
  const inScope = resources.map((r) => byResource.get(r)).filter((r): r is ResourceRecord => r !== undefined);
  return { inScope, all, stacks };
}

function toRecord(stack: Stack, resource: CfnResource): ResourceRecord | undefined {
  const rendered = stack.resolve((resource as unknown as Renderable)._toCloudFormation());
  const entries = Object.entries(isObject(rendered) && isObject(rendered.Resources) ? rendered.Resources : {});
  if (entries.length === 0) return undefined;
  const [logicalId, body] = entries[0];
  const b = isObject(body) ? body : {};
  return {
    stackKey: stack.node.path,
    logicalId,
    type: typeof b.Type === 'string' ? b.Type : resource.cfnResourceType,
    properties: isObject(b.Properties) ? b.Properties : {},
    constructPath: resource.node.path,
    condition: typeof b.Condition === 'string' ? b.Condition : undefined,
  };
}

/** Reads the resources of a synthesized template (e.g. `cdk.out/MyStack.template.json`). */
export function collectFromTemplate(template: Json, name: string): Collected {
  const resources = isObject(template.Resources) ? template.Resources : {};
  const all: ResourceRecord[] = Object.entries(resources).filter(([, b]) => isObject(b)).map(([logicalId, body]) => {
    const b = body as Json;
    const metadata = isObject(b.Metadata) ? b.Metadata : {};
    const path = typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] : `${name}/${logicalId}`;
    return {
      stackKey: name,
      logicalId,
      type: typeof b.Type === 'string' ? b.Type : 'Unknown',
      properties: isObject(b.Properties) ? b.Properties : {},
      constructPath: path,
      condition: typeof b.Condition === 'string' ? b.Condition : undefined,
    };
  });
  return { inScope: all, all, stacks: [] };
}

/** The stack's region when it is known at synth. */
export function literalRegion(stack: Stack): string | undefined {
  return Token.isUnresolved(stack.region) ? undefined : stack.region;
}
