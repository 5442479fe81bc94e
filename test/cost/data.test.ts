import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as rds from 'aws-cdk-lib/aws-rds';
import { itemsOf, monthlyOf, newStack } from './helpers';
import { PriceList } from '../../src';

const micro = ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO);
const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });

function database(props: Partial<rds.DatabaseInstanceProps>) {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const db = new rds.DatabaseInstance(stack, 'Db', {
    engine, vpc, vpcSubnets: isolated, instanceType: micro, allocatedStorage: 20, storageType: rds.StorageType.GP3, ...props,
  });
  return { stack, vpc, db };
}

describe('RDS and Aurora pricing', () => {
  test('db.t4g.micro single-AZ with 20 GB gp3: 0.016 x 730 + 20 x 0.115 = 11.68 + 2.30', () => {
    // GIVEN / WHEN
    const { stack } = database({});
    // THEN
    const items = itemsOf(stack, 'AWS::RDS::DBInstance');
    expect(items.map((i) => i.monthlyUsd)).toEqual([expect.closeTo(11.68, 6), expect.closeTo(2.30, 6)]);
  });

  test('Enhanced Monitoring is listed as usage (log ingestion), adding nothing to the idle total', () => {
    // GIVEN / WHEN
    const { stack } = database({ monitoringInterval: Duration.seconds(60) });
    // THEN
    const items = itemsOf(stack, 'AWS::RDS::DBInstance');
    expect(items.map((i) => [i.description, i.monthlyUsd, i.usagePriced])).toEqual(expect.arrayContaining([['RDS Enhanced Monitoring', 0, true]]));
    expect(monthlyOf(stack, 'AWS::RDS::DBInstance')).toBeCloseTo(11.68 + 2.30, 6);
  });

  test('Multi-AZ doubles the instance and the storage: 23.36 + 4.60', () => {
    // GIVEN / WHEN
    const { stack } = database({ multiAz: true });
    // THEN
    expect(monthlyOf(stack, 'AWS::RDS::DBInstance')).toBeCloseTo(23.36 + 4.60, 6);
  });

  test('a read replica is priced like its source, storage inherited: 11.68 + 2.30', () => {
    // GIVEN
    const { stack, vpc, db } = database({});
    // WHEN
    new rds.DatabaseInstanceReadReplica(stack, 'Replica', { sourceDatabaseInstance: db, instanceType: micro, vpc, vpcSubnets: isolated, storageType: rds.StorageType.GP3 });
    // THEN
    const replica = itemsOf(stack, 'AWS::RDS::DBInstance').filter((i) => i.constructPath.startsWith('S/Replica'));
    expect(replica[0].description).toContain('read replica db.t4g.micro');
    expect(replica.reduce((s, i) => s + i.monthlyUsd, 0)).toBeCloseTo(13.98, 6);
  });

  test('an unknown class or storage type is listed as unpriced with the figure to supply', () => {
    // GIVEN / WHEN
    const { stack } = database({ instanceType: new ec2.InstanceType('m7g.large'), storageType: rds.StorageType.IO1, iops: 1000 });
    // THEN
    const items = itemsOf(stack, 'AWS::RDS::DBInstance');
    expect(items.every((i) => !i.priced && i.monthlyUsd === 0)).toBe(true);
    expect(items[0].note).toContain('supply `rdsInstanceHourly`');
    expect(items[1].note).toContain('supply `rdsStorageGbMonthly`');
  });

  test('supplied prices price what was unpriced', () => {
    // GIVEN
    const { stack } = database({ instanceType: new ec2.InstanceType('m7g.large'), storageType: rds.StorageType.IO1, iops: 1000 });
    const prices = PriceList.US_EAST_1_2026_11_21.withOverrides({
      rdsInstanceHourly: { 'postgres:db.m7g.large': 0.168 }, rdsStorageGbMonthly: { io1: 0.125 },
    });
    // WHEN / THEN
    expect(monthlyOf(stack, 'AWS::RDS::DBInstance', { prices })).toBeCloseTo(0.168 * 730 + 20 * 0.125, 6);
  });

  function aurora(minCapacity: number) {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    new rds.DatabaseCluster(stack, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc,
      vpcSubnets: isolated,
      writer: rds.ClusterInstance.serverlessV2('writer'),
      readers: [rds.ClusterInstance.serverlessV2('reader', { scaleWithWriter: true })],
      serverlessV2MinCapacity: minCapacity,
      serverlessV2MaxCapacity: 4,
    });
    return stack;
  }

  test('Aurora Serverless v2 at 0.5 ACU minimum: 0.5 x 0.12 x 730 = 43.80 per instance, storage as usage', () => {
    // GIVEN / WHEN
    const stack = aurora(0.5);
    // THEN
    expect(monthlyOf(stack, 'AWS::RDS::DBInstance')).toBeCloseTo(2 * 43.80, 6);
    const [cluster] = itemsOf(stack, 'AWS::RDS::DBCluster');
    expect(cluster.usagePriced).toBe(true);
  });

  test('Aurora Serverless v2 with auto-pause (0 ACU) costs nothing idle', () => {
    // GIVEN / WHEN
    const stack = aurora(0);
    // THEN
    const items = itemsOf(stack, 'AWS::RDS::DBInstance');
    expect(items.map((i) => i.monthlyUsd)).toEqual([0, 0]);
    expect(items[0].note).toContain('auto-pause');
  });
});

describe('ElastiCache pricing', () => {
  test('nodes not in the price list are unpriced; with a supplied price 2 x 0.016 x 730 = 23.36', () => {
    // GIVEN
    const stack = newStack();
    new elasticache.CfnReplicationGroup(stack, 'Cache', {
      replicationGroupDescription: 'cache', engine: 'valkey', cacheNodeType: 'cache.t4g.micro', numCacheClusters: 2,
    });
    // WHEN
    const [unpriced] = itemsOf(stack, 'AWS::ElastiCache::ReplicationGroup');
    const prices = PriceList.US_EAST_1_2026_11_21.withOverrides({ elastiCacheNodeHourly: { 'cache.t4g.micro': 0.016 } });
    // THEN
    expect(unpriced.priced).toBe(false);
    expect(unpriced.note).toContain('elastiCacheNodeHourly');
    expect(monthlyOf(stack, 'AWS::ElastiCache::ReplicationGroup', { prices })).toBeCloseTo(23.36, 6);
  });

  test('ElastiCache Serverless is unpriced (no minimum in the price list) until one is supplied', () => {
    // GIVEN
    const stack = newStack();
    new elasticache.CfnServerlessCache(stack, 'Cache', { engine: 'valkey', serverlessCacheName: 'c' });
    // WHEN
    const [item] = itemsOf(stack, 'AWS::ElastiCache::ServerlessCache');
    const prices = PriceList.US_EAST_1_2026_11_21.withOverrides({ elastiCacheServerlessMinimumMonthly: 6 });
    // THEN
    expect(item.priced).toBe(false);
    expect(item.note).toContain('minimum');
    expect(monthlyOf(stack, 'AWS::ElastiCache::ServerlessCache', { prices })).toBe(6);
  });
});
