import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SNAPSHOT_SUFFIX, snapshotBuildSpec } from './buildspec';
import { acknowledgeNonGitSource } from './nag';
import { IPostgresDatabase } from '../../core/contracts';
import { allowLogsToUseKey } from '../../private/kms';
import { NAG, acknowledge } from '../../private/nag';
import { LeanStackValidationError } from '../../private/validate';

export interface SnapshotProjectProps {
  readonly database: IPostgresDatabase;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly encryptionKey?: kms.IKey;
}

/**
 * A small build that takes a manual snapshot of the database and waits for it. It runs outside
 * the VPC on CodeBuild's standard image (which has the AWS CLI): the RDS API is public, so the
 * build needs no `rds` endpoint and no NAT. Its role may only replace this database's one
 * snapshot named `<database>-pre-migration`.
 */
export class SnapshotProject extends Construct {
  public readonly project: codebuild.PipelineProject;

  constructor(scope: Construct, id: string, props: SnapshotProjectProps) {
    super(scope, id);
    const db = props.database;
    const stack = Stack.of(this);
    const kind = db.instance ? 'instance' : db.cluster ? 'cluster' : undefined;
    if (!kind) {
      throw new LeanStackValidationError(this,
        '`snapshotBeforeMigrate` needs a database that exposes its RDS `instance` or Aurora `cluster`, got: neither');
    }
    const identifier = db.instance ? db.instance.instanceIdentifier : db.cluster!.clusterIdentifier;
    const arn = (resource: string, name: string) =>
      stack.formatArn({ service: 'rds', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const snapshotArn = arn(kind === 'instance' ? 'snapshot' : 'cluster-snapshot', `${identifier}-${SNAPSHOT_SUFFIX}`);
    const databaseArn = arn(kind === 'instance' ? 'db' : 'cluster', identifier);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
    });
    if (props.encryptionKey) allowLogsToUseKey(props.encryptionKey);

    this.project = new codebuild.PipelineProject(this, 'Project', {
      description: 'Manual database snapshot before schema migrations',
      environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.SMALL },
      environmentVariables: {
        DB_IDENTIFIER: { value: identifier },
      },
      buildSpec: codebuild.BuildSpec.fromObject(snapshotBuildSpec(kind)),
      // The CLI waiter gives up after 30 minutes; a larger database needs a longer build.
      timeout: Duration.minutes(120),
      encryptionKey: props.encryptionKey,
      logging: { cloudWatch: { logGroup } },
    });
    // One fixed snapshot name: the role can name the exact ARNs, no wildcard.
    const actionsFor = kind === 'instance'
      ? { create: 'rds:CreateDBSnapshot', describe: 'rds:DescribeDBSnapshots', del: 'rds:DeleteDBSnapshot' }
      : { create: 'rds:CreateDBClusterSnapshot', describe: 'rds:DescribeDBClusterSnapshots', del: 'rds:DeleteDBClusterSnapshot' };
    this.project.addToRolePolicy(new iam.PolicyStatement({ actions: [actionsFor.create], resources: [databaseArn, snapshotArn] }));
    this.project.addToRolePolicy(new iam.PolicyStatement({
      // Tags are copied from the database when it has CopyTagsToSnapshot on.
      actions: [actionsFor.describe, actionsFor.del, 'rds:AddTagsToResource'],
      resources: [snapshotArn],
    }));
    acknowledgeNonGitSource(this.project);
    if (!props.encryptionKey) {
      acknowledge(this.project, {
        ids: ['AwsSolutions-CB4'],
        reason: 'The snapshot build has no artifacts and handles no data; the AWS managed key suffices.',
      });
      acknowledge(logGroup, {
        ids: [...NAG.logGroupKms],
        reason: 'The snapshot build logs only snapshot names; a customer managed key costs 1 USD a month.',
      });
    }
  }
}
