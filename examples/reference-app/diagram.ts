// Draws the reference architecture as Mermaid from the synthesized app, so the README's diagram
// cannot drift from what the library builds: boxes are this library's constructs found in the
// construct tree, grouped by stack, each listing the AWS services its resources use; arrows are
// references between their resources in the synthesized templates (Ref, Fn::GetAtt, Fn::Sub, and
// cross-stack exports and imports). The references along a request's way (users to the site, the
// site to the service, the service to the database) are drawn as the request path.
import { CfnElement, Stack, Stage } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import * as lib from '../../src';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The construct classes this library exports. */
function libraryClasses(): Function[] {
  return Object.values(lib as unknown as Record<string, unknown>).filter(
    (v): v is Function => typeof v === 'function' && v.prototype instanceof Construct,
  );
}

/**
 * This library's outermost constructs under a scope (a construct inside another is not drawn), and
 * the given satellite scopes, which stand for the library construct that built them.
 */
function libraryConstructs(scope: IConstruct, classes: Function[], satellites: Map<IConstruct, IConstruct> = new Map()): IConstruct[] {
  const found: IConstruct[] = [];
  const visit = (c: IConstruct) => {
    if (satellites.has(c) || classes.some((k) => c instanceof k)) {
      found.push(c);
      return;
    }
    c.node.children.forEach(visit);
  };
  visit(scope);
  return found;
}

/** Every logical ID a template value refers to. */
function referencedIds(value: Json, into: Set<string>, imports: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedIds(v, into, imports));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') {into.add(v);} else if (k === 'Fn::GetAtt' && Array.isArray(v) && String(v[1]).startsWith('/cdk/exports/')) {imports.add(String(v[1]));} else if (k === 'Fn::GetAtt') {into.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);} else if (k === 'Fn::ImportValue' && typeof v === 'string') {imports.add(v);} else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? String(v[0]) : String(v);
        for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}/g)) into.add(m[1]);
        if (Array.isArray(v)) referencedIds(v[1], into, imports);
      } else {referencedIds(v, into, imports);}
    }
  } else if (typeof value === 'string') {
    // a parameter another stack writes into this region, read with a dynamic reference
    for (const m of value.matchAll(/\{\{resolve:ssm:([^}:]+)\}\}/g)) imports.add(m[1]);
  }
}

const mermaidId = (path: string) => path.replace(/[^A-Za-z0-9]/g, '_');

/** AWS services by CloudFormation type prefix, in the order a box lists them. */
const SERVICES: Array<[string, string]> = [
  ['AWS::CloudFront::', 'CloudFront'], ['AWS::WAFv2::', 'WAF'], ['AWS::S3::', 'S3'],
  ['AWS::ApiGatewayV2::', 'API Gateway'], ['AWS::ElasticLoadBalancingV2::', 'ALB'], ['AWS::ServiceDiscovery::', 'Cloud Map'],
  ['AWS::ECS::', 'ECS Fargate'], ['AWS::EKS::', 'EKS'], ['AWS::ECR::', 'ECR'], ['AWS::ElastiCache::', 'ElastiCache'], ['AWS::SQS::', 'SQS'],
  ['AWS::RDS::DBCluster', 'Aurora'], ['AWS::RDS::DBInstance', 'RDS'], ['AWS::SecretsManager::', 'Secrets Manager'],
  ['AWS::CodePipeline::', 'CodePipeline'], ['AWS::CodeBuild::', 'CodeBuild'], ['AWS::StepFunctions::', 'Step Functions'],
  ['AWS::Route53::', 'Route 53'], ['AWS::CloudWatch::', 'CloudWatch'], ['AWS::SNS::', 'SNS'], ['AWS::Budgets::', 'Budgets'],
  ['AWS::CloudTrail::', 'CloudTrail'], ['AWS::GuardDuty::', 'GuardDuty'], ['AWS::EC2::VPC', 'VPC'], ['AWS::Lambda::', 'Lambda'],
];

