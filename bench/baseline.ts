// The benchmark: the reference system built from aws-cdk-lib's defaults, priced by the same code as
// ours. The lead compares the reference app's profiles against this figure.
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IdleCostEstimate, IdleCostEstimateOptions } from '../src';

/** What `buildBaseline` returns. */
export interface Baseline {
  /** The stack holding the whole baseline system. */
  readonly stack: Stack;
  /** Its idle cost, estimated by `IdleCostEstimate`. */
  readonly estimate: IdleCostEstimate;
}

/** Options for `buildBaseline`. */
export interface BaselineOptions extends IdleCostEstimateOptions {
  /** The stack's id. Default: `Baseline`. */
  readonly id?: string;
  /** The stack's props (e.g. `env`). Default: environment-agnostic. */
  readonly stackProps?: StackProps;
}

/**
 * Builds, in `app`, the reference system from aws-cdk-lib's defaults and nothing else:
 * - `ApplicationLoadBalancedFargateService` with its default VPC (2 AZs, a NAT gateway per AZ),
 *   a public ALB and one x86_64 task of 0.25 vCPU / 0.5 GB;
 * - an RDS PostgreSQL `db.t4g.micro` in that VPC (default storage: 100 GB gp2; generated secret);
 * - a CodeBuild project in that VPC;
 * - an S3 bucket behind a CloudFront distribution (origin access control).
 * Then estimates it with `IdleCostEstimate.ofStack`.
 */
export function buildBaseline(app: App, options: BaselineOptions = {}): Baseline {
  const stack = new Stack(app, options.id ?? 'Baseline', options.stackProps);

  const service = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Service', {
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:stable') },
  });
  const vpc = service.cluster.vpc;

  const database = new rds.DatabaseInstance(stack, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    vpc,
  });
  database.connections.allowDefaultPortFrom(service.service);

  new codebuild.Project(stack, 'Migrations', {
    vpc,
    buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['echo migrate'] } } }),
  });

  const siteBucket = new s3.Bucket(stack, 'SiteBucket');
  new cloudfront.Distribution(stack, 'Site', {
    defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(siteBucket) },
    defaultRootObject: 'index.html',
  });

  return { stack, estimate: IdleCostEstimate.ofStack(stack, { prices: options.prices }) };
}
