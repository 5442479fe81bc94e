import { Names } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, NAG } from './nag';
import { Profile } from '../core/profile';

// Shared by the database and disaster-recovery families: both name RDS resources and create their
// log groups the same way, so a replica's logs look like its primary's.

/**
 * A fixed identifier, derived from the construct path, lower case as RDS stores it. It is set from
 * the first deployment on and never changes, which has two benefits: the log groups can be created
 * (with retention and removal policy) before RDS writes to them, without the LogRetention custom
 * resource; and CloudFormation refuses, rather than performs, any update that would replace the
 * database, since a custom-named resource cannot be replaced in place.
 */
export function identifierFor(scope: Construct, kind: string): string {
  const base = Names.uniqueResourceName(scope, { maxLength: 63 - kind.length - 1, separator: '-', allowedSpecialCharacters: '-' });
  return `${base}-${kind}`.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^[^a-z]+/, '');
}

/** Log groups for the exported logs, created before the database so that RDS writes into them. */
export function exportLogGroups(
  scope: Construct, database: Construct, id: string, prefix: string, exported: string[],
  input: { readonly logRetention: logs.RetentionDays; readonly profile: Profile },
): void {
  for (const log of exported) {
    const group = new logs.LogGroup(scope, `${id}${log.charAt(0).toUpperCase()}${log.slice(1)}`, {
      logGroupName: `${prefix}/${log}`,
      retention: input.logRetention,
      removalPolicy: input.profile.storeRemovalPolicy,
    });
    acknowledge(group, {
      ids: [...NAG.logGroupKms],
      reason: 'CloudWatch Logs encrypts PostgreSQL logs at rest with its own key; a customer KMS key would be a fixed monthly cost. Statements are logged by duration, not by value.',
    });
    database.node.addDependency(group);
  }
}

