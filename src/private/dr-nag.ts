import { IConstruct } from 'constructs';
import { acknowledge, NAG } from './nag';

/** The managed policy finding id for a Lambda's basic execution role. */
export const LAMBDA_BASIC_EXECUTION = NAG.lambdaBasicExecution[0];
/** The wildcard-resource finding id. */
export const WILDCARD_RESOURCE = NAG.wildcardResource[0];
/** HIPAA and NIST ids for an inline policy. */
export const INLINE_POLICY = [...NAG.inlinePolicy];

/** Acknowledges granular cdk-nag findings (`AwsSolutions-IAM5[Resource::*]`) at the resource. */
export function acknowledgeFindings(scope: IConstruct, ids: string[], reason: string): void {
  acknowledge(scope, { ids, reason });
}
