import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { fixture } from './fakes';
import { PostgresEngineKind } from '../../src/core/contracts';
import { Profile } from '../../src/core/profile';
import { IdleCostEstimate } from '../../src/cost';
import { AuroraGlobalReplica } from '../../src/dr';
import { expectCompliant } from '../helpers/compliance';

describe('AuroraGlobalReplica', () => {
  test('a global database from the primary cluster and a headless secondary cluster in the DR region', () => {
    // GIVEN an Aurora Serverless v2 primary in eu-west-1
    const f = fixture({ aurora: true });
    // WHEN
    const replica = new AuroraGlobalReplica(f.drStack, 'AuroraDr', { database: f.database });
    // THEN the global database lives with its writer
    Template.fromStack(f.primary).hasResourceProperties('AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: replica.globalClusterIdentifier,
      SourceDBClusterIdentifier: { Ref: f.primary.getLogicalId(f.database.cluster!.node.defaultChild as ec2.CfnVPC) },
      DeletionProtection: true,
    });
    // and the secondary joins it, encrypted with a DR key, with the writer's version and scaling, and no instance
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: replica.globalClusterIdentifier,
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [f.drStack.getLogicalId(replica.replicaKey.node.defaultChild as ec2.CfnVPC), 'Arn'] },
      DeletionProtection: true,
      Port: 5432,
    });
    t.resourceCountIs('AWS::RDS::DBInstance', 0);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(f.drStack.dependencies).toContain(f.primary);
    expect(replica.metricReplicationLag().metricName).toBe('AuroraGlobalDBReplicationLag');
    expectCompliant(f.drStack);
    expectCompliant(f.primary.node.findChild('AuroraDrGlobalClustereucentral1'));
  });

  test('idles at its key: no instance, storage and replicated I/O are usage', () => {
    const f = fixture({ aurora: true });
    new AuroraGlobalReplica(f.drStack, 'AuroraDr', { database: f.database });
    const estimate = IdleCostEstimate.ofStack(f.drStack);
    const rdsLines = estimate.items.filter((i) => i.resourceType.startsWith('AWS::RDS::'));
    expect(rdsLines.reduce((sum, i) => sum + i.monthlyUsd, 0)).toBe(0);
    expect(estimate.unknownResourceTypes).toEqual([]);
    const global = IdleCostEstimate.ofStack(f.primary).items.filter((i) => i.resourceType === 'AWS::RDS::GlobalCluster');
    expect(global.map((i) => [i.description, i.monthlyUsd])).toEqual([['Aurora global database', 0]]);
    expect(JSON.stringify(global)).toMatch(/replicated write I\/O/);
  });

  test('admits a client to the secondary port', () => {
    const f = fixture({ aurora: true });
    const replica = new AuroraGlobalReplica(f.drStack, 'AuroraDr', { database: f.database, profile: Profile.DEVELOPMENT });
    replica.allowFrom(new ec2.SecurityGroup(f.drStack, 'Client', { vpc: replica.network.vpc }));
    Template.fromStack(f.drStack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, Description: 'DR service to Aurora secondary' });
    expectCompliant(f.drStack);
  });

  test('refuses an RDS instance', () => {
    const f = fixture();
    expect(() => new AuroraGlobalReplica(f.drStack, 'AuroraDr', { database: f.database }))
      .toThrow("`database.engineKind` must be 'aurora-serverless-v2' (an RDS instance gets a cross-region read replica from `DrDataReplication`), got: 'rds'");
  });

  test('refuses an Aurora engine without a cluster of this app', () => {
    const f = fixture({ engineKind: PostgresEngineKind.AURORA_SERVERLESS_V2 });
    expect(() => new AuroraGlobalReplica(f.drStack, 'AuroraDr', { database: f.database }))
      .toThrow('`database.cluster` is required for an Aurora global database (an Aurora cluster of this app), got: undefined');
  });
});
