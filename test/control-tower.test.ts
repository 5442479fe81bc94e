import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildReferenceApp } from '../examples/reference-app/app';
import {
  CostConsciousStaticSite, Egress, MigrationSource, MigrationTool, ModularMonolithService, Network,
  ObservabilityStack, OrganizationLayout, OrganizationUnit, PostgresDatabase, PrivateMigrationPipeline, Profile,
  SecurityBaseline, ServiceImage,
} from '../src';
import { ControlFailures, controlTowerFailures, formatControls, undocumented } from './helpers/control-tower';
import { CONTROL_TOWER_LIMITS } from './helpers/control-tower-exceptions';

const PROFILES = [Profile.DEVELOPMENT, Profile.COST_CONSCIOUS_PRODUCTION, Profile.HIGHLY_AVAILABLE_PRODUCTION];
const ENV = { account: '123456789012', region: 'eu-west-1' };

/** Each construct alone with its defaults (and the least it needs: a network, a database), per profile. */
function constructStacks(app: App, profile: Profile): Stack[] {
  const stack = (name: string) => new Stack(app, `${name}-${profile.name}`, { env: ENV });
  const site = stack('Site');
  new CostConsciousStaticSite(site, 'Site', { profile });

  const network = stack('Network');
  new Network(network, 'Network', { profile });

  const database = stack('Database');
  new PostgresDatabase(database, 'Database', { profile, network: new Network(database, 'Network', { profile }) });

  const service = stack('Service');
  const serviceNetwork = new Network(service, 'Network', { profile });
  new ModularMonolithService(service, 'Service', {
    profile,
    network: serviceNetwork,
    database: new PostgresDatabase(service, 'Database', { profile, network: serviceNetwork }),
    image: ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryName(service, 'Repo', 'app'), 'v1'),
  });

  const migrations = stack('Migrations');
  const migrationNetwork = new Network(migrations, 'Network', { profile, egress: Egress.natInstance() });
  new PrivateMigrationPipeline(migrations, 'Migrations', {
    profile,
    network: migrationNetwork,
    database: new PostgresDatabase(migrations, 'Database', { profile, network: migrationNetwork }),
    tool: MigrationTool.liquibase(),
    source: MigrationSource.s3({ bucket: s3.Bucket.fromBucketName(migrations, 'Source', 'my-migrations'), objectKey: 'migrations.zip' }),
  });

  const observability = stack('Observability');
  new ObservabilityStack(observability, 'Observability', { profile, alarmEmails: ['oncall@example.com'] });

  const baseline = stack('SecurityBaseline');
  new SecurityBaseline(baseline, 'Baseline', { profile });
  return [site, network, database, service, migrations, observability, baseline];
}

/** The organization layout has no profile: one stack with member accounts and the region allow-list. */
function organizationStack(app: App): Stack {
  const stack = new Stack(app, 'OrganizationLayout', { env: ENV });
  new OrganizationLayout(stack, 'Organization', {
    accounts: [{ name: 'production', email: 'aws-prod@example.com', unit: OrganizationUnit.PRODUCTION }],
    regionAllowList: { allowedRegions: [ENV.region] },
  });
  return stack;
}

describe('AWS Control Tower proactive controls', () => {
  const results = new Map<string, ControlFailures>();

  beforeAll(() => {
    const stacks: Stack[] = [];
    for (const profile of PROFILES) stacks.push(...constructStacks(new App(), profile));
    stacks.push(organizationStack(new App()));
    const reference = buildReferenceApp(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'reference-')) }));
    stacks.push(...reference.stacks);
    for (const [name, failures] of controlTowerFailures(stacks)) results.set(name, failures);
    if (process.env.CONTROL_TOWER_REPORT) {
      fs.writeFileSync(process.env.CONTROL_TOWER_REPORT, [...results].map(([n, f]) => `== ${n}: ${f.size}\n${formatControls(f)}`).join('\n'));
    }
  });

  test('every failed control is documented in the compliance table', () => {
    const problems = [...results].map(([name, failures]) => [name, undocumented(failures)] as const).filter(([, ids]) => ids.length > 0);
    expect(problems).toEqual([]);
  });

  test.each(Object.entries(CONTROL_TOWER_LIMITS))('%s fails at most its documented number of controls', (name, limit) => {
    expect(results.get(name)).toBeDefined();
    expect(results.get(name)!.size).toBeLessThanOrEqual(limit);
  });
});
