/**
 * The key policy statement every key of ours carries (`restrictGrantsToAwsResources`): nobody
 * creates a grant unless it is for an AWS resource or an AWS service asks (AWS Control Tower
 * CT.KMS.PR.3). Tests match it whole, inside `Match.arrayWith([...])`.
 */
export const GRANTS_ONLY_FOR_AWS_RESOURCES = {
  Sid: 'DenyGrantsExceptForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};
