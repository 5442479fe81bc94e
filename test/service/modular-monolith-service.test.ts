import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ContainerDefinitionJson, IMAGE, propertiesOf, stackWithVpc, TaskDefinitionJson } from './fixtures';
import { Egress, FrontDoor, ModularMonolithService, ModularMonolithServiceProps, Profile, ServiceImage } from '../../src';
import { expectCompliant } from '../helpers/compliance';
import { FakeDatabase, FakeNetwork } from '../helpers/fakes';

function build(props: Partial<ModularMonolithServiceProps> = {}, options: { nat?: boolean } = {}) {
  const { stack, vpc } = stackWithVpc(options);
  const service = new ModularMonolithService(stack, 'Api', { vpc, image: ServiceImage.fromRegistry(IMAGE), ...props });
  return { stack, vpc, service, template: Template.fromStack(stack) };
}

function appContainer(template: Template): ContainerDefinitionJson {
  const [[, taskDefinition]] = propertiesOf<TaskDefinitionJson>(template, 'AWS::ECS::TaskDefinition');
  return taskDefinition.ContainerDefinitions.find((c) => c.Name === 'app')!;
}

describe('ModularMonolithService defaults', () => {
  test('one 0.25 vCPU / 0.5 GB ARM64 task, non-root, all capabilities dropped', () => {
    // GIVEN / WHEN
    const { template } = build();
    // THEN
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256',
      Memory: '512',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
    const container = appContainer(template);
    expect(container.User).toBe('1000:1000');
    expect(container.LinuxParameters).toEqual({ Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true });
    expect(container.StopTimeout).toBe(30);
    expect(container.Environment).toEqual([{ Name: 'PORT', Value: '8080' }]);
  });

  test('idle cost: no load balancer, no NAT, no secret; tasks in public subnets with a public IP', () => {
    // GIVEN / WHEN
    const { template } = build();
    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    template.resourceCountIs('AWS::ElastiCache::ServerlessCache', 0);
    template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 1);
    template.resourceCountIs('AWS::ECS::Service', 1);
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: [{ Ref: Match.stringLikeRegexp('Vpcpublic') }, { Ref: Match.stringLikeRegexp('Vpcpublic') }] } },
    });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] });
  });

  test('deployment circuit breaker with rollback, 100/200 percent, no grace period without a load balancer', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      }),
      HealthCheckGracePeriodSeconds: Match.absent(),
    });
  });

  test('autoscaling between the profile bounds on CPU 70% and memory 80% with cooldowns', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 4 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 70,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
        TargetValue: 80,
      }),
    });
  });

  test('log group retention and removal follow the profile', () => {
    const { template } = build({ profile: Profile.HIGHLY_AVAILABLE_PRODUCTION });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
    const dev = build({ profile: Profile.DEVELOPMENT }).template;
    dev.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Delete' });
  });

  test('Container Insights only in the highly available profile', () => {
    const { template } = build({ profile: Profile.HIGHLY_AVAILABLE_PRODUCTION });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
  });

  test('exposes the contract members', () => {
    const { service, stack } = build();
    expect(service.cluster).toBeDefined();
    expect(service.containerName).toBe('app');
    expect(service.httpApi).toBeDefined();
    expect(service.loadBalancer).toBeUndefined();
    expect(service.targetGroups).toEqual([]);
    expect(service.profile).toBe(Profile.COST_CONSCIOUS_PRODUCTION);
    expect(stack.resolve(service.url)).toEqual(stack.resolve(service.httpApi!.apiEndpoint));
    expect(service.connections.securityGroups).toHaveLength(1);
  });
});

