import { App, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  CostConsciousStaticSite,
  EdgeOnlyAccess,
  FrontDoor,
  GitHubReleaseRoles,
  MigrationProject,
  MigrationTool,
  ModularMonolithService,
  Network,
  ObservabilityStack,
  PilotLightDr,
  PostgresDatabase,
  PostgresEngineKind,
  Profile,
  ReleaseArtifacts,
  ReleaseEnvironment,
  ReleasePipeline,
  ReleaseSource,
  SecurityBaseline,
  ServiceImage,
} from '../../src';

/**
 * Placeholder account, regions and names: synth needs neither credentials nor lookups. Replace
 * them with your own to deploy.
 */
export const PLACEHOLDER_ACCOUNT = '111111111111';
export const PRIMARY_REGION = 'eu-west-1';
export const DR_REGION = 'eu-central-1';
const HOSTED_ZONE = { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' };
const API_DOMAIN = 'api.example.com';
const CODE_CONNECTION = `arn:aws:codeconnections:${PRIMARY_REGION}:${PLACEHOLDER_ACCOUNT}:connection/00000000-0000-0000-0000-000000000000`;

/**
 * The commit the environments run: `cdk deploy -c releaseTag=<commit>` (the first image, then the
 * commit the pipeline released last, so CloudFormation keeps the pipeline's image). Tags are
 * immutable in the release repository; no tag is ever moved.
 */
/**
 * Production as an organization that enforces AWS Control Tower's proactive controls runs it: the
 * cost-conscious profile plus the decisions those controls check that cost little when idle (logs
 * kept a year and encrypted with a key per stack, 1 USD a month; enhanced database monitoring and
 * Container Insights, billed by use). It stays single-AZ and without NAT: those are the
 * highly available profile's.
 */
export const PRODUCTION_PROFILE = Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({
  logRetention: logs.RetentionDays.ONE_YEAR,
  encryptLogs: true,
  enhancedMonitoring: true,
  containerInsights: true,
});

export const PLACEHOLDER_RELEASE = '3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';

/** One environment of the reference system. */
export interface EnvironmentProps extends StackProps {
  /** The environment's name: dev, uat or prod (also its pipeline stage). */
  readonly name: string;
  /** Where the release images and pipeline artifacts live (a shared stack). */
  readonly artifacts: ReleaseArtifacts;
  /** The commit whose image the service runs. */
  readonly releaseTag: string;
  /** The profile the whole environment runs. */
  readonly profile: Profile;
  /** The site's domain (a certificate is issued in us-east-1 from this stack's region). */
  readonly siteDomain?: string;
  /**
   * The API's domain: a custom domain on the HTTP API (a certificate is issued in this region).
   * With DR it is also the failover record's name, served by a custom domain of the same name in
   * each region.
   */
  readonly apiDomain?: string;
  /**
   * Whether this stack carries its account's `SecurityBaseline` (with the environment's
   * profile). Exactly one stack per account should: an account holds one GuardDuty detector per
   * region, and a second multi-region trail bills its management events. With an account per
   * environment, set it on every environment.
   */
  readonly securityBaseline?: boolean;
  /**
   * Whether the database is encrypted with a customer managed key of its own (1 USD a month;
   * AWS Control Tower's CT.RDS.PR.30). Chosen when the database is created: changing the key
   * later replaces the database.
   */
  readonly databaseKey?: boolean;
  /**
   * Whether the site's buckets are encrypted with a key of the site's own (1 USD a month; AWS
   * Control Tower's CT.S3.PR.10).
   */
  readonly siteKey?: boolean;
  /**
   * Whether the site's buckets have S3 Object Lock without a default retention (free; AWS Control
   * Tower's CT.S3.PR.9). It cannot be turned off, and turning it on later may replace the bucket; a
   * replica of a locked bucket needs Object Lock too, or S3 replication fails.
   */
  readonly siteObjectLock?: boolean;
}

/**
 * The reference system, for one environment: a SPA and its API on one domain, a
 * modular monolith with two modules on Fargate, PostgreSQL in isolated subnets, a private
 * migration pipeline, and observability with SLOs.
 */
export class ReferenceStack extends Stack {
  public readonly network: Network;
  public readonly database: PostgresDatabase;
  public readonly service: ModularMonolithService;
  public readonly site: CostConsciousStaticSite;
  public readonly migrations: MigrationProject;
  public readonly release: ReleaseEnvironment;
  public readonly observability: ObservabilityStack;
  /** The account's security baseline, when this stack carries it. */
  public readonly baseline?: SecurityBaseline;

  constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const profile = props.profile;

    this.network = new Network(this, 'Network', { profile });

    this.database = new PostgresDatabase(this, 'Database', {
      network: this.network,
      profile,
      // development pauses to zero capacity when idle; production runs a db.t4g.micro
      engine: profile.production ? PostgresEngineKind.RDS : PostgresEngineKind.AURORA_SERVERLESS_V2,
      // not the engine's default port (AWS Control Tower CT.RDS.PR.20); clients read it from the database
      port: 5433,
      customerManagedKey: props.databaseKey,
    });

    // The release pipeline pushes each commit's image to the shared repository under the commit id.
    const zone = props.siteDomain || props.apiDomain ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', HOSTED_ZONE) : undefined;
    const apiCertificate = props.apiDomain
      ? new acm.Certificate(this, 'ApiCertificate', { domainName: props.apiDomain, validation: acm.CertificateValidation.fromDns(zone) })
      : undefined;
    this.service = new ModularMonolithService(this, 'Service', {
      profile,
      network: this.network,
      database: this.database,
      image: ServiceImage.fromEcrRepository(props.artifacts.repository, props.releaseTag),
      healthCheckPath: '/health',
      modules: [
        { name: 'orders', path: '/orders/*' },
        { name: 'billing', path: '/billing/*' },
      ],
      // Spot carries development (x86_64 only: Spot runs no ARM64); production stays on ARM64.
      spot: profile.spotAllowed,
      architecture: profile.spotAllowed ? ecs.CpuArchitecture.X86_64 : undefined,
      tracing: profile.production,
      // the application writes only to /tmp (a task volume): a read-only root keeps a compromised
      // process from changing its own code (AWS Control Tower CT.ECS.PR.6)
      readonlyRootFilesystem: true,
      frontDoor: FrontDoor.httpApiCloudMap({
        domain: props.apiDomain ? { domainName: props.apiDomain, certificate: apiCertificate! } : undefined,
        // production and UAT: only the site's distribution reaches the API (no way around a site WAF), every route has an authorizer
        edgeOnly: profile.production ? EdgeOnlyAccess.stackSecret() : undefined,
      }),
    });

    this.site = new CostConsciousStaticSite(this, 'Site', {
      profile,
      // the SPA calls /api/* on its own domain: no CORS. With `apiDomain` the origin is the failover
      // record's name, so /api/* follows DNS failover to the DR region for every method (a CloudFront
      // origin group would refuse POST, PUT, PATCH and DELETE)
      apiDomainName: props.apiDomain ?? Fn.select(2, Fn.split('/', this.service.url)),
      domainName: props.siteDomain,
      hostedZone: props.siteDomain ? zone : undefined,
      customerManagedKey: props.siteKey,
      objectLock: props.siteObjectLock,
      // the header an edge-only API expects
      apiOriginHeaders: profile.production ? this.service.edgeHeaders : undefined,
    });

    this.migrations = new MigrationProject(this, 'Migrations', {
      profile,
      network: this.network,
      database: this.database,
      tool: MigrationTool.liquibase(),
    });
    this.observability = new ObservabilityStack(this, 'Observability', {
      profile,
      // With a site key, the alarm topic shares it instead of paying for a key of its own (1 USD a
      // month): both hold low-sensitivity data (the public site and its logs, alarm notifications)
      // for services that deliver on the stack's behalf. The database keeps a key of its own.
      topicKey: this.site.bucket.encryptionKey,
      slo: profile.production ? { availabilityPercent: 99.9, latencyPercentile: 95 } : undefined,
      alarmEmails: ['oncall@example.com'],
      monthlyBudgetUsd: profile.production ? 100 : 25,
    })
      .monitorService(this.service)
      .monitorDatabase(this.database)
      .monitorSite(this.site);
    this.observability.monitorMigrations(this.migrations);

    // What the release pipeline needs of this environment; the 5xx alarm that rolls a bad deploy back
    // (in production and UAT it also tells the signal topic, which pages nobody: the SLOs page).
    const signals = this.observability.signalTopic;
    this.release = new ReleaseEnvironment(this, 'Release', {
      name: props.name,
      artifacts: props.artifacts,
      service: this.service,
      migration: this.migrations,
      site: this.site,
      siteUrl: this.site.url,
      healthCheckPath: '/health',
      rollbackAlarmActions: profile.production && signals ? [new cwActions.SnsAction(signals)] : undefined,
    });

    if (props.securityBaseline) this.baseline = new SecurityBaseline(this, 'SecurityBaseline', { profile });
  }
}

