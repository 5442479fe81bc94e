import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { Profile } from '../../src';

/**
 * Placeholder account and region: synth needs neither credentials nor lookups, and CloudFormation
 * validation runs the same for any region. Replace them with your own to deploy.
 */
export const PLACEHOLDER_ACCOUNT = '111111111111';
export const PRIMARY_REGION = 'eu-west-1';
export const DR_REGION = 'eu-central-1';

/** One environment of the seeds' system (development or production). */
export interface EnvironmentProps extends StackProps {
  readonly profile: Profile;
}

/** The system the seed notes describe, for one environment. It grows with each construct. */
export class ReferenceStack extends Stack {
  constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id, props);
    props.profile.validate(this);
    // Marks which profile this environment runs; free (SSM standard parameter).
    new ssm.StringParameter(this, 'Profile', {
      parameterName: `/cdk-lean-stack/${id}/profile`,
      stringValue: props.profile.name,
    });
  }
}

/** Builds the reference app: one stack per environment. */
export function buildReferenceApp(app: App): Stack[] {
  const env = { account: PLACEHOLDER_ACCOUNT, region: PRIMARY_REGION };
  return [
    new ReferenceStack(app, 'LeanDev', { env, profile: Profile.DEVELOPMENT }),
    new ReferenceStack(app, 'LeanProd', { env, profile: Profile.COST_CONSCIOUS_PRODUCTION }),
  ];
}
