import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { fixture } from './fakes';
import { StandbyService } from '../../src/dr';
import { expectCompliant } from '../helpers/compliance';

function drVpc(f: ReturnType<typeof fixture>): ec2.Vpc {
  return new ec2.Vpc(f.drStack, 'DrVpc', { natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
}

describe('StandbyService used alone', () => {
  test('the primary task shape at zero tasks, the replicated repository at the given tag', () => {
    // GIVEN
    const f = fixture();
    // WHEN
    const standby = new StandbyService(f.drStack, 'Standby', {
      primary: f.service,
      vpc: drVpc(f),
      database: { host: 'db.internal', port: 5432, databaseName: 'app' },
      imageTag: 'v1',
      environment: { MODE: 'dr' },
    });
    // THEN
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512',
      Memory: '1024',
      ContainerDefinitions: [Match.objectLike({
        Environment: Match.arrayWith([{ Name: 'MODE', Value: 'dr' }, { Name: 'PGHOST', Value: 'db.internal' }]),
        Image: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp(':v1$')])]) }),
      })],
    });
    expect(standby.imageTag).toBe('v1');
    expect(standby.repositoryName).toBeDefined();
  });

  test('a faithful copy: variables, secrets read from replicas, user, capabilities, read-only root, sidecars and dependencies', () => {
    // GIVEN a primary with settings, an app secret and a hardened sidecar it waits for
    const f = fixture();
    const app = f.service.taskDefinition.findContainer('app')!;
    app.addEnvironment('FEATURE_FLAGS', 'beta');
    const appKey = new secretsmanager.Secret(f.primary, 'AppKey');
    app.addSecret('APP_SECRET_KEY', ecs.Secret.fromSecretsManager(appKey));
    app.addSecret('DB_PASSWORD', ecs.Secret.fromSecretsManager(f.database.secret, 'password'));
    const linuxParameters = new ecs.LinuxParameters(f.primary, 'Linux', { initProcessEnabled: true });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    const sidecar = f.service.taskDefinition.addContainer('collector', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3'),
      essential: false,
      user: '1000',
      readonlyRootFilesystem: true,
      linuxParameters,
      memoryReservationMiB: 64,
      command: ['--config=/etc/ecs/ecs-xray.yaml'],
    });
    app.addContainerDependencies({ container: sidecar, condition: ecs.ContainerDependencyCondition.START });
    // WHEN
    new StandbyService(f.drStack, 'Standby', { primary: f.service, vpc: drVpc(f), database: { host: 'db.internal', port: 5432, databaseName: 'app' } });
    // THEN the DR task holds both containers as the primary does, reading secrets in eu-central-1
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'app',
          Environment: Match.arrayWith([{ Name: 'FEATURE_FLAGS', Value: 'beta' }, { Name: 'PGHOST', Value: 'db.internal' }]),
          Secrets: Match.arrayWith([
            Match.objectLike({ Name: 'APP_SECRET_KEY' }),
            Match.objectLike({ Name: 'DB_PASSWORD' }),
          ]),
          DependsOn: [{ Condition: 'START', ContainerName: 'collector' }],
        }),
        Match.objectLike({
          Name: 'collector',
          Image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3',
          Essential: false,
          User: '1000',
          ReadonlyRootFilesystem: true,
          LinuxParameters: { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true },
          MemoryReservation: 64,
          Command: ['--config=/etc/ecs/ecs-xray.yaml'],
        }),
      ],
    });
    type Container = { Name: string; Secrets: Array<{ Name: string; ValueFrom: unknown }> };
    const [definition] = Object.values(t.findResources('AWS::ECS::TaskDefinition')) as Array<{ Properties: { ContainerDefinitions: Container[] } }>;
    for (const secret of definition.Properties.ContainerDefinitions[0].Secrets) {
      expect(JSON.stringify(secret.ValueFrom)).toContain('secretsmanager:eu-central-1');
    }
    const p = Template.fromStack(f.primary);
    p.hasResourceProperties('AWS::SecretsManager::Secret', { ReplicaRegions: [{ Region: 'eu-central-1' }] });
    expect(Object.values(p.findResources('AWS::SecretsManager::Secret')).filter((r) => JSON.stringify(r).includes('eu-central-1'))).toHaveLength(2);
  });

  test('a primary on a read-only root keeps its writable /tmp in the standby: task-local volumes and mount points are copied', () => {
    // GIVEN a primary whose app writes only to a task-local /tmp (as the service does with readonlyRootFilesystem)
    const f = fixture();
    const app = f.service.taskDefinition.findContainer('app')!;
    f.service.taskDefinition.addVolume({ name: 'tmp' });
    app.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
    // WHEN
    new StandbyService(f.drStack, 'Standby', { primary: f.service, vpc: drVpc(f), database: { host: 'db.internal', port: 5432, databaseName: 'app' } });
    // THEN the copy can still write where the primary writes
    Template.fromStack(f.drStack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Volumes: [{ Name: 'tmp' }],
      ContainerDefinitions: [Match.objectLike({ Name: 'app', MountPoints: [{ SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false }] })],
    });
  });

  test('runs the image it is given', () => {
    const f = fixture({ withRepository: false });
    const standby = new StandbyService(f.drStack, 'Standby', {
      primary: f.service,
      vpc: drVpc(f),
      database: { host: 'db.internal', port: 5432, databaseName: 'app' },
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1'),
    });
    Template.fromStack(f.drStack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/nginx/nginx:1' })],
    });
    expect(standby.repositoryName).toBeUndefined();
    expectCompliant(standby);
  });

  test('refuses a primary without an ECR repository and no image', () => {
    const f = fixture({ withRepository: false });
    expect(() => new StandbyService(f.drStack, 'Standby', { primary: f.service, vpc: drVpc(f), database: { host: 'h', port: 5432, databaseName: 'app' } }))
      .toThrow('`image` is required when the primary service image does not come from an ECR repository, got: undefined');
  });
});
