import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  CostConsciousStaticSite, MigrationSource, MigrationTool, ModularMonolithService, Network,
  ObservabilityStack, PostgresDatabase, PrivateMigrationPipeline, Profile, ServiceImage,
} from '../../src';

const app = new App();
environment('dev', Profile.DEVELOPMENT);
environment('prod', Profile.COST_CONSCIOUS_PRODUCTION);
app.synth();

function environment(name: string, profile: Profile) {
  const stack = new Stack(app, `Shop-${name}`, { env: { account: '123456789012', region: 'eu-west-1' } });
  const network = new Network(stack, 'Network', { profile });
  const database = new PostgresDatabase(stack, 'Database', { profile, network });
  const service = new ModularMonolithService(stack, 'Service', {
    profile,
    network,
    database,
    image: ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Images', 'shop'), 'v1.0.0'),
    modules: [{ name: 'orders', path: '/orders/*' }],
  });
  const site = new CostConsciousStaticSite(stack, 'Site', { profile, apiDomainName: service.apiDomainName });
  const migrations = new PrivateMigrationPipeline(stack, 'Migrations', {
    profile,
    network,
    database,
    tool: MigrationTool.liquibase(),
    source: MigrationSource.codeStarConnection({
      connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/00000000-0000-0000-0000-000000000000',
      owner: 'my-org',
      repo: 'shop-migrations',
      branch: name,
    }),
    deploy: { service },
  });
  new ObservabilityStack(stack, 'Observability', { profile, alarmEmails: ['oncall@example.com'] })
    .monitorService(service).monitorDatabase(database).monitorSite(site).monitorMigrations(migrations);
}
