import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import {
  CostConsciousStaticSite, Egress, MigrationProject, ModularMonolithService, Network, PostgresDatabase, Profile,
  ReleaseArtifacts, ReleaseEnvironment, ReleaseFlow, ReleasePipeline, ReleaseSource, ServiceImage,
} from '../../src';

export const ENV = { account: '111111111111', region: 'eu-west-1' };
export const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-0000-1111-2222-333344445555';
/** The commit the environments were first deployed with (an immutable tag). */
export const FIRST_RELEASE = '3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';

/** One environment stack: network, database, service, site, migration build, release wiring. */
export class EnvironmentStack extends Stack {
  public readonly service: ModularMonolithService;
  public readonly site: CostConsciousStaticSite;
  public readonly release: ReleaseEnvironment;

  constructor(scope: Construct, id: string, name: string, profile: Profile, artifacts: ReleaseArtifacts, architecture?: ecs.CpuArchitecture) {
    super(scope, id, { env: ENV });
    const network = new Network(this, 'Network', { profile, egress: Egress.natInstance() });
    const database = new PostgresDatabase(this, 'Database', { network, profile });
    this.service = new ModularMonolithService(this, 'Service', {
      profile,
      network,
      database,
      architecture,
      image: ServiceImage.fromEcrRepository(artifacts.repository, FIRST_RELEASE),
      healthCheckPath: '/health',
    });
    this.site = new CostConsciousStaticSite(this, 'Site', { profile });
    const migration = new MigrationProject(this, 'Migration', { network, database, profile });
    this.release = new ReleaseEnvironment(this, 'Release', {
      name,
      artifacts,
      service: this.service,
      site: this.site,
      siteUrl: this.site.url,
      migration,
      healthCheckPath: '/health',
      branch: name === 'prod' ? 'main' : name,
    });
  }
}

export interface ReleaseApp {
  readonly app: App;
  readonly shared: Stack;
  readonly artifacts: ReleaseArtifacts;
  readonly envs: EnvironmentStack[];
  readonly releaseStack: Stack;
  readonly pipeline: ReleasePipeline;
}

/** Shared stack -> dev, uat, prod -> release stack: the layout README recommends. */
export function releaseApp(options: { flow?: ReleaseFlow; devArchitecture?: ecs.CpuArchitecture } = {}): ReleaseApp {
  const app = new App();
  for (const region of [ENV.region]) {
    app.node.setContext(`availability-zones:account=${ENV.account}:region=${region}`, ['a', 'b', 'c'].map((z) => `${region}${z}`));
  }
  const shared = new Stack(app, 'Shared', { env: ENV });
  const artifacts = new ReleaseArtifacts(shared, 'Artifacts');
  const uatProfile = Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ deletionProtection: false });
  const envs = [
    new EnvironmentStack(app, 'Dev', 'dev', Profile.DEVELOPMENT, artifacts, options.devArchitecture ?? ecs.CpuArchitecture.ARM64),
    new EnvironmentStack(app, 'Uat', 'uat', uatProfile, artifacts),
    new EnvironmentStack(app, 'Prod', 'prod', Profile.COST_CONSCIOUS_PRODUCTION, artifacts),
  ];
  const releaseStack = new Stack(app, 'Release', { env: ENV });
  const pipeline = new ReleasePipeline(releaseStack, 'Release', {
    source: ReleaseSource.connection({ connectionArn: CONNECTION, repository: 'my-org/my-app' }),
    artifacts,
    environments: envs.map((e) => e.release),
    flow: options.flow,
  });
  return { app, shared, artifacts, envs, releaseStack, pipeline };
}