/** The AWS services a construct's resources use, at most five, most telling first. */
function servicesOf(scope: IConstruct): string[] {
  const types = new Set(scope.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c))
    .map((c) => (c as unknown as { cfnResourceType?: string }).cfnResourceType ?? ''));
  const found = SERVICES.filter(([prefix]) => [...types].some((t) => t.startsWith(prefix))).map(([, name]) => name);
  // Aurora's instances are RDS DB instances too: name the cluster's engine only.
  return [...new Set(found)].filter((n) => n !== 'RDS' || !found.includes('Aurora')).slice(0, 5);
}

/** Where a construct stands on a request's way: the site, then the service, then the database. */
const REQUEST_TIERS: Array<[string, number]> = [
  ['CostConsciousStaticSite', 0], ['ModularMonolithService', 1], ['ModularMonolithOnEks', 1], ['PostgresDatabase', 2],
];
const tierOf = (c: IConstruct) => REQUEST_TIERS.find(([name]) => c.constructor.name === name)?.[1];

/** A Mermaid flowchart of the app's library constructs and the references between them. */
export function mermaidDiagram(app: Stage, assembly: CloudAssembly): string {
  const classes = libraryClasses();
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  // owner of each resource path: the library construct whose path is its longest prefix
  const owners: IConstruct[] = [];
  const lines = ['flowchart LR'];
  // A library construct may build in another stack (PilotLightDr in the DR region): its public
  // children there name the scope it owns, so that scope is drawn as part of it.
  const satellites = new Map<IConstruct, IConstruct>();
  for (const c of libraryConstructs(app, classes)) {
    for (const value of Object.values(c)) {
      if (!value || typeof value !== 'object' || !Construct.isConstruct(value) || Stack.isStack(value)) continue;
      const other = Stack.of(value);
      if (other === Stack.of(c)) continue;
      let top: IConstruct = value;
      while (top.node.scope && top.node.scope !== other) top = top.node.scope;
      // a library construct of its own (the shared release artifacts) is drawn as itself
      if (classes.some((k) => top instanceof k)) continue;
      satellites.set(top, c);
    }
  }
  for (const stack of stacks) {
    let mine = libraryConstructs(stack, classes, satellites).filter((c) => Stack.of(c) === stack);
    if (mine.length === 0) {
      // a stack a library construct built elsewhere (the DR region): draw its own top-level scopes
      mine = stack.node.children.filter((c) => !CfnElement.isCfnElement(c) && !/^(Custom::|AWS[0-9a-f]{32}|Exports|CDK|BootstrapVersion)/.test(c.node.id)
        && c.node.findAll().some((d) => CfnElement.isCfnElement(d)));
    }
    if (mine.length === 0) continue;
    lines.push(`  subgraph ${mermaidId(stack.node.path)}["${stack.stackName} (${stack.region})"]`);
    for (const c of mine) {
      owners.push(c);
      const owner = satellites.get(c);
      const services = servicesOf(c).join(' · ');
      const label = owner ? `${owner.node.id}<br/><i>${owner.constructor.name}, ${stack.region} part</i>` : `${c.node.id}<br/><i>${c.constructor.name}</i>`;
      lines.push(`    ${mermaidId(c.node.path)}["${label}${services ? `<br/>${services}` : ''}"]`);
    }
    lines.push('  end');
  }
  const ownerOf = (path: string) =>
    owners.filter((o) => path === o.node.path || path.startsWith(`${o.node.path}/`)).sort((a, b) => b.node.path.length - a.node.path.length)[0];

  const exportsByName = new Map<string, string[]>(); // export name -> construct paths it exposes
  const pathsByStack = new Map<string, Map<string, string>>(); // stack -> logical id -> path
  for (const stack of stacks) {
    const template = assembly.getStackArtifact(stack.artifactId).template as {
      Resources?: Record<string, { Type: string; Properties?: { WriterProps?: { exports?: Record<string, Json> }; Create?: Json } }>;
      Outputs?: Record<string, { Value: Json; Export?: { Name: string } }>;
    };
    // logical id -> construct path, from the tree (templates carry paths only when the CLI asks)
    const paths = new Map<string, string>();
    for (const el of stack.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c))) {
      paths.set(stack.resolve(el.logicalId) as string, el.node.path);
    }
    pathsByStack.set(stack.artifactId, paths);
    // cross-region references: a writer custom resource in the producing stack, read in the consumer
    for (const r of Object.values(template.Resources ?? {})) {
      if (r.Type === 'Custom::RegionalParameter') {
        // the static site's writer of a parameter in another region: an SDK call whose JSON names it
        const ids = new Set<string>();
        referencedIds(r.Properties?.Create ?? {}, ids, new Set());
        const name = /"Name":"([^"]+)"/.exec(JSON.stringify(r.Properties?.Create ?? '').replace(/\\"/g, '"'))?.[1];
        if (name) exportsByName.set(name, [...ids].map((i) => paths.get(i) ?? ''));
      }
      if (r.Type !== 'Custom::CrossRegionExportWriter') continue;
      for (const [name, value] of Object.entries(r.Properties?.WriterProps?.exports ?? {})) {
        const ids = new Set<string>();
        referencedIds(value, ids, new Set());
        exportsByName.set(name, [...ids].map((i) => paths.get(i) ?? ''));
      }
    }
    for (const out of Object.values(template.Outputs ?? {})) {
      if (!out.Export) continue;
      const ids = new Set<string>();
      referencedIds(out.Value, ids, new Set());
      exportsByName.set(out.Export.Name, [...ids].map((i) => paths.get(i) ?? ''));
    }
  }
  const edges = new Set<string>();
  for (const stack of stacks) {
    const template = assembly.getStackArtifact(stack.artifactId).template as { Resources?: Record<string, { Properties?: Json }> };
    const paths = pathsByStack.get(stack.artifactId)!;
    for (const [logicalId, r] of Object.entries(template.Resources ?? {})) {
      const from = ownerOf(paths.get(logicalId) ?? '');
      if (!from) continue;
      const ids = new Set<string>();
      const imports = new Set<string>();
      referencedIds(r.Properties ?? {}, ids, imports);
      const targets = [...[...ids].map((i) => paths.get(i) ?? ''), ...[...imports].flatMap((n) => exportsByName.get(n) ?? [])];
      for (const t of targets) {
        const to = ownerOf(t);
        if (to && to !== from) edges.add(`${mermaidId(from.node.path)} ${mermaidId(to.node.path)}`);
      }
    }
  }
  // Users reach each site; a reference between the next tiers of a request's way is drawn as the
  // request path, from the caller to what it calls (the site to the service, the service to the
  // database), whichever of the two refers to the other.
  const byId = new Map(owners.map((o) => [mermaidId(o.node.path), o]));
  const sites = owners.filter((o) => tierOf(o) === 0);
  if (sites.length > 0) lines.push('  Users(("Users"))');
  for (const site of sites) lines.push(`  Users ==> ${mermaidId(site.node.path)}`);
  // Other arrows point from the construct that refers to the one it uses; mutual references get
  // one two-way arrow.
  const drawn = new Set<string>();
  for (const edge of [...edges].sort()) {
    const [a, b] = edge.split(' ');
    if (drawn.has(`${b} ${a}`) || drawn.has(edge)) continue;
    drawn.add(edge);
    const [ta, tb] = [tierOf(byId.get(a)!), tierOf(byId.get(b)!)];
    if (ta !== undefined && tb !== undefined && Math.abs(ta - tb) === 1) {
      lines.push(ta < tb ? `  ${a} ==> ${b}` : `  ${b} ==> ${a}`);
    } else {
      lines.push(edges.has(`${b} ${a}`) ? `  ${a} <-.-> ${b}` : `  ${a} -.-> ${b}`);
    }
  }
  lines.push(
    '  subgraph Legend["Legend"]',
    '    LegendA["construct<br/><i>its class</i><br/>AWS services"] ==>|request path| LegendB["construct"]',
    '    LegendC["construct"] -.->|uses, watches or replicates| LegendD["construct"]',
    '  end',
  );
  return lines.join('\n');
}