describe('ModularMonolithService bring your own', () => {
  test('a network with NAT puts tasks in private subnets without a public IP', () => {
    const { stack, vpc } = stackWithVpc({ nat: true });
    const network = new FakeNetwork(stack, 'Net', { vpc, egress: Egress.natGateway() });
    new ModularMonolithService(stack, 'Api', { network, image: ServiceImage.fromRegistry(IMAGE) });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED', Subnets: [{ Ref: Match.stringLikeRegexp('Vpcprivate') }, { Ref: Match.stringLikeRegexp('Vpcprivate') }] }) },
    });
  });

  test('an existing cluster is used and no cluster is created', () => {
    const { stack, vpc } = stackWithVpc();
    const cluster = new ecs.Cluster(stack, 'Mine', { vpc });
    const service = new ModularMonolithService(stack, 'Api', { vpc, cluster, image: ServiceImage.fromRegistry(IMAGE) });
    expect(service.cluster).toBe(cluster);
    Template.fromStack(stack).resourceCountIs('AWS::ECS::Cluster', 1);
  });

  test('the database admits the tasks and its secret fields arrive as ECS secrets', () => {
    // GIVEN
    const { stack, vpc } = stackWithVpc();
    const database = new FakeDatabase(stack, 'Db', vpc);
    // WHEN
    new ModularMonolithService(stack, 'Api', { vpc, database, image: ServiceImage.fromRegistry(IMAGE) });
    const template = Template.fromStack(stack);
    // THEN
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiSecurityGroup'), 'GroupId'] },
    });
    const secrets = appContainer(template).Secrets;
    const byName = Object.fromEntries(secrets!.map((s) => [s.Name, JSON.stringify(s.ValueFrom)]));
    expect(Object.keys(byName).sort()).toEqual(['PGDATABASE', 'PGHOST', 'PGPASSWORD', 'PGPORT', 'PGUSER']);
    expect(byName.PGHOST).toContain(':host::');
    expect(byName.PGDATABASE).toContain(':dbname::');
    expect(byName.PGPASSWORD).toContain(':password::');
    expect(JSON.stringify(appContainer(template).Environment)).not.toContain('PG');
  });

  test('secrets and parameters are ECS secrets, and an app secret key is generated on request', () => {
    const { stack, vpc } = stackWithVpc();
    const token = secretsmanager.Secret.fromSecretNameV2(stack, 'Token', 'token');
    const param = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'Param', { parameterName: '/app/key' });
    const service = new ModularMonolithService(stack, 'Api', {
      vpc,
      image: ServiceImage.fromRegistry(IMAGE),
      secrets: { TOKEN: ecs.Secret.fromSecretsManager(token), KEY: ecs.Secret.fromSsmParameter(param) },
      appSecretKeyName: 'FLASK_SECRET_KEY',
    });
    const template = Template.fromStack(stack);
    const names = appContainer(template).Secrets!.map((s) => s.Name).sort();
    expect(names).toEqual(['FLASK_SECRET_KEY', 'KEY', 'TOKEN']);
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } });
    expect(service.appSecretKey).toBeDefined();
  });

  test('a secret-looking plain variable warns', () => {
    const { stack } = build({ environment: { DB_PASSWORD: 'x' } });
    Annotations.fromStack(stack).hasWarning('/S/Api', Match.stringLikeRegexp('environment.DB_PASSWORD. looks like a secret'));
  });
});

describe('ModularMonolithService options', () => {
  test('read-only root filesystem mounts a writable /tmp', () => {
    const { template } = build({ readonlyRootFilesystem: true });
    const container = appContainer(template);
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.MountPoints).toEqual([{ ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'tmp' }]);
  });

  test('tracing adds an ADOT collector exporting to X-Ray with X-Ray permissions', () => {
    const { template } = build({ tracing: true });
    const [[, taskDefinition]] = propertiesOf<TaskDefinitionJson>(template, 'AWS::ECS::TaskDefinition');
    const collector = taskDefinition.ContainerDefinitions.find((c) => c.Name === 'otel-collector')!;
    expect(collector.Image).toMatch(/aws-otel-collector:v/);
    expect(collector.Command).toEqual(['--config=/etc/ecs/ecs-xray.yaml']);
    expect(collector.Essential).toBe(false);
    const app = appContainer(template);
    expect(app.DependsOn).toEqual([{ Condition: 'START', ContainerName: 'otel-collector' }]);
    expect(app.Environment).toEqual(expect.arrayContaining([{ Name: 'OTEL_EXPORTER_OTLP_ENDPOINT', Value: 'http://localhost:4317' }]));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['xray:PutTraceSegments']), Resource: '*' })]) },
    });
  });

  test('ECS Exec on request', () => {
    const { template } = build({ enableExecuteCommand: true });
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
  });

  test('Spot in development runs x86_64 tasks on FARGATE_SPOT', () => {
    const { template } = build({ spot: true, profile: Profile.DEVELOPMENT });
    template.hasResourceProperties('AWS::ECS::Service', { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' } });
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: Match.arrayWith(['FARGATE_SPOT']) });
  });

  test('development runs on Spot by default (x86_64); ARM64 asked for, or a production profile, runs on demand', () => {
    const spotOf = (template: Template) => JSON.stringify(template.findResources('AWS::ECS::Service')).includes('FARGATE_SPOT');
    const dev = build({ profile: Profile.DEVELOPMENT }).template;
    expect(spotOf(dev)).toBe(true);
    dev.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: Match.objectLike({ CpuArchitecture: 'X86_64' }) });
    const devArm = build({ profile: Profile.DEVELOPMENT, architecture: ecs.CpuArchitecture.ARM64 }).template;
    expect(spotOf(devArm)).toBe(false);
    devArm.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: Match.objectLike({ CpuArchitecture: 'ARM64' }) });
    const prod = build({ profile: Profile.COST_CONSCIOUS_PRODUCTION }).template;
    expect(spotOf(prod)).toBe(false);
    prod.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: Match.objectLike({ CpuArchitecture: 'ARM64' }) });
  });

  test('explicit min and max tasks and targets', () => {
    const { template } = build({ minTasks: 2, maxTasks: 6, cpuTargetPercent: 60, cpu: 512, memoryLimitMiB: 2048 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 60 }),
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '2048' });
  });

  test('stop timeout and log retention overrides', () => {
    const { template } = build({ stopTimeout: Duration.seconds(90), logRetention: logs.RetentionDays.ONE_YEAR });
    expect(appContainer(template).StopTimeout).toBe(90);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});

