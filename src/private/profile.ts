import { IConstruct } from 'constructs';
import { failSynthOnCloudFormationErrors } from './cloudformation-errors';
import { encryptLogGroups } from './log-encryption';
import { checkProfileDecisions } from './profile-checks';
import { Profile } from '../core/profile';

/**
 * The profile a construct uses, the one given or else cost-conscious production, checked once
 * with the construct's scope so that a bad override names the construct it reached. When the
 * profile encrypts logs, the construct's log groups are encrypted with the stack's log key.
 */
export function resolveProfile(scope: IConstruct, profile?: Profile, options: { encryptsOwnLogs?: boolean } = {}): Profile {
  const resolved = profile ?? Profile.COST_CONSCIOUS_PRODUCTION;
  checkProfileDecisions(scope, resolved);
  // A construct that encrypts its log groups with a key of its own (the DR key) needs no stack log key.
  if (!options.encryptsOwnLogs) encryptLogGroups(scope, resolved);
  // Every construct with a profile resolves it here first: the one place to mark it as ours.
  failSynthOnCloudFormationErrors(scope);
  return resolved;
}