/** The stacks of the reference app, by role. */
export interface ReferenceApp {
  /** The account's shared release stack: image repository and pipeline artifacts. */
  readonly shared: Stack;
  readonly development: ReferenceStack;
  /** UAT: a like-for-like copy of production that can be torn down. */
  readonly uat: ReferenceStack;
  readonly production: ReferenceStack;
  /** The release pipeline's stack: pipeline, GitHub Actions roles, outputs. */
  readonly releaseStack: Stack;
  readonly release: ReleasePipeline;
  readonly disasterRecovery: PilotLightDr;
  /** Every stack, including the us-east-1 companion and the DR stack. */
  readonly stacks: Stack[];
}

/** Builds the reference app: a development and a production environment, production with DR. */
export function buildReferenceApp(app: App): ReferenceApp {
  // The availability zones the VPCs would otherwise look up in the placeholder account: given
  // here, synth needs no credentials and gives the same templates everywhere.
  for (const region of [PRIMARY_REGION, DR_REGION]) {
    app.node.setContext(`availability-zones:account=${PLACEHOLDER_ACCOUNT}:region=${region}`, ['a', 'b', 'c'].map((z) => `${region}${z}`));
  }
  const env = { account: PLACEHOLDER_ACCOUNT, region: PRIMARY_REGION };
  const releaseTag = (app.node.tryGetContext('releaseTag') as string | undefined) ?? PLACEHOLDER_RELEASE;
  // The DR stack reads the repository's name across regions.
  const shared = new Stack(app, 'LeanShared', { env, crossRegionReferences: true });
  // A new app: Object Lock (no retention) on the artifact bucket from its first deploy, when it costs no replacement.
  const artifacts = new ReleaseArtifacts(shared, 'Artifacts', { objectLock: true });
  const common = { env, artifacts, releaseTag };
  const development = new ReferenceStack(app, 'LeanDev', { ...common, name: 'dev', profile: Profile.DEVELOPMENT });
  // UAT is production-like; only deletion protection is off, so a release can be rehearsed on a fresh copy.
  const uat = new ReferenceStack(app, 'LeanUat', { ...common, name: 'uat', profile: Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ deletionProtection: false }) });
  // The three environments share the placeholder account, so the production stack carries the
  // account's baseline with the production profile (locked, retained logs); with an account per
  // environment, each would carry its own with its profile.
  const production = new ReferenceStack(app, 'LeanProd', {
    ...common,
    name: 'prod',
    profile: PRODUCTION_PROFILE,
    securityBaseline: true,
    databaseKey: true,
    siteKey: true,
    siteObjectLock: true,
    siteDomain: 'app.example.com',
    apiDomain: API_DOMAIN,
  });

  const releaseStack = new Stack(app, 'LeanRelease', { env });
  const release = new ReleasePipeline(releaseStack, 'Release', {
    source: ReleaseSource.connection({ connectionArn: CODE_CONNECTION, repository: 'my-org/my-app', triggerOnPush: false }),
    artifacts,
    environments: [development.release, uat.release, production.release],
  });
  release.addOutputs();
  // GitHub Actions runs the tests, then starts the pipeline for the tested commit.
  new GitHubReleaseRoles(releaseStack, 'GitHub', {
    repository: 'my-org/my-app',
    branches: ['main'],
    imageRepository: artifacts.repository,
    site: development.site,
    pipeline: release.pipeline,
  }).addOutputs();
  const drStack = new Stack(app, 'LeanProdDr', { env: { account: PLACEHOLDER_ACCOUNT, region: DR_REGION }, crossRegionReferences: true });
  const disasterRecovery = new PilotLightDr(production, 'Dr', {
    profile: PRODUCTION_PROFILE,
    service: production.service,
    database: production.database,
    drStack,
    bucketsToReplicate: [production.site.bucket],
    imageTag: releaseTag,
    // api.example.com: PRIMARY aliases the primary API's custom domain, SECONDARY the standby API's
    // (same name, a DNS-validated certificate in the DR region); the health check requests the
    // primary's own execute-api host on the service's health path
    failoverRouting: { hostedZone: route53.HostedZone.fromHostedZoneAttributes(drStack, 'Zone', HOSTED_ZONE), recordName: API_DOMAIN },
  });
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));
  return { shared, development, uat, production, releaseStack, release, disasterRecovery, stacks };
}
