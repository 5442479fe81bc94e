import { Annotations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { Profile } from '../../core/profile';
import { LeanStackValidationError } from '../../private/validate';
import { LogRetentionCheck } from '../observability-options';

/**
 * Finds the log groups of a watched construct (its own tree, plus any log group it names outside
 * it) that never expire, and fails, warns or applies the profile's retention. A plain inspection
 * at `monitorX()` time, not an aspect, so it never touches constructs the user did not pass.
 */
export function checkLogRetention(
  scope: IConstruct,
  watched: IConstruct,
  extra: Array<logs.ILogGroup | undefined>,
  mode: LogRetentionCheck,
  profile: Profile,
): void {
  const groups = new Set<logs.CfnLogGroup>();
  for (const c of watched.node.findAll()) {
    if (c instanceof logs.CfnLogGroup) groups.add(c);
  }
  for (const group of extra) {
    if (group instanceof logs.LogGroup && group.node.defaultChild instanceof logs.CfnLogGroup) groups.add(group.node.defaultChild);
  }
  const unbounded = [...groups].filter((g) => g.retentionInDays === undefined);
  if (unbounded.length === 0) return;
  const paths = unbounded.map((g) => g.node.path).join(', ');
  switch (mode) {
    case LogRetentionCheck.APPLY_PROFILE:
      for (const g of unbounded) g.retentionInDays = profile.logRetention;
      return;
    case LogRetentionCheck.WARN:
      Annotations.of(scope).addWarningV2('cdk-lean-stack:observability-log-retention',
        `log groups of ${watched.node.path} never expire (CloudWatch Logs bills storage forever): ${paths}`);
      return;
    default:
      throw new LeanStackValidationError(scope,
        `log groups of ${watched.node.path} never expire: ${paths}; give them a retention, or set \`logRetentionCheck\` to APPLY_PROFILE (profile '${profile.name}' keeps logs ${profile.logRetention} days) or WARN`);
  }
}
