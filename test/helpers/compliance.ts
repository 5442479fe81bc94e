import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** One finding: the rule, where, and what it says. */
export interface Finding {
  readonly source: string;
  readonly rule: string;
  readonly path: string;
  readonly description: string;
}

export interface ComplianceReport {
  /** cdk-nag findings not acknowledged at their resource (AwsSolutions, HIPAA Security, NIST 800-53 R5). */
  readonly nag: Finding[];
  /** Warnings and errors from aws-cdk-lib's built-in CloudFormation validation at synth. */
  readonly cloudFormation: Finding[];
}

/** The packs every construct must pass. A new instance per run: packs keep state between calls. */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()];
}

/** Runs the three cdk-nag packs over a scope and returns the findings nobody acknowledged. */
export function nagFindings(scope: IConstruct): Finding[] {
  const findings: Finding[] = [];
  for (const pack of nagPacks()) {
    for (const violation of pack.validateScope(scope).violations) {
      for (const resource of violation.violatingResources) {
        findings.push({
          source: pack.readPackName,
          rule: violation.ruleName,
          path: resource.constructPath ?? '(unknown)',
          description: violation.description,
        });
      }
    }
  }
  return findings;
}

/**
 * Synthesizes the stage that holds the scope and returns the built-in CloudFormation validation's
 * findings for the stacks under the scope (from the assembly's `validation-report.json`).
 */
export function cloudFormationFindings(scope: IConstruct): Finding[] {
  return cloudFormationFindingsOf([scope]).get(scope) ?? [];
}

/**
 * The same for several scopes of one stage, from a single synthesis: synthesizing an app once per
 * stack would pay for the whole app's synthesis and validation each time.
 */
export function cloudFormationFindingsOf(scopes: IConstruct[]): Map<IConstruct, Finding[]> {
  const result = new Map<IConstruct, Finding[]>(scopes.map((s) => [s, []]));
  if (scopes.length === 0) return result;
  const stage = Stage.of(scopes[0]);
  if (!stage) throw new Error(`${scopes[0].node.path} is not inside a Stage or App`);
  const assembly = stage.synth({ force: true });
  const reportFile = path.join(assembly.directory, 'validation-report.json');
  if (!fs.existsSync(reportFile)) return result;
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf-8')) as ValidationReport;
  for (const plugin of report.pluginReports ?? []) {
    for (const violation of plugin.violations ?? []) {
      for (const construct of violation.violatingConstructs ?? []) {
        const where = construct.constructPath ?? '';
        for (const scope of scopes) {
          const prefix = scope.node.path;
          if (prefix && where !== prefix && !where.startsWith(`${prefix}/`)) continue;
          result.get(scope)!.push({
            source: plugin.pluginName,
            rule: violation.ruleName,
            path: where,
            description: `${violation.severity}: ${violation.description}`,
          });
        }
      }
    }
  }
  return result;
}

/** Both kinds of findings for a stack (or any scope inside an App). */
export function complianceReport(scope: IConstruct): ComplianceReport {
  return { nag: nagFindings(scope), cloudFormation: cloudFormationFindings(scope) };
}

/** Both kinds of findings for each of several stacks of one app, synthesizing the app once. */
export function complianceReports<T extends IConstruct>(scopes: T[]): Map<T, ComplianceReport> {
  const cloudFormation = cloudFormationFindingsOf(scopes);
  return new Map(scopes.map((s) => [s, { nag: nagFindings(s), cloudFormation: cloudFormation.get(s) ?? [] }]));
}

/** Renders findings one per line, for failure messages and the reference app's summary. */
export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `  ${f.rule} at ${f.path}: ${f.description}`).join('\n');
}

/**
 * Fails (throws) when a stack has any unacknowledged cdk-nag finding in the AwsSolutions, HIPAA
 * Security or NIST 800-53 R5 packs, or any CloudFormation validation finding at synth.
 */
export function expectCompliant(scope: Stack | IConstruct): void {
  const report = complianceReport(scope);
  const problems: string[] = [];
  if (report.nag.length > 0) problems.push(`unacknowledged cdk-nag findings:\n${formatFindings(report.nag)}`);
  if (report.cloudFormation.length > 0) problems.push(`CloudFormation validation findings:\n${formatFindings(report.cloudFormation)}`);
  if (problems.length > 0) {
    throw new Error(`${scope.node.path} is not compliant:\n${problems.join('\n')}`);
  }
}

interface ValidationReport {
  readonly pluginReports?: Array<{
    readonly pluginName: string;
    readonly violations?: Array<{
      readonly ruleName: string;
      readonly description: string;
      readonly severity?: string;
      readonly violatingConstructs?: Array<{ readonly constructPath?: string }>;
    }>;
  }>;
}
