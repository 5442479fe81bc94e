import { App, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  CostConsciousStaticSite,
  Egress,
  FrontDoor,
  MigrationSource,
  MigrationTool,
  ModularMonolithService,
  Network,
  ObservabilityStack,
  PilotLightDr,
  PostgresDatabase,
  PostgresEngineKind,
  PrivateMigrationPipeline,
  Profile,
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

/** One environment of the seeds' system. */
export interface EnvironmentProps extends StackProps {
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
   * Run schema migrations from the private pipeline. It needs a way out of the VPC, so the
   * network gets a NAT instance (about 6.70 USD a month with its IPv4).
   */
  readonly migrations: boolean;
}

/**
 * The system the seed notes describe, for one environment: a SPA and its API on one domain, a
 * modular monolith with two modules on Fargate, PostgreSQL in isolated subnets, a private
 * migration pipeline, and observability with SLOs.
 */
export class ReferenceStack extends Stack {
  public readonly network: Network;
  public readonly database: PostgresDatabase;
  public readonly service: ModularMonolithService;
  public readonly site: CostConsciousStaticSite;
  public readonly migrations?: PrivateMigrationPipeline;
  public readonly observability: ObservabilityStack;

  constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const profile = props.profile;

    this.network = new Network(this, 'Network', {
      profile,
      // the migration build runs in the VPC and needs a way out; a NAT instance is the cheapest
      egress: props.migrations ? Egress.natInstance() : undefined,
    });

    this.database = new PostgresDatabase(this, 'Database', {
      network: this.network,
      profile,
      // development pauses to zero capacity when idle; production runs a db.t4g.micro
      engine: profile.production ? PostgresEngineKind.RDS : PostgresEngineKind.AURORA_SERVERLESS_V2,
    });

    // CI pushes the application image to this repository (created outside the app).
    const repository = ecr.Repository.fromRepositoryName(this, 'AppRepository', 'lean-app');
    const zone = props.siteDomain || props.apiDomain ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', HOSTED_ZONE) : undefined;
    const apiCertificate = props.apiDomain
      ? new acm.Certificate(this, 'ApiCertificate', { domainName: props.apiDomain, validation: acm.CertificateValidation.fromDns(zone) })
      : undefined;
    this.service = new ModularMonolithService(this, 'Service', {
      profile,
      network: this.network,
      database: this.database,
      image: ServiceImage.fromEcrRepository(repository, 'latest'),
      modules: [
        { name: 'orders', path: '/orders/*' },
        { name: 'billing', path: '/billing/*' },
      ],
      // Spot carries development (x86_64 only: Spot runs no ARM64); production stays on ARM64.
      spot: profile.spotAllowed,
      architecture: profile.spotAllowed ? ecs.CpuArchitecture.X86_64 : undefined,
      tracing: profile.production,
      frontDoor: props.apiDomain ? FrontDoor.httpApiCloudMap({ domain: { domainName: props.apiDomain, certificate: apiCertificate! } }) : undefined,
    });

    this.site = new CostConsciousStaticSite(this, 'Site', {
      profile,
      // the SPA calls /api/* on its own domain: no CORS. With `apiDomain` the origin is the failover
      // record's name, so /api/* follows DNS failover to the DR region for every method (a CloudFront
      // origin group would refuse POST, PUT, PATCH and DELETE)
      apiDomainName: props.apiDomain ?? Fn.select(2, Fn.split('/', this.service.url)),
      domainName: props.siteDomain,
      hostedZone: props.siteDomain ? zone : undefined,
      gitHubDeploy: { repository: 'my-org/my-spa', branches: [profile.production ? 'main' : 'dev'] },
    });

    if (props.migrations) {
      this.migrations = new PrivateMigrationPipeline(this, 'Migrations', {
        profile,
        network: this.network,
        database: this.database,
        tool: MigrationTool.liquibase(),
        source: MigrationSource.codeStarConnection({
          connectionArn: CODE_CONNECTION,
          owner: 'my-org',
          repo: 'app-migrations',
          branch: profile.production ? 'main' : 'dev',
        }),
        deploy: { service: this.service },
      });
    }

    this.observability = new ObservabilityStack(this, 'Observability', {
      profile,
      slo: profile.production ? { availabilityPercent: 99.9, latencyPercentile: 95 } : undefined,
      alarmEmails: ['oncall@example.com'],
      monthlyBudgetUsd: profile.production ? 100 : 25,
    })
      .monitorService(this.service)
      .monitorDatabase(this.database)
      .monitorSite(this.site);
    if (this.migrations) this.observability.monitorMigrations(this.migrations);
  }
}

/** The stacks of the reference app, by role. */
export interface ReferenceApp {
  readonly development: ReferenceStack;
  readonly production: ReferenceStack;
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
  const development = new ReferenceStack(app, 'LeanDev', { env, profile: Profile.DEVELOPMENT, migrations: false });
  const production = new ReferenceStack(app, 'LeanProd', {
    env,
    profile: Profile.COST_CONSCIOUS_PRODUCTION,
    siteDomain: 'app.example.com',
    apiDomain: API_DOMAIN,
    migrations: true,
  });
  const drStack = new Stack(app, 'LeanProdDr', { env: { account: PLACEHOLDER_ACCOUNT, region: DR_REGION }, crossRegionReferences: true });
  const disasterRecovery = new PilotLightDr(production, 'Dr', {
    profile: Profile.COST_CONSCIOUS_PRODUCTION,
    service: production.service,
    database: production.database,
    drStack,
    bucketsToReplicate: [production.site.bucket],
    // api.example.com: PRIMARY aliases the primary API's custom domain, SECONDARY the standby API's
    // (same name, a DNS-validated certificate in the DR region); the health check requests the
    // primary's own execute-api host on the service's health path
    failoverRouting: { hostedZone: route53.HostedZone.fromHostedZoneAttributes(drStack, 'Zone', HOSTED_ZONE), recordName: API_DOMAIN },
  });
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));
  return { development, production, disasterRecovery, stacks };
}
