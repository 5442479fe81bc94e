// Draws the reference architecture as Mermaid from the synthesized app, so the README's diagram
// cannot drift from what the library builds: boxes are this library's constructs found in the
// construct tree, grouped by stack; arrows are references between their resources in the
// synthesized templates (Ref, Fn::GetAtt, Fn::Sub, and cross-stack exports and imports).
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
  }
}

const mermaidId = (path: string) => path.replace(/[^A-Za-z0-9]/g, '_');

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
      const label = owner ? `${owner.node.id}<br/><i>${owner.constructor.name}, ${stack.region} part</i>` : `${c.node.id}<br/><i>${c.constructor.name}</i>`;
      lines.push(`    ${mermaidId(c.node.path)}["${label}"]`);
    }
    lines.push('  end');
  }
  const ownerOf = (path: string) =>
    owners.filter((o) => path === o.node.path || path.startsWith(`${o.node.path}/`)).sort((a, b) => b.node.path.length - a.node.path.length)[0];

  const exportsByName = new Map<string, string[]>(); // export name -> construct paths it exposes
  const pathsByStack = new Map<string, Map<string, string>>(); // stack -> logical id -> path
  for (const stack of stacks) {
    const template = assembly.getStackArtifact(stack.artifactId).template as {
      Resources?: Record<string, { Type: string; Properties?: { WriterProps?: { exports?: Record<string, Json> } } }>;
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
  // an arrow points from the construct that refers to the one it uses; mutual references get one
  // two-way arrow (a database admits the service, the service reads the database's secret)
  const drawn = new Set<string>();
  for (const edge of [...edges].sort()) {
    const [a, b] = edge.split(' ');
    if (drawn.has(`${b} ${a}`) || drawn.has(edge)) continue;
    drawn.add(edge);
    lines.push(edges.has(`${b} ${a}`) ? `  ${a} <--> ${b}` : `  ${a} --> ${b}`);
  }
  return lines.join('\n');
}
