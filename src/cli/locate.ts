import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { CloudFormationClient, GetTemplateCommand, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { AwsOptions, CliContext, CliError, clientConfig } from './context';
import { CLI_TAG } from '../private/cli-tags';

/** A stack of a synthesized cloud assembly. */
export interface AssemblyStack {
  /** The artifact id, e.g. `LeanProd`. */
  readonly id: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The construct path, e.g. `Prod/LeanProd`. */
  readonly displayName: string;
  /** The region, when the stack has an explicit environment. */
  readonly region?: string;
  /** The template's absolute path. */
  readonly templatePath: string;
}

/** A resource of a deployed stack, with the tags its template gives it. */
export interface DeployedResource {
  readonly stackName: string;
  readonly region?: string;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly tags: { [key: string]: string };
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

/** The stacks of the cloud assembly in `dir`, nested assemblies of stages included. Undefined without a manifest. */
export function readAssembly(dir: string): AssemblyStack[] | undefined {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf-8')) as { artifacts?: { [id: string]: ManifestArtifact } };
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact.properties ?? {};
    if (artifact.type === 'cdk:cloud-assembly' && props.directoryName) {
      stacks.push(...readAssembly(join(dir, props.directoryName)) ?? []);
    } else if (artifact.type === 'aws:cloudformation:stack' && props.templateFile) {
      const region = artifact.environment?.split('/')[3];
      stacks.push({
        id,
        stackName: props.stackName ?? id,
        displayName: artifact.displayName ?? id,
        region: region && region !== 'unknown-region' ? region : undefined,
        templatePath: join(dir, props.templateFile),
      });
    }
  }
  return stacks;
}

/** A stack to look in, and whether the user named it (a named stack that is missing is an error). */
interface StackRef { readonly name: string; readonly region?: string; readonly named: boolean }

/** The stacks to look in: `--stack`, or every stack of `cdk.out` in the working directory. */
function stackRefs(ctx: CliContext, options: AwsOptions): StackRef[] {
  const assembly = readAssembly(join(ctx.cwd, options.cdkOut));
  const find = (name: string) => assembly?.find((s) => [s.stackName, s.id, s.displayName].includes(name));
  if (options.stacks.length > 0) {
    return options.stacks.map((name) => {
      const known = find(name);
      return { name: known?.stackName ?? name, region: known?.region, named: true };
    });
  }
  if (!assembly || assembly.length === 0) {
    throw new CliError(`No stack to look in: pass --stack NAME (the CloudFormation stack of your app), or run this in your CDK app's directory after \`cdk synth\` so that ${options.cdkOut}/manifest.json lists the stacks.`);
  }
  return assembly.map((s) => ({ name: s.stackName, region: s.region, named: false }));
}

/** Every resource of the deployed stacks (nested stacks included), with their template tags. */
export async function deployedResources(ctx: CliContext, options: AwsOptions): Promise<DeployedResource[]> {
  const refs = stackRefs(ctx, options);
  const found: DeployedResource[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    const resources = await stackResources(options, ref.name, ref.region);
    if (resources) {
      found.push(...resources);
    } else if (ref.named) {
      throw new CliError(`Stack ${ref.name} was not found in ${where(options, ref.region)}: check its name (--stack), the region (--region or AWS_REGION) and the account (--profile or AWS_PROFILE), or deploy it first with \`cdk deploy\`.`);
    } else {
      missing.push(ref.name);
    }
  }
  if (found.length === 0) {
    throw new CliError(`None of the stacks in ${options.cdkOut} (${missing.join(', ')}) is deployed in ${where(options, undefined)}: deploy them with \`cdk deploy\`, or pass --stack, --region and --profile.`);
  }
  if (missing.length > 0) ctx.err(`Not deployed (skipped): ${missing.join(', ')}`);
  return found;
}

function where(options: AwsOptions, region: string | undefined): string {
  const r = region ?? options.region;
  return `${r ? `region ${r}` : 'your default region'}${options.profile ? ` with profile ${options.profile}` : ''}`;
}

async function stackResources(options: AwsOptions, stackName: string, region: string | undefined): Promise<DeployedResource[] | undefined> {
  const cfn = new CloudFormationClient(clientConfig(options, region));
  let body: string | undefined;
  try {
    body = (await cfn.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }))).TemplateBody;
  } catch (e) {
    if (e instanceof Error && /does not exist/.test(e.message)) return undefined;
    throw e;
  }
  const template = parseTemplate(body);
  const resources: DeployedResource[] = [];
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackName })) {
    for (const summary of page.StackResourceSummaries ?? []) {
      if (!summary.LogicalResourceId || !summary.ResourceType || !summary.PhysicalResourceId) continue;
      if (summary.ResourceType === 'AWS::CloudFormation::Stack') {
        resources.push(...await stackResources(options, summary.PhysicalResourceId, region) ?? []);
        continue;
      }
      resources.push({
        stackName,
        region: region ?? options.region,
        logicalId: summary.LogicalResourceId,
        type: summary.ResourceType,
        physicalId: summary.PhysicalResourceId,
        tags: tagsOf(template[summary.LogicalResourceId]),
      });
    }
  }
  return resources;
}

function parseTemplate(body: string | undefined): { [logicalId: string]: unknown } {
  try {
    const parsed = JSON.parse(body ?? '{}') as { Resources?: { [logicalId: string]: unknown } };
    return parsed.Resources ?? {};
  } catch {
    return {}; // a YAML template (not written by the CDK): no tags to read
  }
}

/** The literal tags of a template resource, as a list (`[{Key, Value}]`) or a map. */
function tagsOf(resource: unknown): { [key: string]: string } {
  const tags = (resource as { Properties?: { Tags?: unknown } } | undefined)?.Properties?.Tags;
  const result: { [key: string]: string } = {};
  if (Array.isArray(tags)) {
    for (const t of tags as Array<{ Key?: unknown; Value?: unknown }>) {
      if (typeof t.Key === 'string' && typeof t.Value === 'string') result[t.Key] = t.Value;
    }
  } else if (tags && typeof tags === 'object') {
    for (const [k, v] of Object.entries(tags)) if (typeof v === 'string') result[k] = v;
  }
  return result;
}

/** The resources of a type with a CLI role tag. */
export function withRole(resources: DeployedResource[], type: string, role: string): DeployedResource[] {
  return resources.filter((r) => r.type === type && r.tags[CLI_TAG.role] === role);
}

/** The stacks looked in, for messages. */
export function stackList(resources: DeployedResource[]): string {
  return [...new Set(resources.map((r) => r.stackName))].join(', ');
}

/** Exactly one resource, or an error saying what is missing (or ambiguous) and how to fix it. */
export function one(found: DeployedResource[], all: DeployedResource[], what: string, fix: string): DeployedResource {
  if (found.length === 0) throw new CliError(`No ${what} in stack(s) ${stackList(all)}: ${fix}`);
  if (found.length > 1) {
    throw new CliError(`${found.length} ${what}s found (${found.map((r) => `${r.stackName}/${r.logicalId}`).join(', ')}): pass --stack to choose one stack.`);
  }
  return found[0];
}
