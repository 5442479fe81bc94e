import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PostgresEngineKind } from '../../src/core/contracts';
import { FrontDoorKind } from '../../src/service/front-door';
import { FakeDatabase, FakeService } from '../helpers/fakes';

export interface Fixture {
  readonly app: App;
  readonly primary: Stack;
  readonly drStack: Stack;
  readonly vpc: ec2.Vpc;
  readonly database: FakeDatabase;
  readonly service: FakeService;
  readonly bucket: s3.Bucket;
}

/** A primary stack in eu-west-1 with the fakes, and a DR stack in eu-central-1. */
export interface FixtureOptions {
  engineKind?: PostgresEngineKind;
  withRepository?: boolean;
  withAlb?: boolean;
  importedSecret?: boolean;
  url?: string;
  /** A real Aurora Serverless v2 cluster instead of an RDS instance. */
  aurora?: boolean;
}

export function fixture(options: FixtureOptions = {}): Fixture {
  const app = new App();
  const primary = new Stack(app, 'Primary', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
  const drStack = new Stack(app, 'Dr', { env: { account: '111111111111', region: 'eu-central-1' }, crossRegionReferences: true });
  const vpc = new ec2.Vpc(primary, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  // an RDS instance that reports the engine asked for (a refusal test asks for Aurora), unless `aurora` asks for a real cluster
  const database = new FakeDatabase(primary, 'Db', vpc, { backing: options.aurora ? 'aurora' : 'rds', engineKind: options.engineKind, importedSecret: options.importedSecret });
  // the primary's shape the standby copies: 0.5 vCPU, 1 GiB, two tasks, an ECR image unless told otherwise
  const service = new FakeService(primary, 'App', vpc, {
    withRepository: options.withRepository !== false,
    frontDoor: options.withAlb ? FrontDoorKind.PUBLIC_ALB : undefined,
    url: options.url,
    cpu: 512,
    memoryLimitMiB: 1024,
    desiredCount: 2,
  });
  const bucket = new s3.Bucket(primary, 'Uploads', { versioned: true });
  return { app, primary, drStack, vpc, database, service, bucket };
}

/** The fields of a runbook state that the tests read. */
export type RunbookState = {
  Type?: string;
  Next?: string;
  ResultPath?: string;
  QueryLanguage?: string;
  Output?: string;
  Default?: string;
  Resource?: string;
  Parameters?: { [key: string]: unknown };
  Choices?: Array<{ Next: string; Variable?: string }>;
  Catch?: Array<{ Next: string }>;
};

/** The runbook's definition in `drStack`, parsed from the synthesized DefinitionString (references read as TOKEN). */
export function runbookDefinition(drStack: Stack): { StartAt: string; States: { [name: string]: RunbookState } } {
  type StateMachine = { Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } } };
  const machine = Object.values(Template.fromStack(drStack).findResources('AWS::StepFunctions::StateMachine'))[0] as StateMachine;
  return JSON.parse(machine.Properties.DefinitionString['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
}