describe('ModularMonolithService validation', () => {
  const cases: Array<[string, Partial<ModularMonolithServiceProps>, string]> = [
    ['a CPU Fargate refuses', { cpu: 300 }, '`cpu` must be one of 256, 512, 1024, 2048, 4096, 8192, 16384, got: 300'],
    ['a memory the CPU refuses', { cpu: 256, memoryLimitMiB: 4096 }, '`memoryLimitMiB` must be one of 512, 1024, 2048 when `cpu` is 256'],
    ['a memory off the steps', { cpu: 1024, memoryLimitMiB: 3000 }, '`memoryLimitMiB` must be between 2048 and 8192 in steps of 1024 when `cpu` is 1024'],
    ['minimum above maximum', { minTasks: 3, maxTasks: 2 }, '`minTasks` (3) must not be above `maxTasks` (2)'],
    ['Spot in production', { spot: true }, "`spot` must be false in profile 'cost-conscious-production'"],
    ['Spot on ARM64', { spot: true, profile: Profile.DEVELOPMENT, architecture: ecs.CpuArchitecture.ARM64 }, '`architecture` must be X86_64 when `spot` is true'],
    ['a stop timeout over 120 s', { stopTimeout: Duration.seconds(300) }, '`stopTimeout` must be an integer between 2 and 120, got: 300'],
    ['a variable both plain and secret', { environment: { A: '1' }, secrets: { A: ecs.Secret.fromSecretsManager({} as secretsmanager.ISecret) } }, '`environment.A` must be a name not also used in `secrets`'],
    ['ECS Exec with a read-only root', { enableExecuteCommand: true, readonlyRootFilesystem: true }, '`enableExecuteCommand` and `readonlyRootFilesystem` cannot both be set'],
    ['a CPU target out of range', { cpuTargetPercent: 99 }, '`cpuTargetPercent` must be a number between 10 and 95, got: 99'],
    ['a memory target out of range', { memoryTargetPercent: 5 }, '`memoryTargetPercent` must be a number between 10 and 95, got: 5'],
    ['no requests per target', { requestsPerTarget: 0 }, '`requestsPerTarget` must be an integer of at least 1, got: 0'],
    ['a port beyond 65535', { containerPort: 70000 }, '`containerPort` must be an integer between 1 and 65535, got: 70000'],
    ['a container name with a space', { containerName: 'my app' }, "`containerName` must be letters, digits, hyphens and underscores, got: 'my app'"],
    ['a secret key name that is no variable name', { appSecretKeyName: 'SECRET-KEY' }, '`appSecretKeyName` must be an environment variable name: a letter or "_", then letters, digits and "_" (at most 255 characters), got: \'SECRET-KEY\''],
    ['a secret key name also set as a plain variable', { appSecretKeyName: 'SECRET_KEY', environment: { SECRET_KEY: 'x' } }, "`appSecretKeyName` must be a name not also used in `environment` or `secrets`, got: 'SECRET_KEY'"],
    ['a user with a space', { user: 'app user' }, '`user` must be user, user:group, uid or uid:gid (names of letters, digits, "_", "." and "-", IDs as whole numbers), got: \'app user\''],
    ['a negative-looking uid', { user: '-1:1000' }, '`user` must be user, user:group, uid or uid:gid'],
    ['a grace period of a fraction of a second', { healthCheckGracePeriod: Duration.millis(1500) }, "`healthCheckGracePeriod` must be a whole number of seconds between 0 and 2147483647, got: '1.5 seconds'"],
    ['a grace period beyond what ECS accepts', { healthCheckGracePeriod: Duration.days(30000) }, "`healthCheckGracePeriod` must be a whole number of seconds between 0 and 2147483647, got: '2592000000 seconds'"],
    ['a health check path without its slash', { healthCheckPath: 'health' }, "`healthCheckPath` must be a path starting with '/', at most 1024 characters, without spaces, got: 'health'"],
    ['a health check path with a space', { healthCheckPath: '/health check' }, "`healthCheckPath` must be a path starting with '/', at most 1024 characters, without spaces, got: '/health check'"],
    ['a health check path longer than the ALB takes', { healthCheckPath: `/${'a'.repeat(1024)}` }, "`healthCheckPath` must be a path starting with '/', at most 1024 characters"],
    ['a cache ECPU ceiling below 1000', { cache: { maxEcpuPerSecond: 500 } }, '`cache.maxEcpuPerSecond` must be an integer between 1000 and 15000000, got: 500'],
    ['a cache storage ceiling above 5000 GB', { cache: { maxDataStorageGb: 6000 } }, '`cache.maxDataStorageGb` must be an integer between 1 and 5000, got: 6000'],
    ['a queue visibility timeout above 12 hours', { queue: { visibilityTimeout: Duration.hours(13) } }, "`queue.visibilityTimeout` must be a whole number of seconds between 0 and 43200, got: '46800 seconds'"],
    ['a queue receive count of 0', { queue: { maxReceiveCount: 0 } }, '`queue.maxReceiveCount` must be an integer between 1 and 1000, got: 0'],
  ];
  test.each(cases)('rejects %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('accepts every user form ECS documents', () => {
    for (const user of ['node', '1001', 'app:app', '1001:node', 'www-data:1001']) expect(appContainer(build({ user }).template).User).toBe(user);
  });

  test('rejects a missing network', () => {
    const stack = new Stack();
    expect(() => new ModularMonolithService(stack, 'Api', { image: ServiceImage.fromRegistry(IMAGE) })).toThrow('`network` is required (or `vpc`, or a `cluster` with its VPC)');
  });

  test('rejects both network and vpc', () => {
    const { stack, vpc } = stackWithVpc();
    const network = new FakeNetwork(stack, 'Net', { vpc, egress: Egress.none() });
    expect(() => new ModularMonolithService(stack, 'Api', { network, vpc, image: ServiceImage.fromRegistry(IMAGE) })).toThrow('`network` and `vpc` cannot both be set');
  });
});

