import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What the runbook and the readiness check act on: the RDS read replica, or the Aurora secondary cluster. */
export interface ReplicaTarget {
  /** The replica instance's identifier, or the Aurora secondary cluster's. */
  readonly identifier: string;
  /** For Aurora: the global database the secondary leaves on failover. */
  readonly globalClusterIdentifier?: string;
}

/** The replica's ARN: `db:<id>` for an instance, `cluster:<id>` for an Aurora secondary. */
export function replicaArn(scope: IConstruct, target: ReplicaTarget): string {
  return Stack.of(scope).formatArn({
    service: 'rds', resource: target.globalClusterIdentifier ? 'cluster' : 'db', resourceName: target.identifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The identifier of the writer instance the runbook adds to an Aurora secondary on failover. */
export function auroraWriterIdentifier(target: ReplicaTarget): string {
  return `${target.identifier}-writer`;
}
