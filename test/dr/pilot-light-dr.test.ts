import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { fixture, Fixture, runbookDefinition } from './fakes';
import { PostgresEngineKind } from '../../src/core/contracts';
import { Profile } from '../../src/core/profile';
import { IdleCostEstimate } from '../../src/cost';
import { FailoverTarget, PilotLightDr, PilotLightDrProps } from '../../src/dr';
import { CostConsciousStaticSite } from '../../src/static-site';
import { expectCompliant } from '../helpers/compliance';

function zone(f: Fixture): route53.IHostedZone {
  return (f.drStack.node.tryFindChild('Zone') as route53.IHostedZone | undefined)
    ?? route53.HostedZone.fromHostedZoneAttributes(f.drStack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
}

function build(f: Fixture, extra: Partial<PilotLightDrProps> = {}): PilotLightDr {
  return new PilotLightDr(f.primary, 'Dr', {
    service: f.service,
    database: f.database,
    drStack: f.drStack,
    bucketsToReplicate: [f.bucket],
    failoverRouting: { hostedZone: zone(f), recordName: 'app.example.com', secondaryTarget: FailoverTarget.fromDomainName('dr.example.com') },
    ...extra,
  });
}

describe('PilotLightDr', () => {
  test('data: an encrypted cross-region replica from the primary ARN with a DR key', () => {
    // GIVEN / WHEN
    const f = fixture();
    build(f);
    // THEN
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      SourceRegion: 'eu-west-1',
      Engine: 'postgres',
      SourceDBInstanceIdentifier: Match.anyValue(),
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ReplicaKey'), 'Arn'] },
      DBInstanceClass: 'db.t4g.micro',
      PubliclyAccessible: false,
      MultiAZ: false,
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('data: the replica logs into log groups created first, with the profile retention', () => {
    // GIVEN / WHEN
    const f = fixture();
    build(f, { profile: Profile.COST_CONSCIOUS_PRODUCTION });
    // THEN: RDS would otherwise create them itself, never expiring
    const t = Template.fromStack(f.drStack);
    const replica = Object.values(t.findResources('AWS::RDS::DBInstance'))[0] as { Properties: { DBInstanceIdentifier: string }; DependsOn: string[] };
    const id = replica.Properties.DBInstanceIdentifier;
    expect(id).toMatch(/-replica$/);
    for (const log of ['postgresql', 'upgrade']) {
      t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/rds/instance/${id}/${log}`, RetentionInDays: 30 });
    }
    expect(replica.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/ReplicaLogsPostgresql/), expect.stringMatching(/ReplicaLogsUpgrade/)]));
  });

  test('data: secret replicated to the DR region, ECR replicated, bucket replicated by rule', () => {
    const f = fixture();
    const dr = build(f);
    const p = Template.fromStack(f.primary);
    p.hasResourceProperties('AWS::SecretsManager::Secret', { ReplicaRegions: [{ Region: 'eu-central-1' }] });
    p.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'eu-central-1', RegistryId: '111111111111' }], RepositoryFilters: [Match.objectLike({ FilterType: 'PREFIX_MATCH' })] }] },
    });
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
    const rule = JSON.stringify(Object.values(t.findResources('Custom::AWS'))[0]);
    expect(rule).toContain('putBucketReplication');
    expect(rule).toContain('\\"region\\":\\"eu-west-1\\"');
    expect(dr.data.replicaBuckets).toHaveLength(1);
  });

  test('compute: the primary task shape at zero tasks in public subnets, no NAT, no load balancer', () => {
    const f = fixture();
    build(f);
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 0,
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512',
      Memory: '1024',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [Match.objectLike({
        Name: 'app',
        PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
        Image: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('eu-central-1')])]) }),
      })],
    });
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  });

  test('compute: the DR container gets the database as the primary service does (PG* variables)', () => {
    // GIVEN / WHEN
    const f = fixture();
    build(f);
    // THEN: the same image must run unchanged after failover
    type Named = Array<{ Name: string }>;
    type TaskDefinition = { Properties: { ContainerDefinitions: Array<{ Environment: Named; Secrets: Named }> } };
    const taskDefinitions = Template.fromStack(f.drStack).findResources('AWS::ECS::TaskDefinition');
    const definition = (Object.values(taskDefinitions)[0] as TaskDefinition).Properties.ContainerDefinitions[0];
    expect(definition.Environment.map((e) => e.Name)).toEqual(expect.arrayContaining(['PGHOST', 'PGPORT', 'PGDATABASE']));
    expect(definition.Secrets.map((e) => e.Name)).toEqual(expect.arrayContaining(['PGUSER', 'PGPASSWORD']));
  });

  test('routing: failover records with a health check; interval and threshold configurable', () => {
    const f = fixture();
    build(f, { healthCheckInterval: Duration.seconds(10), healthCheckFailureThreshold: 3, recoveryPointObjective: Duration.seconds(60) });
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', FullyQualifiedDomainName: 'api.example.com', RequestInterval: 10, FailureThreshold: 3 }),
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', Type: 'CNAME', ResourceRecords: ['api.example.com'], HealthCheckId: Match.anyValue() });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'SECONDARY', ResourceRecords: ['dr.example.com'] });
  });

  test('routing: Global Accelerator over the two load balancers', () => {
    const f = fixture({ withAlb: true });
    const drAlb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(f.drStack, 'DrAlb', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-central-1:111111111111:loadbalancer/app/dr/123', securityGroupId: 'sg-1',
    });
    build(f, { globalAccelerator: { drLoadBalancer: drAlb } });
    const t = Template.fromStack(f.drStack);
    t.resourceCountIs('AWS::GlobalAccelerator::Accelerator', 1);
    t.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', { EndpointGroupRegion: 'eu-west-1' });
    t.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', { EndpointGroupRegion: 'eu-central-1' });
  });

  test('runbook: failover steps in order, drill never promotes', () => {
    // GIVEN / WHEN
    const f = fixture();
    build(f);
    // THEN
    const def = runbookDefinition(f.drStack);
    const s = def.States;
    expect(def.StartAt).toBe('StartRunbook');
    expect(s.StartRunbook.Next).toBe('DescribeReplica');
    expect(s.DescribeReplica.Next).toBe('CheckMode');
    expect(s.CheckMode.Choices!.map((c) => c.Next)).toEqual(['DescribeStandbyBefore', 'PromoteReplica']);
    expect(s.CheckMode.Default).toBe('DescribeStandbyBefore');
    // failover: promote -> bounded wait -> promoted? -> detach secret -> scale up -> bounded wait -> measure -> notify
    expect(s.PromoteReplica.Resource).toContain('aws-sdk:rds:promoteReadReplica');
    expect(s.PromoteReplica.Next).toBe('WaitForPromotion');
    expect(s.WaitForPromotion.Next).toBe('CountPromotionWait');
    expect(s.CountPromotionWait.Next).toBe('DescribePromotedDatabase');
    expect(s.DescribePromotedDatabase.Next).toBe('IsPromoted');
    expect(s.IsPromoted.Choices!.map((c) => c.Next)).toEqual(['MarkPromoted', 'NotifyPromotionTimedOut']);
    expect(s.IsPromoted.Default).toBe('WaitForPromotion');
    expect(s.MarkPromoted.Next).toBe('StopSecretReplication');
    expect(s.StopSecretReplication.Resource).toContain('secretsmanager:stopReplicationToReplica');
    expect(s.StopSecretReplication.Next).toBe('ScaleUpDrService');
    expect(s.ScaleUpDrService.Parameters).toMatchObject({ DesiredCount: 2, ForceNewDeployment: true });
    expect(s.ScaleUpDrService.Next).toBe('WaitForDrTasks');
    expect(s.IsDrServiceHealthy.Choices!.map((c) => c.Next)).toEqual(['MarkServing', 'NotifyDrTasksTimedOut']);
    expect(s.NotifyFailover.Resource).toContain('sns:publish');
    // the drill never reaches the promotion
    const reachable = new Set<string>();
    const visit = (name: string | undefined) => {
      if (!name || reachable.has(name) || name === 'PromoteReplica') return;
      reachable.add(name);
      const st = s[name];
      [st.Next, st.Default, ...(st.Choices ?? []).map((c) => c.Next), ...(st.Catch ?? []).map((c) => c.Next)].forEach(visit);
    };
    visit('DescribeStandbyBefore');
    expect(reachable.has('NotifyDrill')).toBe(true);
    expect([...reachable].some((n) => s[n].Resource?.includes('promoteReadReplica'))).toBe(false);
  });

  test('runbook: every wait has its own bound, and reaching it notifies and fails', () => {
    const f = fixture();
    build(f);
    const s = runbookDefinition(f.drStack).States;
    const waits = Object.keys(s).filter((n) => s[n].Type === 'Wait');
    expect(waits.sort()).toEqual(['WaitForDrTasks', 'WaitForDrillStop', 'WaitForDrillTask', 'WaitForPromotion']);
    for (const wait of waits) {
      // every loop counts its rounds in its own counter
      const count = s[s[wait].Next!];
      expect(JSON.stringify(count.Parameters)).toMatch(/States\.MathAdd\(\$\.waits\.(promotion|start|stop), 1\)/);
    }
    // 30 minutes of promotion at 30 s a round; 10 minutes of tasks at 15 s a round
    expect(s.IsPromoted.Choices![1]).toMatchObject({ Variable: '$.waits.promotion', NumericGreaterThanEquals: 60 });
    expect(s.IsDrServiceHealthy.Choices![1]).toMatchObject({ Variable: '$.waits.start', NumericGreaterThanEquals: 40 });
    expect(s.IsDrillTaskRunning.Choices![1]).toMatchObject({ Variable: '$.waits.start', Next: 'DrillTaskTimedOut' });
    expect(s.IsStandbyRestored.Choices![1]).toMatchObject({ Variable: '$.waits.stop', Next: 'DrillStopTimedOut' });
    expect(s.NotifyPromotionTimedOut.Next).toBe('PromotionTimedOut');
    expect(s.PromotionTimedOut.Type).toBe('Fail');
    // every SDK call catches into a notification
    for (const [name, st] of Object.entries(s)) {
      if (st.Resource?.includes('aws-sdk')) expect([name, st.Catch?.[0]?.Next]).toEqual([name, expect.stringMatching(/^(NotifyFailure|RestoreStandby)$/)]);
    }
    expect(s.NotifyFailure.Next).toBe('RunbookFailed');
  });

  test('runbook: a drill leaves the standby as it found it, also when it fails or times out', () => {
    const f = fixture();
    build(f);
    const s = runbookDefinition(f.drStack).States;
    expect(s.DescribeStandbyBefore.ResultPath).toBe('$.before');
    expect(s.ScaleDrServiceToZero.Parameters).toMatchObject({ 'DesiredCount.$': '$.before.desired' });
    expect(s.RestoreStandby.Parameters).toMatchObject({ 'DesiredCount.$': '$.before.desired' });
    expect(s.RestoreStandby.Next).toBe('NotifyDrillFailure');
    expect(s.NotifyDrillFailure.Next).toBe('DrillFailed');
    for (const step of ['ScaleDrServiceToOne', 'DescribeDrillService', 'ScaleDrServiceToZero', 'DescribeStoppedService']) {
      expect(s[step].Catch![0].Next).toBe('RestoreStandby');
    }
    expect(s.DrillTaskTimedOut.Next).toBe('RestoreStandby');
    expect(s.DrillStopTimedOut.Next).toBe('RestoreStandby');
    expect(s.IsLagWithinObjective.Choices![0].Next).toBe('NotifyLagAboveObjective');
  });

  test('runbook: a drill records each step and the total as metrics and in its notification', () => {
    const f = fixture();
    build(f);
    const s = runbookDefinition(f.drStack).States;
    expect(s.MarkDrillTaskRunning.Parameters).toEqual({ 'at.$': '$$.State.EnteredTime' });
    expect(s.ComputeDrillDurations.QueryLanguage).toBe('JSONata');
    expect(s.ComputeDrillDurations.Output).toContain('ScaleUpSeconds');
    expect(s.ComputeDrillDurations.Output).toContain('$states.context.Execution.StartTime');
    expect(s.PublishDrillDurations.Resource).toContain('cloudwatch:putMetricData');
    const metrics = (s.PublishDrillDurations.Parameters as { MetricData: Array<{ 'MetricName': string; 'Value.$': string }> }).MetricData;
    expect(metrics.map((m) => m.MetricName)).toEqual(['ScaleUpSeconds', 'ScaleDownSeconds', 'TotalSeconds']);
    expect(metrics[2]['Value.$']).toBe('$.durations.TotalSeconds');
    expect(JSON.stringify(s.NotifyDrill.Parameters)).toContain('$.durations.TotalSeconds');
    expect((s.PublishFailoverDurations.Parameters as { MetricData: Array<{ MetricName: string }> }).MetricData.map((m) => m.MetricName))
      .toEqual(['PromotionSeconds', 'ScaleUpSeconds', 'TotalSeconds']);
  });

  test('runbook: an alarm fires on a failed or timed-out execution', () => {
    const f = fixture();
    const dr = build(f);
    Template.fromStack(f.drStack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'failed + timedOut' }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsFailed' }) }) }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut' }) }) }),
      ]),
      AlarmActions: [Match.anyValue()],
    });
    expect(dr.runbook.runbookFailureAlarm).toBeDefined();
  });

  test('readiness: scheduled Lambda, custom metric alarm and replica-lag alarm to SNS', () => {
    const f = fixture();
    const dr = build(f, { recoveryPointObjective: Duration.minutes(2) });
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Environment: { Variables: Match.objectLike({ RPO_SECONDS: '120', IMAGE_TAG: 'latest' }) } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'CdkLeanStack/PilotLightDr', MetricName: 'ReadinessFailures', AlarmActions: [Match.anyValue()] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReplicaLag', Threshold: 120, AlarmActions: [Match.anyValue()] });
    expect(dr.recoveryPointObjective.toSeconds()).toBe(120);
  });

  test('numbers: detection and recovery time from the settings; idle cost from IdleCostEstimate', () => {
    const f = fixture();
    const dr = build(f, { healthCheckInterval: Duration.seconds(10), healthCheckFailureThreshold: 3, recoveryPointObjective: Duration.seconds(60) });
    expect(dr.detectionTime.toSeconds()).toBe(30);
    expect(dr.promotionTime.toMinutes()).toBe(10);
    expect(dr.scaleUpTime.toMinutes()).toBe(2);
    // 30 s + 600 s + 120 s + 60 s TTL
    expect(dr.estimatedRecoveryTime.toSeconds()).toBe(810);
    const fixed = IdleCostEstimate.ofStack(dr.drStack).fixedItems.filter((i) => i.monthlyUsd > 0).map((i) => i.resourceType);
    expect(fixed).toEqual(expect.arrayContaining(['AWS::RDS::DBInstance', 'AWS::KMS::Key', 'AWS::Route53::HealthCheck']));
    expect(fixed).not.toEqual(expect.arrayContaining(['AWS::EC2::NatGateway']));
  });

  test('creates the DR stack when given only a region', () => {
    const f = fixture();
    const dr = new PilotLightDr(f.primary, 'Dr', { service: f.service, database: f.database, drRegion: 'eu-central-1' });
    expect(dr.drStack.region).toBe('eu-central-1');
    expect(dr.drStack.stackName).toBe('Primary-dr');
    expect(dr.drStack.node.id).toBe('Primary-dr');
    Template.fromStack(dr.drStack).resourceCountIs('AWS::RDS::DBInstance', 1);
  });

  test('every DR log group is encrypted with the DR key, which lets CloudWatch Logs of this account use it', () => {
    // GIVEN / WHEN
    const f = fixture();
    const dr = build(f);
    // THEN
    const t = Template.fromStack(f.drStack);
    const keyArn = { 'Fn::GetAtt': [f.drStack.getLogicalId(dr.data.replicaKey.node.defaultChild as kms.CfnKey), 'Arn'] };
    const groups = Object.values(t.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(3);
    expect(groups.map((g) => g.Properties.KmsKeyId)).toEqual(groups.map(() => keyArn));
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchLogsOfThisAccount', Principal: { Service: 'logs.eu-central-1.amazonaws.com' } })]),
      }),
    });
  });

  describe('rejects bad input at synth', () => {
    test('DR region equal to the primary region', () => {
      const f = fixture();
      expect(() => new PilotLightDr(f.primary, 'Dr', { service: f.service, database: f.database, drRegion: 'eu-west-1' }))
        .toThrow("`drRegion` must be a region other than the primary region 'eu-west-1', got: 'eu-west-1'");
    });
    test('a bucket without versioning', () => {
      const f = fixture();
      const plain = new s3.Bucket(f.primary, 'Plain');
      expect(() => build(f, { bucketsToReplicate: [plain] })).toThrow('`bucketsToReplicate[0].versioned` must be Enabled');
    });
    test('an Aurora engine without an Aurora cluster of this app', () => {
      const f = fixture({ engineKind: PostgresEngineKind.AURORA_SERVERLESS_V2 });
      expect(() => build(f)).toThrow('`database.cluster` is required for an Aurora global database (an Aurora cluster of this app), got: undefined');
    });
    test('an RPO shorter than the health check can detect', () => {
      const f = fixture();
      expect(() => build(f, { recoveryPointObjective: Duration.seconds(60) })).toThrow('`recoveryPointObjective` must be at least the health check\'s detection time (30 s x 3 = 90 s)');
    });
    test('Global Accelerator without a load balancer', () => {
      const f = fixture();
      const drAlb = elbv2.ApplicationLoadBalancer.fromLookup; // never called
      expect(drAlb).toBeDefined();
      expect(() => build(f, { globalAccelerator: { drLoadBalancer: {} as elbv2.IApplicationLoadBalancer } }))
        .toThrow('`globalAccelerator` must be used only with an ALB front door');
    });
    test('a failover record pointing at itself', () => {
      const f = fixture();
      expect(() => build(f, { failoverRouting: { hostedZone: zone(f), recordName: 'api.example.com', secondaryTarget: FailoverTarget.fromDomainName('dr.example.com') } }))
        .toThrow("`failoverRouting.recordName` must be another name than the PRIMARY target (a record pointing at itself never resolves; point it at the front door's own domain), got: 'api.example.com'");
    });
    test('a SECONDARY target equal to the record', () => {
      const f = fixture();
      expect(() => build(f, { failoverRouting: { hostedZone: zone(f), recordName: 'app.example.com', secondaryTarget: FailoverTarget.fromDomainName('app.example.com') } }))
        .toThrow('`failoverRouting.recordName` must be another name than the SECONDARY target');
    });
    test('a record outside the hosted zone', () => {
      const f = fixture();
      expect(() => build(f, { failoverRouting: { hostedZone: zone(f), recordName: 'app.example.org', secondaryTarget: FailoverTarget.fromDomainName('dr.example.com') } }))
        .toThrow("`failoverRouting.recordName` must be a name in the hosted zone 'example.com', got: 'app.example.org'");
    });
    test('a health check path without a leading slash', () => {
      const f = fixture();
      expect(() => build(f, { healthCheckPath: 'health' })).toThrow("`healthCheckPath` must be a path starting with '/', got: 'health'");
    });
    test('a DR region that is not a region', () => {
      const f = fixture();
      expect(() => new PilotLightDr(f.primary, 'Dr', { service: f.service, database: f.database, drRegion: 'frankfurt' }))
        .toThrow("`drRegion` must be a region name such as 'eu-central-1', got: 'frankfurt'");
    });
    test('a source database without automated backups', () => {
      const f = fixture();
      (f.database.instance!.node.defaultChild as rds.CfnDBInstance).backupRetentionPeriod = 0;
      expect(() => build(f)).toThrow("`database.backupRetention` must be at least 1 day (RDS creates read replicas only from a source with automated backups), got: '0 days'");
    });
    test('an empty image tag', () => {
      const f = fixture();
      expect(() => build(f, { imageTag: '' })).toThrow("`imageTag` must be a non-empty tag such as 'v42', got: ''");
    });
    test('a failure threshold Route 53 does not offer', () => {
      const f = fixture();
      expect(() => build(f, { healthCheckFailureThreshold: 0 })).toThrow('`healthCheckFailureThreshold` must be an integer between 1 and 10, got: 0');
    });
    test('a health check domain that is a URL', () => {
      const f = fixture();
      expect(() => build(f, { healthCheckDomainName: 'https://api.example.com/health' }))
        .toThrow("`healthCheckDomainName` must be a host name without scheme, port or path, such as 'api.example.com', got: 'https://api.example.com/health'");
    });
    test('an image tag next to a DR image it would not select', () => {
      const f = fixture();
      expect(() => build(f, { drImage: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1'), imageTag: 'v42' }))
        .toThrow('`drImage` and `imageTag` cannot both be set; choose one');
    });
    test('no DR image for a primary whose image is not in ECR', () => {
      const f = fixture({ withRepository: false });
      expect(() => build(f)).toThrow('`drImage` is required when the service image does not come from an ECR repository, got: undefined');
    });
    test('a failover desired count of zero', () => {
      const f = fixture();
      expect(() => build(f, { failoverDesiredCount: 0 })).toThrow('`failoverDesiredCount` must be an integer of at least 1, got: 0');
    });
    test('a readiness interval that is not whole minutes', () => {
      const f = fixture();
      expect(() => build(f, { readinessInterval: Duration.seconds(390) }))
        .toThrow("`readinessInterval` must be a whole number of minutes from 5 minutes to 1 day (1440 minutes), got: '390 seconds'");
    });
    test('a health check interval Route 53 does not offer', () => {
      const f = fixture();
      expect(() => build(f, { healthCheckInterval: Duration.seconds(20) })).toThrow('`healthCheckInterval` must be one of 10, 30, got: 20');
    });
  });

  test('warns when the secret cannot be replicated here', () => {
    const f = fixture({ importedSecret: true });
    const dr = build(f);
    const warnings = dr.data.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.join()).toMatch(/cannot be replicated here/);
  });

  test('a replicated site bucket becomes the site failover origin, read by CloudFront only; both stacks stay clean', () => {
    // GIVEN
    const f = fixture();
    const site = new CostConsciousStaticSite(f.primary, 'Site');
    // WHEN
    const dr = build(f, { bucketsToReplicate: [site.bucket, f.bucket] });
    // THEN the site's distribution has an origin group of its bucket and the site bucket's replica
    Template.fromStack(f.primary).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        OriginGroups: { Quantity: 1, Items: [Match.objectLike({ Members: Match.objectLike({ Quantity: 2 }) })] },
        Origins: Match.arrayWith([Match.objectLike({
          DomainName: { 'Fn::Join': ['', [Match.stringLikeRegexp('^primary-site-[0-9a-f]{8}-111111111111-eu-central-1\\.s3\\.eu-central-1\\.$'), { Ref: 'AWS::URLSuffix' }]] },
        })]),
      }),
    });
    const drTemplate = Template.fromStack(f.drStack);
    drTemplate.hasResourceProperties('AWS::S3::Bucket', { BucketName: Match.stringLikeRegexp('^primary-site-') });
    const policies = drTemplate.findResources('AWS::S3::BucketPolicy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' } })]) } },
    });
    // the site bucket's replica only: the uploads replica gets no CloudFront grant
    expect(Object.keys(policies)).toHaveLength(1);
    expect(dr.data.replicaBuckets).toHaveLength(2);
    expectCompliant(f.drStack);
    expectCompliant(site);
  });

  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly available production', Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ])('cdk-nag clean in both regions: %s', (_name, profile) => {
    const f = fixture();
    build(f, { profile });
    expectCompliant(f.drStack);
    expectCompliant(f.primary.node.findChild('Dr'));
  });
});
