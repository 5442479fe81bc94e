import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { INetwork, IPostgresDatabase } from '../../core/contracts';
import { LeanStackValidationError } from '../../private/validate';

/** The VPC the database lives in, when the database tells (RDS instance or Aurora cluster). */
function databaseVpc(db: IPostgresDatabase): ec2.IVpc | undefined {
  return db.instance?.vpc ?? db.cluster?.vpc;
}

/**
 * Refuses a database the build cannot reach: one in another VPC than the build's subnets (no
 * route between them without peering, which this library does not set up).
 */
export function checkDatabaseReachable(scope: IConstruct, network: INetwork, db: IPostgresDatabase): void {
  const dbVpc = databaseVpc(db);
  if (!dbVpc || dbVpc === network.vpc) return;
  const stack = Stack.of(scope);
  const a = JSON.stringify(stack.resolve(dbVpc.vpcId));
  const b = JSON.stringify(stack.resolve(network.vpc.vpcId));
  if (a === b) return;
  throw new LeanStackValidationError(scope,
    `\`database\` must be in the VPC of \`network\` so that the migration build can reach it, got: a database in VPC ${describeVpc(dbVpc)} ` +
    `while the build runs in VPC ${describeVpc(network.vpc)}`);
}

function describeVpc(vpc: ec2.IVpc): string {
  return Token.isUnresolved(vpc.vpcId) ? vpc.node.path : vpc.vpcId;
}

