import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { Profile } from './profile';
import { Egress } from '../network/egress';

/**
 * What the service, the database and the migration pipeline need to know of a network.
 * `Network` implements it.
 */
export interface INetwork extends IConstruct {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** How private workloads reach the internet. */
  readonly egress: Egress;
  /**
   * The AWS services that have an interface endpoint in this VPC, by the short name
   * `ec2.InterfaceVpcEndpointAwsService` uses (e.g. `ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`).
   */
  readonly interfaceEndpointServices: string[];
}

/**
 * The engine behind a PostgreSQL database.
 */
export enum PostgresEngineKind {
  /** RDS for PostgreSQL, one instance (plus a standby when Multi-AZ). */
  RDS = 'rds',
  /** Aurora PostgreSQL Serverless v2. */
  AURORA_SERVERLESS_V2 = 'aurora-serverless-v2',
}

/**
 * What the service, the migration pipeline, observability and disaster recovery need to know of
 * a PostgreSQL database. `PostgresDatabase` implements it; so can a database of your own.
 */
export interface IPostgresDatabase extends IConstruct, ec2.IConnectable {
  /** The engine. */
  readonly engineKind: PostgresEngineKind;
  /**
   * The credentials secret, in the RDS JSON shape (`username`, `password`, `host`, `port`,
   * `dbname`, `engine`).
   */
  readonly secret: secretsmanager.ISecret;
  /** The writer endpoint's host name. */
  readonly endpointAddress: string;
  /** The port the database listens on. */
  readonly port: number;
  /** The name of the application database. */
  readonly databaseName: string;
  /** The RDS instance, when the engine is RDS. */
  readonly instance?: rds.DatabaseInstance;
  /** The Aurora cluster, when the engine is Aurora. */
  readonly cluster?: rds.DatabaseCluster;
  /** The profile the database was created with. */
  readonly profile: Profile;
  /**
   * The log group PostgreSQL's log is exported to, where statements slower than
   * `log_min_duration_statement` are logged as `duration:` lines. Observability alarms on them.
   */
  readonly postgresqlLogGroup?: logs.ILogGroup;
  /** Admits a peer to the database port. */
  allowFrom(peer: ec2.IConnectable, description?: string): void;
}

/**
 * What observability, migrations and disaster recovery need to know of a containerized service.
 * `ModularMonolithService` implements it.
 */
export interface IMonolithService extends IConstruct, ec2.IConnectable {
  /** The ECS cluster. */
  readonly cluster: ecs.ICluster;
  /** The main Fargate service (modules split into their own services are in `moduleServices`). */
  readonly service: ecs.FargateService;
  /** The main service's task definition. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The name of the application container in the task definition. */
  readonly containerName: string;
  /** The application's log group. */
  readonly logGroup: logs.ILogGroup;
  /** The HTTP API, for the HTTP API front doors. */
  readonly httpApi?: apigwv2.IHttpApi;
  /** The load balancer, for the ALB front doors. */
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;
  /** The target groups behind the load balancer, for the ALB front doors. */
  readonly targetGroups: elbv2.IApplicationTargetGroup[];
  /** The ECR repository the image comes from, when it comes from one. */
  readonly imageRepository?: ecr.IRepository;
  /** The public URL of the front door (`https://...`). */
  readonly url: string;
  /** The profile the service was created with. */
  readonly profile: Profile;
}

/**
 * What observability and disaster recovery need to know of a static site.
 * `CostConsciousStaticSite` implements it.
 */
export interface IStaticSite extends IConstruct {
  /** The bucket holding the site. */
  readonly bucket: s3.IBucket;
  /** The CloudFront distribution. */
  readonly distribution: cloudfront.IDistribution;
}

/**
 * What observability needs to know of a migration runner. `PrivateMigrationPipeline` implements it.
 */
export interface IMigrationRunner extends IConstruct {
  /** The CodeBuild project that runs migrations inside the VPC. */
  readonly project: codebuild.IProject;
}
