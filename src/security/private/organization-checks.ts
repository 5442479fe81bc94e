import { IConstruct } from 'constructs';
import { GLOBAL_SERVICE_ACTIONS, SCP_MAX_CHARACTERS, globalServicesNotExempt, minifiedScp } from './scp';
import { LeanStackValidationError, checkPattern, invalid, isUnresolved } from '../../private/validate';

/** The shape of a member account the checks need. */
interface AccountInput {
  readonly name: string;
  readonly email: string;
  readonly roleName?: string;
}

/** The shape of a region allow-list the checks need. */
interface RegionInput {
  readonly allowedRegions: string[];
  readonly globalServiceActions?: string[];
}

// AWS's own patterns for CreateAccount: Email is 6-64 characters of [^\s@]+@[^\s@]+\.[^\s@]+,
// AccountName is 1-50 printable ASCII characters.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACCOUNT_NAME = /^[\u0020-\u007E]{1,50}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** Rejects an email or account name AWS's CreateAccount would refuse, and duplicates. */
export function validateAccounts(scope: IConstruct, accounts: AccountInput[]): void {
  const emails = new Set<string>();
  const names = new Set<string>();
  accounts.forEach((account, i) => {
    const email = account.email;
    if (!isUnresolved(email) && (email.length < 6 || email.length > 64 || !EMAIL.test(email))) {
      invalid(scope, `accounts[${i}].email`, email, 'an email address of 6 to 64 characters, like name@example.com');
    }
    checkPattern(scope, `accounts[${i}].name`, account.name, ACCOUNT_NAME, '1 to 50 printable ASCII characters');
    checkPattern(scope, `accounts[${i}].roleName`, account.roleName, ROLE_NAME, 'an IAM role name of 1 to 64 characters from letters, digits and +=,.@_-');
    if (emails.has(email.toLowerCase())) invalid(scope, `accounts[${i}].email`, email, 'unique: every AWS account needs its own root email address');
    if (names.has(account.name)) invalid(scope, `accounts[${i}].name`, account.name, 'unique in `accounts`');
    emails.add(email.toLowerCase());
    names.add(account.name);
  });
}

/**
 * Rejects a region allow-list that would lock out this stack's own region, or the global
 * services that answer only in us-east-1.
 */
export function validateRegionAllowList(scope: IConstruct, list: RegionInput, stackRegion: string): void {
  const regions = list.allowedRegions;
  if (regions.length === 0) invalid(scope, 'regionAllowList.allowedRegions', regions, 'a non-empty list of regions');
  regions.forEach((r, i) => checkPattern(scope, `regionAllowList.allowedRegions[${i}]`, r, REGION, 'a region name such as eu-west-1'));
  if (!isUnresolved(stackRegion) && !regions.includes(stackRegion)) {
    invalid(scope, 'regionAllowList.allowedRegions', regions, `a list that includes this stack's region ${stackRegion}, or the stack's own deployments would be denied`);
  }
  const actions = list.globalServiceActions ?? [...GLOBAL_SERVICE_ACTIONS];
  const lockedOut = globalServicesNotExempt(actions);
  if (!regions.includes('us-east-1') && lockedOut.length > 0) {
    invalid(scope, 'regionAllowList.globalServiceActions', actions,
      `a list that keeps ${lockedOut.map((s) => `${s}:*`).join(', ')} (global services answer only in us-east-1), or \`allowedRegions\` must include us-east-1`);
  }
}

/**
 * AWS attaches at most 5 service control policies to a root, OU or account, and the
 * FullAWSAccess policy every organization starts with counts as one.
 */
export const SCPS_PER_TARGET = 5;

/**
 * Rejects service control policies AWS would refuse: a document that is not an SCP (no
 * statements, a `Principal`, a statement without an effect or an action), one over AWS's size
 * limit (measured as the minified JSON CloudFormation sends), or more policies than a root takes.
 */
export function validateScps(scope: IConstruct, documents: Array<{ name: string; content: unknown }>, builtIn: number): void {
  for (const d of documents) {
    checkScpGrammar(scope, d.name, d.content);
    const size = minifiedScp(d.content).length;
    if (size > SCP_MAX_CHARACTERS) {
      throw new LeanStackValidationError(scope,
        `service control policy '${d.name}' must be at most ${SCP_MAX_CHARACTERS} characters of minified JSON, got: ${size}; split it or use wildcards`);
    }
  }
  const attached = documents.length + 1;
  if (attached > SCPS_PER_TARGET) {
    invalid(scope, 'additionalPolicies', documents.slice(builtIn).map((d) => d.name),
      `at most ${SCPS_PER_TARGET - 1 - builtIn} policies here: AWS attaches at most ${SCPS_PER_TARGET} service control policies to the root, ` +
      `and FullAWSAccess and ${builtIn} built-in ones are there already (merge statements into fewer policies)`);
  }
}

/** The IAM grammar an SCP must follow, checked on the JSON CloudFormation will send. */
function checkScpGrammar(scope: IConstruct, name: string, content: unknown): void {
  const fail = (what: string, value: unknown): never => {
    throw new LeanStackValidationError(scope, `service control policy '${name}' ${what}, got: ${JSON.stringify(value) ?? 'nothing'}`);
  };
  const doc = content as { Version?: unknown; Statement?: unknown } | undefined;
  if (typeof doc !== 'object' || doc === null) return fail('must be a JSON policy document', doc);
  if (doc.Version !== '2012-10-17') fail("must have Version '2012-10-17'", doc.Version);
  const statements = doc.Statement;
  if (!Array.isArray(statements) || statements.length === 0) return fail('must have at least one statement', statements);
  statements.forEach((st: { [key: string]: unknown }, i: number) => {
    if (st.Principal !== undefined || st.NotPrincipal !== undefined) {
      fail(`statement ${i} must not name a principal (an SCP applies to every principal of the accounts it is attached to)`, st.Principal ?? st.NotPrincipal);
    }
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') fail(`statement ${i} must have Effect 'Allow' or 'Deny'`, st.Effect);
    if ((st.Action === undefined) === (st.NotAction === undefined)) fail(`statement ${i} must have exactly one of Action and NotAction`, Object.keys(st));
  });
}
