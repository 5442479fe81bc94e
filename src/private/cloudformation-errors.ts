import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  CfnElement,
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/*
 * aws-cdk-lib 2.262 validates every synthesized template against CloudFormation's rules, then turns
 * the errors into warnings unless the app sets `@aws-cdk/core:validateAgainstDefaultRules` (so that
 * upgrading aws-cdk-lib breaks no app). A library cannot set that flag: context is the app's, and
 * the app already has children when a construct runs. So our constructs register a small plugin
 * that reports, as errors, the CloudFormation errors in resources under our constructs (typically a
 * user's escape-hatch override of one of our children): those fail synth, while errors in the
 * user's own resources stay warnings, as aws-cdk-lib decides.
 *
 * The plugin does not validate a second time (that would add seconds per template): it runs the
 * CloudFormation validator aws-cdk-lib uses, keeps the report, and hands aws-cdk-lib the same report
 * when it asks next, for the same templates. (Only when the user registered a validator of their own
 * on the app before our first construct does theirs run first, and the templates are validated twice.)
 */

/** The constructs of ours, whose resources' CloudFormation errors fail synth. */
const OWNED = new WeakSet<IConstruct>();
/** The apps (roots) that have the plugin already. */
const REGISTERED = new WeakSet<IConstruct>();
/** Where a validator keeps the reports it hands aws-cdk-lib next. */
const MEMO = Symbol.for('cdk-lean-stack.cloudFormationValidateMemo');

/** The CloudFormation rule ids as aws-cdk-lib's plugin names them (and acknowledgments use them). */
const RULE_PREFIX = `${CloudFormationValidatePlugin.PLUGIN_NAME}::`;

/**
 * Makes a CloudFormation validation error in a resource under `scope` a synth error. Called once
 * per construct of ours; registers the plugin once per app.
 */
export function failSynthOnCloudFormationErrors(scope: IConstruct): void {
  OWNED.add(scope);
  const root = scope.node.root;
  if (!Stage.isStage(root) || REGISTERED.has(root)) return;
  REGISTERED.add(root);
  Validations.of(root).addPlugins(new OwnCloudFormationErrors());
}

/** The plugin: CloudFormation errors of our resources, as errors. */
class OwnCloudFormationErrors implements IPolicyValidationPlugin {
  public readonly name = 'cdk-lean-stack';

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = context.appConstruct;
    // With the flag, aws-cdk-lib fails synth on every error itself: reporting them twice helps nobody.
    if (root.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules') === true) return { success: true, violations: [] };
    const validator = cloudFormationValidator(root);
    if (!validator) return { success: true, violations: [] };
    let report: PolicyValidationPluginReport;
    try {
      report = validateOnce(validator, context);
    } catch {
      // aws-cdk-lib reports the validator's own failure when it runs it next; ours would fail synth.
      return { success: true, violations: [] };
    }
    const violations: PolicyViolation[] = [];
    for (const violation of report.violations) {
      if (violation.severity !== 'error' && violation.severity !== 'fatal') continue;
      const ours = violation.violatingResources.filter((r) =>
        r.resourceLogicalId !== undefined && r.templatePath !== undefined && isOwned(root, r.templatePath, r.resourceLogicalId));
      if (ours.length === 0) continue;
      violations.push({ ...violation, ruleName: `${RULE_PREFIX}${violation.ruleName}`, severity: 'error', violatingResources: ours });
    }
    return { success: violations.length === 0, violations };
  }
}

/**
 * The CloudFormation validator aws-cdk-lib runs for this app: the one the user registered on the
 * app, else aws-cdk-lib's shared default. Undefined if a later aws-cdk-lib no longer offers it.
 */
function cloudFormationValidator(root: IConstruct): CloudFormationValidatePlugin | undefined {
  const registered = (root as unknown as { _validationPlugins?: IPolicyValidationPlugin[] })._validationPlugins ?? [];
  const own = registered.find((p): p is CloudFormationValidatePlugin => p instanceof CloudFormationValidatePlugin);
  if (own) return own;
  const shared = (CloudFormationValidatePlugin as unknown as { _singletonInstance?: () => CloudFormationValidatePlugin })._singletonInstance;
  return typeof shared === 'function' ? shared.call(CloudFormationValidatePlugin) : undefined;
}

type Validate = (context: IPolicyValidationContext) => PolicyValidationPluginReport;

/** The validator's own `validate`, and the reports it keeps for aws-cdk-lib's next call. */
interface Memo {
  readonly original: Validate;
  readonly kept: Map<string, PolicyValidationPluginReport>;
}

/**
 * Validates the context's templates once: the validator keeps the report, and its next call for
 * the same templates (aws-cdk-lib's own) returns a copy instead of validating again.
 */
function validateOnce(validator: CloudFormationValidatePlugin, context: IPolicyValidationContext): PolicyValidationPluginReport {
  const target = validator as unknown as { [MEMO]?: Memo; validate: Validate };
  if (!target[MEMO]) {
    const memo: Memo = { original: validator.validate.bind(validator), kept: new Map() };
    target[MEMO] = memo;
    target.validate = (c) => {
      const key = cacheKey(c);
      const kept = memo.kept.get(key);
      if (!kept) return memo.original(c);
      memo.kept.delete(key);
      return copy(kept);
    };
  }
  const memo = target[MEMO];
  const report = memo.original(context);
  memo.kept.set(cacheKey(context), copy(report));
  return report;
}

/** The templates (by content), account and region: what the validator's result depends on. */
function cacheKey(context: IPolicyValidationContext): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${context.accountId ?? ''}|${context.region ?? ''}`);
  for (const { templatePath } of context.stackTemplates) hash.update(`|${templatePath}|`).update(fs.readFileSync(templatePath));
  return hash.digest('hex');
}

function copy(report: PolicyValidationPluginReport): PolicyValidationPluginReport {
  return JSON.parse(JSON.stringify(report)) as PolicyValidationPluginReport;
}

/** True when the resource with this logical ID in this template sits under a construct of ours. */
function isOwned(root: IConstruct, templatePath: string, logicalId: string): boolean {
  const file = path.basename(templatePath);
  for (const construct of root.node.findAll()) {
    if (!CfnElement.isCfnElement(construct)) continue;
    const stack = construct.stack;
    if (stack.templateFile !== file || stack.resolve(construct.logicalId) !== logicalId) continue;
    return construct.node.scopes.some((s) => OWNED.has(s));
  }
  return false;
}
