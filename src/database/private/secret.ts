import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { apiReachableSubnetsOf } from './checks';
import { INetwork } from '../../core/contracts';
import { acknowledge, NAG } from '../../private/nag';

/** The database's credentials and where rotation may run. */
export interface SecretProtection {
  /** The credentials attached to the database. */
  readonly secret: secretsmanager.ISecret;
  /** The same credentials before attachment, where the trade-offs are acknowledged. */
  readonly generated: rds.DatabaseSecret;
  /** The database's connections, which admit the rotation function. */
  readonly connections: ec2.Connections;
  readonly network: INetwork;
  readonly subnets: ec2.SubnetSelection;
  readonly rotateAfter?: Duration;
  readonly customerKey: boolean;
}

/**
 * Rotates the credentials from a hosted function inside the VPC when asked, and otherwise
 * acknowledges why they are not rotated; acknowledges the AWS managed key when no key was given.
 */
export function protectSecret(scope: Construct, input: SecretProtection): void {
  if (input.rotateAfter) {
    const rotationSecurityGroup = new ec2.SecurityGroup(scope, 'RotationSecurityGroup', {
      vpc: input.network.vpc,
      description: 'Secret rotation: reaches Secrets Manager and the database',
    });
    input.connections.allowDefaultPortFrom(rotationSecurityGroup, 'Secret rotation');
    input.secret.addRotationSchedule('Rotation', {
      automaticallyAfter: input.rotateAfter,
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
        vpc: input.network.vpc,
        vpcSubnets: apiReachableSubnetsOf(input.network, input.subnets),
        securityGroups: [rotationSecurityGroup],
      }),
    });
  } else {
    acknowledge(input.generated, {
      ids: [...NAG.secretRotation],
      reason: 'Rotation is opt-in (`rotateSecretAfter`): it needs NAT or a billed Secrets Manager endpoint, and IAM database authentication is on for applications that should not hold a password.',
    });
  }
  if (!input.customerKey) {
    acknowledge(input.generated, {
      ids: [...NAG.secretKms],
      reason: 'The secret is encrypted with the AWS-managed Secrets Manager key; a customer key (`encryptionKey`) is a fixed monthly cost.',
    });
  }
}
