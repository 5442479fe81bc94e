import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The managed policy finding id for a Lambda's basic execution role. */
export const LAMBDA_BASIC_EXECUTION = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
/** The wildcard-resource finding id. */
export const WILDCARD_RESOURCE = 'AwsSolutions-IAM5[Resource::*]';
/** HIPAA and NIST ids for an inline policy. */
export const INLINE_POLICY = ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'];

/**
 * Acknowledges granular cdk-nag findings (`AwsSolutions-IAM5[Resource::*]`) at the resource.
 * `Validations.acknowledge` refuses ids that contain `::`, so the same metadata entry cdk-nag
 * reads is written directly.
 */
export function acknowledgeFindings(scope: IConstruct, ids: string[], reason: string): void {
  for (const id of ids) {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`Annotation::${id}`]: reason });
  }
}
