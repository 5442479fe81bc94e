import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkPattern, checkWholeSeconds, invalid } from '../../private/validate';

/** Who may deploy, as `GitHubDeployOptions` holds it (declared here so the role depends on its checks only). */
export interface GitHubDeployInput {
  readonly repository: string;
  readonly branches?: string[];
  readonly environments?: string[];
  readonly maxSessionDuration?: Duration;
}

/**
 * Checks who may deploy from GitHub. `prefix` is '' when the user gave the options to
 * `SiteDeployRole` and `gitHubDeploy.` when they came through the site's props, so that the
 * message names the prop the user wrote.
 */
export function checkGitHubDeploy(scope: IConstruct, options: GitHubDeployInput, prefix = ''): void {
  checkPattern(scope, `${prefix}repository`, options.repository, /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "'owner/name' of a GitHub repository");
  const branches = options.branches ?? ['main'];
  if (branches.length === 0 && (options.environments ?? []).length === 0) {
    invalid(scope, `${prefix}branches`, branches, 'at least one branch name (or give `environments`)');
  }
  // Git forbids these characters in branch names, so `*` can only mean a pattern, and `?` or `[`
  // (which IAM's StringLike would also read as a pattern) cannot be meant literally either.
  for (const branch of branches) {
    checkPattern(scope, `${prefix}branches`, branch, /^[^\s:?[\\~^]+$/, "git branch names or patterns with '*' (no spaces, ':', '?', '[', '\\', '~' or '^')");
  }
  // GitHub: at most 255 characters. The trust policy compares environments exactly, so no patterns.
  for (const env of options.environments ?? []) {
    checkPattern(scope, `${prefix}environments`, env, /^[^\s:*?]{1,255}$/, "GitHub environment names of at most 255 characters, without spaces, ':', '*' or '?'");
  }
  // IAM: a role session lasts 1 to 12 hours.
  checkWholeSeconds(scope, `${prefix}maxSessionDuration`, options.maxSessionDuration, { min: 3600, max: 43200 });
}
