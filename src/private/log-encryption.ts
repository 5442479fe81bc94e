import { AspectPriority, Aspects, IAspect, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { isProviderLogGroup } from './helper-logs';
import { allowLogsToUseKey, restrictGrantsToAwsResources } from './kms';
import { Profile } from '../core/profile';

/** The id of the one log key a stack gets, at the stack's root. */
const KEY_ID = 'LeanStackLogsKey';

/**
 * Encrypts every log group under `scope` (and the log groups we give aws-cdk-lib's helper
 * Lambdas in the same stack) with the stack's one customer managed key, when the profile asks
 * (`encryptLogs`). An aspect does it rather than each construct, so that a log group added later
 * (by a split module, a runbook, a new feature) cannot be forgotten; it touches only our
 * constructs' groups, never a user's own, and never a group that already names a key.
 */
export function encryptLogGroups(scope: IConstruct, profile: Profile): void {
  if (!profile.encryptLogs) return;
  const stack = Stack.of(scope);
  const aspect = LogEncryptionAspect.of(stack, profile);
  aspect.scopes.add(scope);
}

/**
 * Applies now what the aspect would apply at synth, in every stack under (or around) `scope`:
 * the stack's log key exists once a log group of ours needs it. `IdleCostEstimate` reads the
 * construct tree before synth (before aspects run) and calls this so it prices the key; the
 * aspect visits the same groups again at synth and finds them done.
 */
export function applyLogEncryption(scope: IConstruct): void {
  const stacks = new Set(scope.node.findAll().filter((c): c is Stack => Stack.isStack(c)));
  const enclosing = scope.node.scopes.find((c): c is Stack => Stack.isStack(c));
  if (enclosing) stacks.add(enclosing);
  for (const stack of stacks) {
    const aspect = LogEncryptionAspect.existing(stack);
    if (aspect) stack.node.findAll().forEach((node) => aspect.visit(node));
  }
}

class LogEncryptionAspect implements IAspect {
  /** The stack's aspect, if a construct in it encrypts its logs. */
  public static existing(stack: Stack): LogEncryptionAspect | undefined {
    return LogEncryptionAspect.byStack.get(stack);
  }

  /** The stack's aspect (and key), created on first use. */
  public static of(stack: Stack, profile: Profile): LogEncryptionAspect {
    const existing = LogEncryptionAspect.byStack.get(stack);
    if (existing) return existing;
    const aspect = new LogEncryptionAspect(stack, profile);
    LogEncryptionAspect.byStack.set(stack, aspect);
    Aspects.of(stack).add(aspect, { priority: AspectPriority.MUTATING });
    return aspect;
  }

  private static readonly byStack = new WeakMap<Stack, LogEncryptionAspect>();

  /** The constructs whose log groups are ours to encrypt. */
  public readonly scopes = new Set<IConstruct>();

  /** The key, made for the first log group that needs it: a stack whose groups all name a key pays for none. */
  private key?: kms.IKey;

  private constructor(private readonly stack: Stack, private readonly profile: Profile) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof logs.CfnLogGroup) || node.kmsKeyId !== undefined) return;
    const ours = node.node.scopes.some((s) => this.scopes.has(s)) || isProviderLogGroup(node.node.scope);
    if (ours) {
      this.key ??= logsKey(this.stack, this.profile);
      node.kmsKeyId = this.key.keyArn;
      // CloudWatch Logs checks the key when the group is created or associated: the key policy must exist first.
      node.node.addDependency(this.key);
    }
  }
}

/** A key CloudWatch Logs may use for this account's and region's log groups, and nothing else. */
function logsKey(stack: Stack, profile: Profile): kms.Key {
  const key = new kms.Key(stack, KEY_ID, {
    description: 'Encrypts the log groups cdk-lean-stack creates in this stack',
    enableKeyRotation: true,
    // Logs encrypted with a deleted key are unreadable: production keeps the key.
    removalPolicy: profile.storeRemovalPolicy,
  });
  allowLogsToUseKey(key);
  restrictGrantsToAwsResources(key);
  return key;
}