describe('ModularMonolithService front door switch', () => {
  test('switching front door does not touch the database', () => {
    // GIVEN the same app with two front doors
    const databaseOf = (frontDoor: FrontDoor | undefined) => {
      const { stack, vpc } = stackWithVpc({ nat: true });
      const database = new FakeDatabase(stack, 'Db', vpc);
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
      new ModularMonolithService(stack, 'Api', { vpc, database, image: ServiceImage.fromRegistry(IMAGE), frontDoor: frontDoor ?? FrontDoor.publicAlb({ certificate }) });
      const resources = Template.fromStack(stack).toJSON().Resources;
      // The database's own resources and every rule that opens it.
      return Object.fromEntries(Object.entries<unknown>(resources).filter(([id, r]) => id.startsWith('Db') || JSON.stringify(r).includes('DbSecurityGroup')));
    };
    // WHEN / THEN
    const cloudMap = databaseOf(FrontDoor.httpApiCloudMap());
    expect(Object.keys(cloudMap).length).toBeGreaterThan(2);
    expect(databaseOf(FrontDoor.httpApiInternalAlb())).toEqual(cloudMap);
    expect(databaseOf(undefined)).toEqual(cloudMap);
  });
});

describe('ModularMonolithService compliance', () => {
  const profiles: Array<[string, Profile]> = [
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious-production', Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly-available-production', Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ];
  const doors = ['http-api-cloud-map', 'http-api-internal-alb', 'public-alb'];
  const matrix = profiles.flatMap(([name, profile]) => doors.map((door) => [name, door, profile] as [string, string, Profile]));
  test.each(matrix)('is cdk-nag and CloudFormation clean in %s with %s', (_name, door, profile) => {
    // GIVEN
    const { stack, vpc } = stackWithVpc({ nat: door === 'public-alb' });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    const frontDoor = door === 'public-alb' ? FrontDoor.publicAlb({ certificate })
      : door === 'http-api-internal-alb' ? FrontDoor.httpApiInternalAlb() : FrontDoor.httpApiCloudMap();
    // WHEN
    new ModularMonolithService(stack, 'Api', {
      vpc,
      profile,
      frontDoor,
      database: new FakeDatabase(stack, 'Db', vpc),
      image: ServiceImage.fromRegistry(IMAGE),
      modules: [{ name: 'orders', path: '/orders/*' }, { name: 'billing', path: '/billing/*' }],
      splitModules: [{ module: 'billing' }],
      tracing: true,
      enableExecuteCommand: true,
      appSecretKeyName: 'SECRET_KEY',
      queue: {},
      cache: {},
      spot: profile.spotAllowed,
    });
    // THEN
    expectCompliant(stack);
  });
});
