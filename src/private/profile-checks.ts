import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { LeanStackValidationError } from './validate';

/** The decisions of a profile that must agree with each other. */
export interface CheckedDecisions {
  readonly name: string;
  readonly production: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly backupRetention: Duration;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/**
 * Checks a profile's decisions against each other and reports the first that cannot hold. It takes
 * the decisions rather than the `Profile` class so that `Profile` itself can use it.
 */
export function checkProfileDecisions(scope: IConstruct, profile: CheckedDecisions): void {
  const fail = (msg: string) => {
    throw new LeanStackValidationError(scope, `profile '${profile.name}': ${msg}`);
  };
  if (profile.minTasks < 0 || !Number.isInteger(profile.minTasks)) fail(`\`minTasks\` must be a whole number of at least 0, got: ${profile.minTasks}`);
  if (profile.maxTasks < 1 || !Number.isInteger(profile.maxTasks)) fail(`\`maxTasks\` must be a whole number of at least 1, got: ${profile.maxTasks}`);
  if (profile.minTasks > profile.maxTasks) fail(`\`minTasks\` (${profile.minTasks}) must not be above \`maxTasks\` (${profile.maxTasks})`);
  if (profile.production && profile.removalPolicy === RemovalPolicy.DESTROY) {
    fail('`removalPolicy` must be RETAIN or SNAPSHOT when `production` is true, got: DESTROY');
  }
  if (profile.production && profile.backupRetention.toDays() < 7) {
    fail(`\`backupRetention\` must be at least 7 days when \`production\` is true, got: ${profile.backupRetention.toDays()} days`);
  }
}
