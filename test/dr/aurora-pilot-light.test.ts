import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { fixture, runbookDefinition } from './fakes';
import { Profile } from '../../src/core/profile';
import { PilotLightDr } from '../../src/dr';
import { expectCompliant } from '../helpers/compliance';

describe('PilotLightDr with an Aurora primary', () => {
  test('the standby reaches the secondary cluster, whose lag is the replica-lag alarm', () => {
    // GIVEN an Aurora Serverless v2 primary
    const f = fixture({ aurora: true });
    // WHEN
    const dr = new PilotLightDr(f.primary, 'Dr', { service: f.service, database: f.database, drStack: f.drStack });
    // THEN
    const t = Template.fromStack(f.drStack);
    t.resourceCountIs('AWS::RDS::DBInstance', 0);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, Description: 'DR service to replica', GroupId: { 'Fn::GetAtt': [f.drStack.getLogicalId(dr.data.aurora!.securityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        { Expression: 'lag / 1000', Id: 'expr_1' },
        { Id: 'lag', MetricStat: { Metric: { MetricName: 'AuroraGlobalDBReplicationLag', Namespace: 'AWS/RDS' } }, ReturnData: false },
      ],
      Threshold: 300,
    });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { REPLICA_KIND: 'aurora-cluster', REPLICA_ID: dr.data.aurora!.clusterIdentifier } } });
  });

  test('FAILOVER adds a Serverless v2 writer, waits, detaches the secondary from the global database, waits, then scales up', () => {
    const f = fixture({ aurora: true });
    const dr = new PilotLightDr(f.primary, 'Dr', { service: f.service, database: f.database, drStack: f.drStack });
    const s = runbookDefinition(f.drStack).States;
    const aurora = dr.data.aurora!;
    expect(s.DescribeReplica.Resource).toMatch(/rds:describeDBClusters$/);
    expect(s.PromoteReplica).toBeUndefined();
    expect(s.CreateAuroraWriter.Resource).toMatch(/rds:createDBInstance$/);
    expect(s.CreateAuroraWriter.Parameters).toEqual({
      DbClusterIdentifier: aurora.clusterIdentifier,
      DbInstanceIdentifier: `${aurora.clusterIdentifier}-writer`,
      DbInstanceClass: 'db.serverless',
      Engine: 'aurora-postgresql',
    });
    expect(s.CreateAuroraWriter.Next).toBe('WaitForAuroraWriter');
    expect(s.IsAuroraWriterAvailable.Type).toBe('Choice');
    expect(s.RemoveFromGlobalCluster.Resource).toMatch(/rds:removeFromGlobalCluster$/);
    expect(s.RemoveFromGlobalCluster.Parameters).toMatchObject({ GlobalClusterIdentifier: aurora.globalClusterIdentifier });
    expect(s.RemoveFromGlobalCluster.Next).toBe('WaitForDetach');
    expect(s.IsDetached.Type).toBe('Choice');
    expect(s.AuroraWriterTimedOut.Type).toBe('Fail');
    expect(s.DetachTimedOut.Type).toBe('Fail');
    // the runbook may do exactly that, on the secondary, its writer and the global database
    const policy = JSON.stringify(Template.fromStack(f.drStack).findResources('AWS::IAM::Policy'));
    expect(policy).toContain('rds:removeFromGlobalCluster');
    expect(policy).toContain(`:global-cluster:${aurora.globalClusterIdentifier}`);
    expect(policy).toContain(`:db:${aurora.clusterIdentifier}-writer`);
  });

  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly available production', Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ])('cdk-nag clean in both regions: %s', (_name, profile) => {
    const f = fixture({ aurora: true });
    new PilotLightDr(f.primary, 'Dr', { service: f.service, database: f.database, drStack: f.drStack, profile });
    expectCompliant(f.drStack);
    expectCompliant(f.primary.node.findChild('Dr'));
  });
});
