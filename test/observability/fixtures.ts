import { App, Stack } from 'aws-cdk-lib';
import { FrontDoorKind } from '../../src/service/front-door';
import { ENV, FakeDatabase, FakeDatabaseBacking, FakeRunner, FakeService, FakeServiceOptions, FakeSite, plainVpc } from '../helpers/fakes';

/** An app with a stack for the watched constructs and one for monitoring. */
export function stacks(region = ENV.region): { app: App; workload: Stack; monitoring: Stack } {
  const app = new App();
  const env = { account: ENV.account, region };
  return { app, workload: new Stack(app, 'Workload', { env }), monitoring: new Stack(app, 'Monitoring', { env }) };
}

/** The workload: a VPC and one of each watched construct. */
export function workload(stack: Stack, options: FakeServiceOptions & { database?: FakeDatabaseBacking } = {}) {
  const vpc = plainVpc(stack, 'Vpc', false);
  return {
    vpc,
    service: new FakeService(stack, 'Api', vpc, { frontDoor: FrontDoorKind.HTTP_API_CLOUD_MAP, ...options }),
    database: new FakeDatabase(stack, 'Db', vpc, { backing: options.database ?? 'rds' }),
    site: new FakeSite(stack, 'Site'),
    runner: new FakeRunner(stack, 'Migrations'),
  };
}
