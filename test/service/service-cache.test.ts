import { Template, Match } from 'aws-cdk-lib/assertions';
import { IMAGE, propertiesOf, stackWithVpc, TaskDefinitionJson } from './fixtures';
import { CacheEngine, ModularMonolithService, Profile, ServiceCache, ServiceImage } from '../../src';
import { expectCompliant } from '../helpers/compliance';

describe('ServiceCache', () => {
  test('a Valkey serverless cache in isolated subnets, admitting only its peers', () => {
    // GIVEN
    const { stack, vpc } = stackWithVpc();
    // WHEN
    const cache = new ServiceCache(stack, 'Cache', { vpc });
    const template = Template.fromStack(stack);
    // THEN
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      Engine: 'valkey',
      MajorEngineVersion: '8',
      CacheUsageLimits: { DataStorage: { Maximum: 1, Unit: 'GB' }, ECPUPerSecond: { Maximum: 5000 } },
      SubnetIds: [{ Ref: Match.stringLikeRegexp('Vpcisolated') }, { Ref: Match.stringLikeRegexp('Vpcisolated') }],
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect(cache.engine).toBe(CacheEngine.VALKEY);
    expectCompliant(stack);
  });

  test('Redis with limits', () => {
    const { stack, vpc } = stackWithVpc();
    new ServiceCache(stack, 'Cache', { vpc, engine: CacheEngine.REDIS, maxDataStorageGb: 5, maxEcpuPerSecond: 10000 });
    Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      Engine: 'redis', MajorEngineVersion: '7', CacheUsageLimits: { DataStorage: { Maximum: 5, Unit: 'GB' }, ECPUPerSecond: { Maximum: 10000 } },
    });
  });

  test('rejects limits out of range', () => {
    const { stack, vpc } = stackWithVpc();
    expect(() => new ServiceCache(stack, 'Cache', { vpc, maxDataStorageGb: 0 })).toThrow('`maxDataStorageGb` must be an integer between 1 and 5000, got: 0');
    expect(() => new ServiceCache(stack, 'Cache2', { vpc, maxEcpuPerSecond: 999 })).toThrow('`maxEcpuPerSecond` must be an integer between 1000 and 15000000, got: 999');
    expect(() => new ServiceCache(stack, 'Cache3', { vpc, maxEcpuPerSecond: 15000001 })).toThrow('`maxEcpuPerSecond` must be an integer between 1000 and 15000000, got: 15000001');
  });

  test('attached to a service: connection details in the container, tasks admitted on 6379-6380', () => {
    const { stack, vpc } = stackWithVpc();
    const service = new ModularMonolithService(stack, 'Api', { vpc, image: ServiceImage.fromRegistry(IMAGE), cache: {}, profile: Profile.DEVELOPMENT });
    const template = Template.fromStack(stack);
    const [[, taskDefinition]] = propertiesOf<TaskDefinitionJson>(template, 'AWS::ECS::TaskDefinition');
    const names = taskDefinition.ContainerDefinitions[0].Environment!.map((e) => e.Name);
    expect(names).toEqual(expect.arrayContaining(['CACHE_HOST', 'CACHE_PORT', 'CACHE_TLS']));
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 6379,
      ToPort: 6380,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiSecurityGroup'), 'GroupId'] },
    });
    expect(service.cache).toBeDefined();
  });
});

describe('ServiceCache profiles', () => {
  test.each([
    ['cost-conscious-production', Profile.COST_CONSCIOUS_PRODUCTION, 7],
    ['highly-available-production', Profile.HIGHLY_AVAILABLE_PRODUCTION, 14],
  ])('%s keeps the cache (deletion policy Retain) with daily snapshots kept as long as its backups', (_name, profile, days) => {
    const policy = 'Retain';
    const { stack, vpc } = stackWithVpc();
    new ServiceCache(stack, 'Cache', { vpc, profile });
    Template.fromStack(stack).hasResource('AWS::ElastiCache::ServerlessCache', {
      DeletionPolicy: policy,
      UpdateReplacePolicy: policy,
      Properties: Match.objectLike({ SnapshotRetentionLimit: days }),
    });
    expectCompliant(stack);
  });

  test('development deletes the cache with the stack and takes no snapshot', () => {
    const { stack, vpc } = stackWithVpc();
    new ServiceCache(stack, 'Cache', { vpc, profile: Profile.DEVELOPMENT });
    Template.fromStack(stack).hasResource('AWS::ElastiCache::ServerlessCache', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ SnapshotRetentionLimit: Match.absent() }),
    });
  });
});
