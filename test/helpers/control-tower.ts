import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { CONTROL_TOWER_EXCEPTIONS } from './control-tower-exceptions';

const PACKAGE = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));

/** AWS Control Tower's proactive controls, as the cfn-guard rules the package ships. */
export const CONTROL_TOWER_RULES = path.join(PACKAGE, 'rules', 'control-tower', 'cfn-guard');

/** The cfn-guard binary the package ships for this machine. */
export function cfnGuardBinary(): string {
  const platform = os.platform() === 'darwin' ? 'macos' : 'ubuntu';
  const arch = os.arch() === 'arm64' ? 'aarch64' : 'x86_64';
  return path.join(PACKAGE, 'bin', platform, arch, 'cfn-guard');
}

/** The controls one template fails: control id (`CT.S3.PR.9`) to the logical ids of the resources that fail it. */
export type ControlFailures = Map<string, string[]>;

/**
 * Runs every Control Tower proactive control over the given stacks' templates in ONE cfn-guard
 * process (its start-up and rule parsing dominate, so a run per stack or per test would be slow)
 * and returns the failed control ids per stack name. The stacks are synthesized once through
 * their stage.
 */
export function controlTowerFailures(stacks: Stack[]): Map<string, ControlFailures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
  const byFile = new Map<string, string>();
  for (const stack of stacks) {
    const assembly = Stage.of(stack)!.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template as unknown;
    const file = path.join(dir, `${stack.artifactId}.template.json`);
    fs.writeFileSync(file, JSON.stringify(template));
    byFile.set(path.basename(file), stack.stackName);
  }
  return runGuard(dir, byFile);
}

/** Runs cfn-guard over a directory of templates; `names` maps a template's file name to its stack name. */
export function runGuard(dir: string, names: Map<string, string>): Map<string, ControlFailures> {
  let output: string;
  try {
    output = execFileSync(cfnGuardBinary(), [
      'validate', '--rules', CONTROL_TOWER_RULES, '--data', dir,
      '--output-format', 'json', '--show-summary', 'none', '--structured',
    ], { encoding: 'utf-8', maxBuffer: 512 * 1024 * 1024 });
  } catch (e) {
    // cfn-guard exits 19 when a rule fails; the report is on stdout all the same.
    const failure = e as { status?: number; stdout?: string; stderr?: string };
    if (failure.status !== 19 || !failure.stdout) throw new Error(`cfn-guard failed (${failure.status}): ${failure.stderr}`);
    output = failure.stdout;
  }
  const results = new Map<string, ControlFailures>();
  for (const name of names.values()) results.set(name, new Map());
  for (const file of JSON.parse(output) as GuardFileResult[]) {
    const stackName = names.get(path.basename(file.name));
    if (!stackName) continue;
    const failures = results.get(stackName)!;
    for (const rule of file.not_compliant ?? []) {
      // The control id lives only in the rule's custom message (`[CT.S3.PR.9]: ...`); the
      // failing resources in the paths cfn-guard traversed (`/Resources/<LogicalId>/...`).
      const text = JSON.stringify(rule);
      const ids = new Set(text.match(/\[CT\.[A-Z0-9]+\.PR\.\d+\]/g) ?? []);
      const resources = [...new Set([...text.matchAll(/"path":"\/Resources\/([^/"]+)/g)].map((m) => m[1]))];
      for (const id of ids) {
        const control = id.slice(1, -1);
        failures.set(control, [...new Set([...(failures.get(control) ?? []), ...resources])].sort());
      }
    }
  }
  return results;
}

/** The failed controls of a stack that the compliance table does not document. */
export function undocumented(failures: ControlFailures): string[] {
  const documented = new Set(CONTROL_TOWER_EXCEPTIONS.map((e) => e.control));
  return [...failures.keys()].filter((id) => !documented.has(id)).sort();
}

/** Renders failures one control a line, for failure messages and counts. */
export function formatControls(failures: ControlFailures): string {
  return [...failures.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, resources]) => `${id}: ${resources.join(', ')}`).join('\n');
}

interface GuardFileResult {
  readonly name: string;
  readonly not_compliant?: unknown[];
}
